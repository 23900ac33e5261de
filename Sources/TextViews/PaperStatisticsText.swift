import Courseware
import ExamAssembly
import Foundation
import Localization
import TerminalUI

/// `exam stats`: what many simulated papers and attempt sequences look like.
public enum PaperStatisticsText {
    public static func render(_ s: AttemptSequences, blueprint bp: ExamBlueprint, language: Language) -> String {
        let why =
            s.attempts == bp.maxAttempts + 1
            ? language.pick(zh: "（允许 \(bp.maxAttempts) 次考试 + 1 次“双随机”复查）", en: " (\(bp.maxAttempts) attempts allowed + 1 双随机 re-examination)")
            : ""
        return [
            "",
            language.pick(zh: "## 同一考生连续 \(s.attempts) 份试卷\(why)", en: "## \(s.attempts) consecutive papers per officer\(why)"),
            language.pick(
                zh: "模拟 \(s.officers) 名考生：有重复题的考生 \(s.officersWithRepeats) 名，单人最多重复 \(s.worstRepeats) 道",
                en:
                    "\(s.officers) officers simulated: \(s.officersWithRepeats) met a question twice; at most \(s.worstRepeats) repeated for one officer"
            ),
        ].joined(separator: "\n")
    }

    public static func render(_ s: PaperStatistics, blueprint bp: ExamBlueprint, seconds: Double, language: Language) -> String {
        let text = ExamText(language: language)
        var out: [String] = []
        func pct(_ n: Int, _ d: Int) -> String { d == 0 ? "-" : String(format: "%.1f%%", Double(n) * 100 / Double(d)) }
        out.append(
            language.pick(
                zh: "试卷蓝图 \(bp.id) v\(bp.version)：模拟 \(s.papers) 份（\(String(format: "%.2f", seconds)) 秒）",
                en: "Blueprint \(bp.id) v\(bp.version): \(s.papers) papers simulated (\(String(format: "%.2f", seconds)) s)"))
        out.append("")
        out.append(language.pick(zh: "## 难度分布（每份试卷的平均难度）", en: "## Difficulty spread (mean difficulty per paper)"))
        out.append(
            String(
                format: language.pick(zh: "平均 %.3f  最低 %.3f  最高 %.3f", en: "mean %.3f  min %.3f  max %.3f"),
                s.meanDifficulty, s.minDifficulty, s.maxDifficulty))
        if let t = bp.targetDifficulty {
            out.append(String(format: language.pick(zh: "目标 %.2f ± 0.2", en: "target %.2f ± 0.2"), t))
        }
        let peak = max(s.difficultyHistogram.max() ?? 1, 1)
        for (k, n) in s.difficultyHistogram.enumerated() where n > 0 {
            let lo = 1.0 + Double(k) / 10
            let bar = String(repeating: "#", count: max(1, n * 40 / peak))
            out.append(String(format: "  [%.1f, %.1f) %7d  ", lo, lo + 0.1, n) + bar)
        }
        out.append("")
        out.append(language.pick(zh: "## 正确选项位置", en: "## Where the correct option lands"))
        func positions(_ title: String, _ counts: [Int]) {
            let total = counts.reduce(0, +)
            guard total > 0 else { return }
            let used = counts.lastIndex { $0 > 0 }.map { $0 + 1 } ?? 0
            let cells = (0..<used).map { "\(OptionLabel.label($0)) \(counts[$0]) (\(pct(counts[$0], total)))" }
            out.append("  \(title): " + cells.joined(separator: "  "))
        }
        positions(language.pick(zh: "单选", en: "single choice"), s.singleKeyPositions)
        positions(language.pick(zh: "多选（每个正确选项）", en: "multiple choice (each correct option)"), s.multipleKeyPositions)
        let tf = s.trueFalseKeys.true + s.trueFalseKeys.false
        if tf > 0 {
            out.append(
                "  "
                    + language.pick(
                        zh:
                            "判断：对 \(s.trueFalseKeys.true) (\(pct(s.trueFalseKeys.true, tf)))  错 \(s.trueFalseKeys.false) (\(pct(s.trueFalseKeys.false, tf)))",
                        en:
                            "true/false: true \(s.trueFalseKeys.true) (\(pct(s.trueFalseKeys.true, tf)))  false \(s.trueFalseKeys.false) (\(pct(s.trueFalseKeys.false, tf)))"
                    ))
        }
        out.append("")
        out.append(language.pick(zh: "## 各题抽中频率（按题库顺序）", en: "## How often each question is drawn (pool order)"))
        let drawn = s.draws.filter { $0.count > 0 }
        for d in drawn {
            let id =
                d.questionID.count < 24 ? d.questionID + String(repeating: " ", count: 24 - d.questionID.count) : d.questionID
            out.append(
                "  \(id) d\(d.difficulty) " + String(format: "%7d", d.count)
                    + "  \(pct(d.count, s.papers))  \(text.typeLabel(d.type))")
        }
        let never = s.neverDrawn
        out.append("")
        out.append(language.pick(zh: "## 从未抽到的题（\(never.count) 道）", en: "## Never drawn (\(never.count))"))
        for d in never {
            let why =
                d.eligible
                ? language.pick(zh: "（符合规则但未被抽中）", en: "(matches a rule but was not drawn)")
                : language.pick(zh: "（不符合任何抽题规则）", en: "(matches no draw rule)")
            out.append("  \(d.questionID) \(text.typeLabel(d.type)) d\(d.difficulty) \(why)")
        }
        if s.papersWithRepeats > 0 {
            out.append(
                language.pick(zh: "有 \(s.papersWithRepeats) 份试卷不得不重复题目", en: "\(s.papersWithRepeats) papers had to repeat questions"))
        }
        return out.joined(separator: "\n")
    }
}
