import Courseware
import ExamAssembly
import Foundation
import Grading
import Localization
import TerminalUI

/// `exam preview`: one paper with its key, for trainers.
public enum PaperPreview {
    public static func text(_ paper: Paper, blueprint bp: ExamBlueprint, assembler: Assembler, language: Language) -> String {
        let text = ExamText(language: language)
        var lines: [String] = []
        lines.append("\(bp.title)  [\(bp.id) v\(bp.version)]")
        lines.append(
            language.pick(
                zh:
                    "种子 \(paper.seed) · 题库哈希 \(paper.bankHash.prefix(16))… · 平均难度 \(paper.meanDifficulty) · 总分 \(ExamText.points(paper.totalPoints)) · 限时 \(bp.minutes) 分钟",
                en:
                    "seed \(paper.seed) · bank hash \(paper.bankHash.prefix(16))… · mean difficulty \(paper.meanDifficulty) · total \(ExamText.points(paper.totalPoints)) · \(bp.minutes) minutes"
            ))
        lines.append(PaperSize.line(paper, language: language))
        if !paper.repeatedQuestionIDs.isEmpty {
            lines.append(
                language.pick(
                    zh: "注意：题库不足，重复使用了 \(paper.repeatedQuestionIDs.joined(separator: "、"))",
                    en: "note: the bank could not avoid repeating \(paper.repeatedQuestionIDs.joined(separator: ", "))"))
        }
        var number = 0
        func render(_ q: Question, points: Double, order: [Int]?, indent: String) {
            number += 1
            lines.append(
                "\(indent)\(number). [\(text.typeLabel(q.type)) · \(text.pointsLabel(points)) · "
                    + language.pick(zh: "难度", en: "difficulty ") + "\(q.difficulty) · \(q.id)]")
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
            lines.append(indent + "   " + language.pick(zh: "答案：", en: "Key: ") + Grader.keyText(q, optionOrder: order))
            lines.append(indent + "   " + language.pick(zh: "解析：", en: "Explanation: ") + q.explanation)
        }
        for section in paper.sections {
            lines.append("")
            lines.append("== \(section.title) ==")
            for item in section.items {
                guard let q = assembler.question(item.questionID) else { continue }
                if let parts = item.parts, case .caseAnalysis(let ca) = q.body {
                    lines.append(
                        language.pick(
                            zh: "【案例分析 \(q.id) · \(text.pointsLabel(item.points))】",
                            en: "[Case analysis \(q.id) · \(text.pointsLabel(item.points))]"))
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
