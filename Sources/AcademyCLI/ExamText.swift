import Courseware
import ExamAssembly
import Foundation
import Exams
import Grading

/// Text rendering shared by `exam preview`, `exam take --plain` and the result screen.
enum ExamText {
    static func typeLabel(_ t: QuestionType) -> String {
        L10n.pick(
            zh: t.chineseLabel,
            en: [
                .singleChoice: "single choice", .multipleChoice: "multiple choice", .trueFalse: "true/false",
                .fillIn: "fill in the blanks", .caseAnalysis: "case analysis",
            ][t]!)
    }

    static func points(_ p: Double) -> String {
        let r = (p * 100).rounded() / 100
        return r == r.rounded()
            ? String(Int(r)) : String(format: "%.2f", r).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    static func pointsLabel(_ p: Double) -> String {
        L10n.pick(zh: "\(points(p)) 分", en: p == 1 ? "1 point" : "\(points(p)) points")
    }

    /// `mm:ss`, or `h:mm:ss` from an hour up.
    static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
            : String(format: "%02d:%02d", s / 60, s % 60)
    }

    static func answerText(_ a: ExamSession.Answer) -> String {
        switch a {
        case .options(let o): o.map { OptionLabel.label($0) }.joined()
        case .trueFalse(let b): b ? L10n.pick(zh: "对", en: "T (true)") : L10n.pick(zh: "错", en: "F (false)")
        case .blanks(let b): b.joined(separator: " | ")
        }
    }

    /// The question block of the line protocol (see docs/officer-guide.md).
    static func block(_ v: ExamSession.SlotView) -> String {
        var lines: [String] = []
        var head = "[Q \(v.number)/\(v.count)] \(v.sectionTitle) · \(typeLabel(v.type)) · \(pointsLabel(v.points))"
        if v.flagged { head += L10n.pick(zh: " · 已标记", en: " · flagged") }
        lines.append(head)
        if let scenario = v.caseScenario, let part = v.casePart, let parts = v.caseParts {
            lines.append(L10n.pick(zh: "[案例 Case \(part)/\(parts)]", en: "[Case \(part)/\(parts)]"))
            lines += scenario
            lines.append("--")
        }
        lines += v.stem.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, o) in v.options.enumerated() { lines.append("\(OptionLabel.label(i)). \(o)") }
        switch v.type {
        case .trueFalse: lines.append(L10n.pick(zh: "（T 对 / F 错）", en: "(T true / F false)"))
        case .fillIn:
            lines.append(
                L10n.pick(zh: "（共 \(v.blanks) 空，输入 = 答案1 | 答案2）", en: "(\(v.blanks) blank(s): type = answer1 | answer2)"))
        case .multipleChoice: lines.append(L10n.pick(zh: "（多选，如 AC）", en: "(choose all that apply, e.g. AC)"))
        default: break
        }
        if let a = v.answer { lines.append(L10n.pick(zh: "当前答案：", en: "Answer: ") + answerText(a)) }
        return lines.joined(separator: "\n")
    }

    static func report(
        _ r: GradeReport, reviewVisible: Bool, reviewNote: String?,
        provisionLabel: (String) -> String = { $0 }
    ) -> String {
        var lines: [String] = []
        lines.append(
            "成绩 score: \(points(r.score))/\(points(r.maxScore))  "
                + L10n.pick(zh: "及格线 \(points(r.passPoints))", en: "pass mark \(points(r.passPoints))"))
        lines.append(r.passed ? "结果 result: 合格 PASS" : "结果 result: 不合格 FAIL")
        lines.append(L10n.pick(zh: "按主题：", en: "By topic:"))
        for b in r.byTopic { lines.append("  \(b.key)  \(points(b.score))/\(points(b.max))") }
        lines.append(L10n.pick(zh: "按条款：", en: "By provision:"))
        for b in r.byProvision { lines.append("  \(provisionLabel(b.key))  \(points(b.score))/\(points(b.max))") }
        if reviewVisible {
            let missed = r.missed
            lines.append(L10n.pick(zh: "错题回顾（\(missed.count) 题）：", en: "Review of missed questions (\(missed.count)):"))
            for m in missed {
                let got = points(m.score)
                lines.append(
                    "  [Q \(m.number)] \(m.questionID) \(got)/\(points(m.points)) · " + L10n.pick(zh: "答案 ", en: "key ") + m.key)
                lines.append("    " + L10n.pick(zh: "解析：", en: "Explanation: ") + m.explanation)
            }
        } else if let reviewNote {
            lines.append(reviewNote)
        }
        return lines.joined(separator: "\n")
    }

    static func reviewNote(_ policy: ExamBlueprint.ReviewPolicy) -> String? {
        switch policy {
        case .immediately: nil
        case .afterClose: L10n.pick(zh: "错题回顾将在本培训周期截止后开放。", en: "The review opens after the training cycle closes.")
        case .never: L10n.pick(zh: "本考试不提供错题回顾。", en: "This exam has no review.")
        }
    }
}

/// The exam's clock. `ACADEMY_NOW` (ISO 8601) and `ACADEMY_CLOCK_OFFSET=<seconds>` move it
/// forward for tests and rehearsals; the clock keeps running from there, so deadlines still pass
/// in real time. Only forward shifts are honoured, so neither can give an officer more time
/// (and an attempt's remaining time never exceeds its limit). Documented in docs/officer-guide.md.
enum ExamClock {
    static let offset: TimeInterval = max(0, shift) + max(0, extra)

    private static let shift: TimeInterval = RecordsCLI.nowOverride().map { $0.timeIntervalSinceNow } ?? 0

    /// `ACADEMY_CLOCK_OFFSET` in seconds; a value that is not a number is a usage error (exit 2).
    private static let extra: TimeInterval = {
        guard let s = ProcessInfo.processInfo.environment["ACADEMY_CLOCK_OFFSET"], !s.isEmpty else { return 0 }
        guard let v = TimeInterval(s) else {
            RecordsCLI.stderr("ACADEMY_CLOCK_OFFSET: not a number of seconds: \(s)")
            exit(2)
        }
        return v
    }()

    static func now() -> Date { Date().addingTimeInterval(offset) }

    /// The same clock as a value for the services.
    static var wall: WallClock { .shifted(by: offset) }

    /// Where `exam take` caches parsed content: `$ACADEMY_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/academy`, else `~/.cache/academy`; `ACADEMY_CACHE_DIR=off` disables it.
    static var cacheDirectory: URL? {
        let env = ProcessInfo.processInfo.environment
        if let d = env["ACADEMY_CACHE_DIR"], !d.isEmpty { return d == "off" ? nil : URL(fileURLWithPath: d) }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("academy") }
        if let h = env["HOME"], !h.isEmpty { return URL(fileURLWithPath: h).appendingPathComponent(".cache/academy") }
        return nil
    }
}
