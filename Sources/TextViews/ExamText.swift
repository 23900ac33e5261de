import Courseware
import ExamAssembly
import Exams
import Foundation
import Grading
import Localization
import TerminalUI

/// Text rendering shared by `exam preview`, the line protocol and the result screen, in one
/// language chosen by the caller.
public struct ExamText: Sendable {
    public let language: Language

    public init(language: Language) { self.language = language }

    public func typeLabel(_ t: QuestionType) -> String {
        language.pick(
            zh: t.chineseLabel,
            en: [
                .singleChoice: "single choice", .multipleChoice: "multiple choice", .trueFalse: "true/false",
                .fillIn: "fill in the blanks", .caseAnalysis: "case analysis",
            ][t]!)
    }

    public static func points(_ p: Double) -> String {
        let r = (p * 100).rounded() / 100
        return r == r.rounded()
            ? String(Int(r)) : String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    public func pointsLabel(_ p: Double) -> String {
        language.pick(zh: "\(Self.points(p)) 分", en: p == 1 ? "1 point" : "\(Self.points(p)) points")
    }

    /// `mm:ss`, or `h:mm:ss` from an hour up.
    public static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
            : String(format: "%02d:%02d", s / 60, s % 60)
    }

    public func answerText(_ a: ExamSession.Answer) -> String {
        switch a {
        case .options(let o): o.map { OptionLabel.label($0) }.joined()
        case .trueFalse(let b): b ? language.pick(zh: "对", en: "T (true)") : language.pick(zh: "错", en: "F (false)")
        case .blanks(let b): b.joined(separator: " | ")
        }
    }

    /// The question block of the line protocol (see docs/officer-guide.md).
    public func block(_ v: ExamSession.SlotView) -> String {
        var lines: [String] = []
        var head = "[Q \(v.number)/\(v.count)] \(v.sectionTitle) · \(typeLabel(v.type)) · \(pointsLabel(v.points))"
        if v.flagged { head += language.pick(zh: " · 已标记", en: " · flagged") }
        lines.append(head)
        if let scenario = v.caseScenario, let part = v.casePart, let parts = v.caseParts {
            lines.append(language.pick(zh: "[案例 Case \(part)/\(parts)]", en: "[Case \(part)/\(parts)]"))
            lines += scenario
            lines.append("--")
        }
        lines += v.stem.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, o) in v.options.enumerated() { lines.append("\(OptionLabel.label(i)). \(o)") }
        switch v.type {
        case .trueFalse: lines.append(language.pick(zh: "（T 对 / F 错）", en: "(T true / F false)"))
        case .fillIn:
            lines.append(
                language.pick(zh: "（共 \(v.blanks) 空，输入 = 答案1 | 答案2）", en: "(\(v.blanks) blank(s): type = answer1 | answer2)"))
        case .multipleChoice: lines.append(language.pick(zh: "（多选，如 AC）", en: "(choose all that apply, e.g. AC)"))
        default: break
        }
        if let a = v.answer { lines.append(language.pick(zh: "当前答案：", en: "Answer: ") + answerText(a)) }
        return lines.joined(separator: "\n")
    }

    public func report(
        _ r: GradeReport, reviewVisible: Bool, reviewNote: String?,
        provisionLabel: (String) -> String = { $0 }
    ) -> String {
        var lines: [String] = []
        lines.append(
            "成绩 score: \(Self.points(r.score))/\(Self.points(r.maxScore))  "
                + language.pick(zh: "及格线 \(Self.points(r.passPoints))", en: "pass mark \(Self.points(r.passPoints))"))
        lines.append(r.passed ? "结果 result: 合格 PASS" : "结果 result: 不合格 FAIL")
        lines.append(language.pick(zh: "按主题：", en: "By topic:"))
        for b in r.byTopic { lines.append("  \(b.key)  \(Self.points(b.score))/\(Self.points(b.max))") }
        lines.append(language.pick(zh: "按条款：", en: "By provision:"))
        for b in r.byProvision { lines.append("  \(provisionLabel(b.key))  \(Self.points(b.score))/\(Self.points(b.max))") }
        if reviewVisible {
            let missed = r.missed
            lines.append(language.pick(zh: "错题回顾（\(missed.count) 题）：", en: "Review of missed questions (\(missed.count)):"))
            for m in missed {
                let got = Self.points(m.score)
                lines.append(
                    "  [Q \(m.number)] \(m.questionID) \(got)/\(Self.points(m.points)) · " + language.pick(zh: "答案 ", en: "key ") + m.key)
                lines.append("    " + language.pick(zh: "解析：", en: "Explanation: ") + m.explanation)
            }
        } else if let reviewNote {
            lines.append(reviewNote)
        }
        return lines.joined(separator: "\n")
    }

    public func reviewNote(_ policy: ExamBlueprint.ReviewPolicy) -> String? {
        switch policy {
        case .immediately: nil
        case .afterClose: language.pick(zh: "错题回顾将在本培训周期截止后开放。", en: "The review opens after the training cycle closes.")
        case .never: language.pick(zh: "本考试不提供错题回顾。", en: "This exam has no review.")
        }
    }
}
