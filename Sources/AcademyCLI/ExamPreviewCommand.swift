import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Grading

/// `academy exam preview BLUEPRINT --seed N`: one paper with its key, for trainers.
struct ExamPreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "按种子生成一份试卷并显示答案（供培训人员）/ Print the paper for a seed, with its key (for trainers).")

    @Argument(help: "试卷蓝图编号 / Blueprint id.") var blueprint: String
    @Option(help: "随机种子 / Seed.") var seed: UInt64
    @Option(name: .customLong("exclude"), help: "要避开的题目编号（可重复）/ Question ids to avoid (repeatable).")
    var exclude: [String] = []
    @Flag(help: "输出试卷 JSON（与考试记录中保存的相同）/ Print the paper JSON as stored with an attempt.") var json = false
    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        let content = try contentOptions.load().content
        let bp = try ExamCLI.blueprint(blueprint, in: content)
        let assembler = try ExamCLI.assembler(bp, content)
        let paper: Paper
        do { paper = try assembler.paper(seed: seed, excluding: Set(exclude)) } catch {
            Stderr.line(error.message(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
        if json {
            print(String(decoding: paper.canonicalJSON(), as: UTF8.self))
            return
        }
        print(ExamCLI.previewText(paper, blueprint: bp, assembler: assembler))
    }
}

enum ExamCLI {
    static func blueprint(_ id: String, in content: ContentSet) throws -> ExamBlueprint {
        guard let bp = content.blueprint(id) else {
            let known = content.blueprints.map(\.id).joined(separator: ", ")
            Stderr.line(
                L10n.pick(
                    zh: "没有编号为 \(id) 的试卷蓝图（已有：\(known.isEmpty ? "无" : known)）",
                    en: "no blueprint with id \(id) (known: \(known.isEmpty ? "none" : known))"))
            throw ExitCode(2)
        }
        return bp
    }

    static func assembler(_ bp: ExamBlueprint, _ content: ContentSet) throws -> Assembler {
        do { return try Assembler(blueprint: bp, pool: content.pool(for: bp)) } catch {
            Stderr.line(error.message(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
    }

    static func previewText(_ paper: Paper, blueprint bp: ExamBlueprint, assembler: Assembler) -> String {
        var lines: [String] = []
        lines.append("\(bp.title)  [\(bp.id) v\(bp.version)]")
        lines.append(
            L10n.pick(
                zh:
                    "种子 \(paper.seed) · 题库哈希 \(paper.bankHash.prefix(16))… · 平均难度 \(paper.meanDifficulty) · 总分 \(ExamText.points(paper.totalPoints)) · 限时 \(bp.minutes) 分钟",
                en:
                    "seed \(paper.seed) · bank hash \(paper.bankHash.prefix(16))… · mean difficulty \(paper.meanDifficulty) · total \(ExamText.points(paper.totalPoints)) · \(bp.minutes) minutes"
            ))
        lines.append(PaperSize.line(paper))
        if !paper.repeatedQuestionIDs.isEmpty {
            lines.append(
                L10n.pick(
                    zh: "注意：题库不足，重复使用了 \(paper.repeatedQuestionIDs.joined(separator: "、"))",
                    en: "note: the bank could not avoid repeating \(paper.repeatedQuestionIDs.joined(separator: ", "))"))
        }
        var number = 0
        func render(_ q: Question, points: Double, order: [Int]?, indent: String) {
            number += 1
            lines.append(
                "\(indent)\(number). [\(ExamText.typeLabel(q.type)) · \(ExamText.pointsLabel(points)) · "
                    + L10n.pick(zh: "难度", en: "difficulty ") + "\(q.difficulty) · \(q.id)]")
            switch q.body {
            case .singleChoice(let c), .multipleChoice(let c):
                lines.append(indent + "   " + c.stem)
                for (pos, orig) in (order ?? Array(c.options.indices)).enumerated() {
                    let o = c.options[orig]
                    lines.append(indent + "   \(OptionLabel.label(pos)). \(o.text)" + (o.correct ? "  ✓" : ""))
                }
            case .trueFalse(let t): lines.append(indent + "   " + t.stem)
            case .fillIn(let f): lines.append(indent + "   " + f.displayStem)
            case .caseAnalysis: break
            }
            lines.append(indent + "   " + L10n.pick(zh: "答案：", en: "Key: ") + Grader.keyText(q, optionOrder: order))
            lines.append(indent + "   " + L10n.pick(zh: "解析：", en: "Explanation: ") + q.explanation)
        }
        for section in paper.sections {
            lines.append("")
            lines.append("== \(section.title) ==")
            for item in section.items {
                guard let q = assembler.question(item.questionID) else { continue }
                if let parts = item.parts, case .caseAnalysis(let ca) = q.body {
                    lines.append(
                        L10n.pick(
                            zh: "【案例分析 \(q.id) · \(ExamText.pointsLabel(item.points))】",
                            en: "[Case analysis \(q.id) · \(ExamText.pointsLabel(item.points))]"))
                    lines += ca.scenario.map { "  " + $0 }
                    for part in parts {
                        if let p = ca.parts.first(where: { $0.id == part.questionID }) {
                            render(p, points: part.points, order: part.optionOrder, indent: "  ")
                        }
                    }
                } else {
                    render(q, points: item.points, order: item.optionOrder, indent: "")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
