import ArgumentParser
import Courseware
import ExamAssembly
import Foundation

/// `academy exam stats BLUEPRINT --papers 10000`: simulate papers and report how fair they are.
struct ExamStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "模拟抽卷并统计：抽中频率、正确选项位置、难度分布、从未抽到的题 / Simulate papers: draw frequency, key positions, difficulty spread, never-drawn questions."
    )

    @Argument(help: "试卷蓝图编号 / Blueprint id.") var blueprint: String
    @Option(help: "模拟的试卷份数 / Number of papers to simulate.") var papers: Int = 10_000
    @Option(help: "第一个种子（依次递增）/ First seed (then +1 per paper).") var firstSeed: UInt64 = 1
    @Option(
        help:
            "同一考生连续抽卷的份数，后一份避开前面各份的题（默认：允许次数 + 1 次“双随机”复查）/ Consecutive papers per officer, each avoiding the earlier ones' questions (default: attempts allowed + 1 双随机 re-examination)."
    ) var attempts: Int?
    @Option(help: "模拟连续抽卷的考生人数 / Officers simulated for consecutive papers.") var officers: Int = 200
    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        guard papers > 0 else { throw ValidationError(L10n.pick(zh: "--papers 必须大于 0", en: "--papers must be positive")) }
        guard officers > 0 else { throw ValidationError(L10n.pick(zh: "--officers 必须大于 0", en: "--officers must be positive")) }
        if let attempts, attempts < 1 {
            throw ValidationError(L10n.pick(zh: "--attempts 必须大于 0", en: "--attempts must be positive"))
        }
    }

    func run() throws {
        let content = try contentOptions.load().content
        let bp = try ExamCLI.blueprint(blueprint, in: content)
        let assembler = try ExamCLI.assembler(bp, content)
        let started = Date()
        let stats: PaperStatistics
        let sequences: AttemptSequences
        do {
            stats = try PaperStatistics.simulate(assembler, papers: papers, firstSeed: firstSeed)
            sequences = try AttemptSequences.simulate(
                assembler, officers: officers, attempts: attempts ?? bp.maxAttempts + 1, firstSeed: firstSeed)
        } catch {
            Stderr.line(error.message(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
        print(Self.render(stats, blueprint: bp, seconds: Date().timeIntervalSince(started)))
        print(Self.render(sequences, blueprint: bp))
        print(PaperSize.line(assembler, seeds: firstSeed..<(firstSeed &+ UInt64(min(papers, 1000)))))
    }

    static func render(_ s: AttemptSequences, blueprint bp: ExamBlueprint) -> String {
        let why =
            s.attempts == bp.maxAttempts + 1
            ? L10n.pick(zh: "（允许 \(bp.maxAttempts) 次考试 + 1 次“双随机”复查）", en: " (\(bp.maxAttempts) attempts allowed + 1 双随机 re-examination)")
            : ""
        return [
            "",
            L10n.pick(zh: "## 同一考生连续 \(s.attempts) 份试卷\(why)", en: "## \(s.attempts) consecutive papers per officer\(why)"),
            L10n.pick(
                zh: "模拟 \(s.officers) 名考生：有重复题的考生 \(s.officersWithRepeats) 名，单人最多重复 \(s.worstRepeats) 道",
                en:
                    "\(s.officers) officers simulated: \(s.officersWithRepeats) met a question twice; at most \(s.worstRepeats) repeated for one officer"
            ),
        ].joined(separator: "\n")
    }

    static func render(_ s: PaperStatistics, blueprint bp: ExamBlueprint, seconds: Double) -> String {
        var out: [String] = []
        func pct(_ n: Int, _ d: Int) -> String { d == 0 ? "-" : String(format: "%.1f%%", Double(n) * 100 / Double(d)) }
        out.append(
            L10n.pick(
                zh: "试卷蓝图 \(bp.id) v\(bp.version)：模拟 \(s.papers) 份（\(String(format: "%.2f", seconds)) 秒）",
                en: "Blueprint \(bp.id) v\(bp.version): \(s.papers) papers simulated (\(String(format: "%.2f", seconds)) s)"))
        out.append("")
        out.append(L10n.pick(zh: "## 难度分布（每份试卷的平均难度）", en: "## Difficulty spread (mean difficulty per paper)"))
        out.append(
            String(
                format: L10n.pick(zh: "平均 %.3f  最低 %.3f  最高 %.3f", en: "mean %.3f  min %.3f  max %.3f"),
                s.meanDifficulty, s.minDifficulty, s.maxDifficulty))
        if let t = bp.targetDifficulty {
            out.append(String(format: L10n.pick(zh: "目标 %.2f ± 0.2", en: "target %.2f ± 0.2"), t))
        }
        let peak = max(s.difficultyHistogram.max() ?? 1, 1)
        for (k, n) in s.difficultyHistogram.enumerated() where n > 0 {
            let lo = 1.0 + Double(k) / 10
            let bar = String(repeating: "#", count: max(1, n * 40 / peak))
            out.append(String(format: "  [%.1f, %.1f) %7d  ", lo, lo + 0.1, n) + bar)
        }
        out.append("")
        out.append(L10n.pick(zh: "## 正确选项位置", en: "## Where the correct option lands"))
        func positions(_ title: String, _ counts: [Int]) {
            let total = counts.reduce(0, +)
            guard total > 0 else { return }
            let used = counts.lastIndex { $0 > 0 }.map { $0 + 1 } ?? 0
            let cells = (0..<used).map { "\(OptionLabel.label($0)) \(counts[$0]) (\(pct(counts[$0], total)))" }
            out.append("  \(title): " + cells.joined(separator: "  "))
        }
        positions(L10n.pick(zh: "单选", en: "single choice"), s.singleKeyPositions)
        positions(L10n.pick(zh: "多选（每个正确选项）", en: "multiple choice (each correct option)"), s.multipleKeyPositions)
        let tf = s.trueFalseKeys.true + s.trueFalseKeys.false
        if tf > 0 {
            out.append(
                "  "
                    + L10n.pick(
                        zh:
                            "判断：对 \(s.trueFalseKeys.true) (\(pct(s.trueFalseKeys.true, tf)))  错 \(s.trueFalseKeys.false) (\(pct(s.trueFalseKeys.false, tf)))",
                        en:
                            "true/false: true \(s.trueFalseKeys.true) (\(pct(s.trueFalseKeys.true, tf)))  false \(s.trueFalseKeys.false) (\(pct(s.trueFalseKeys.false, tf)))"
                    ))
        }
        out.append("")
        out.append(L10n.pick(zh: "## 各题抽中频率（按题库顺序）", en: "## How often each question is drawn (pool order)"))
        let drawn = s.draws.filter { $0.count > 0 }
        for d in drawn {
            let id =
                d.questionID.count < 24 ? d.questionID + String(repeating: " ", count: 24 - d.questionID.count) : d.questionID
            out.append(
                "  \(id) d\(d.difficulty) " + String(format: "%7d", d.count)
                    + "  \(pct(d.count, s.papers))  \(ExamText.typeLabel(d.type))")
        }
        let never = s.neverDrawn
        out.append("")
        out.append(L10n.pick(zh: "## 从未抽到的题（\(never.count) 道）", en: "## Never drawn (\(never.count))"))
        for d in never {
            let why =
                d.eligible
                ? L10n.pick(zh: "（符合规则但未被抽中）", en: "(matches a rule but was not drawn)")
                : L10n.pick(zh: "（不符合任何抽题规则）", en: "(matches no draw rule)")
            out.append("  \(d.questionID) \(ExamText.typeLabel(d.type)) d\(d.difficulty) \(why)")
        }
        if s.papersWithRepeats > 0 {
            out.append(
                L10n.pick(zh: "有 \(s.papersWithRepeats) 份试卷不得不重复题目", en: "\(s.papersWithRepeats) papers had to repeat questions"))
        }
        return out.joined(separator: "\n")
    }
}
