import Exams
import Localization

/// What `academy exam regrade` prints: one line per changed grade, then the counts.
public enum RegradeText {
    /// `A001 #1: 8 → 10（改为合格）`: badge, attempt, score before and after, and a change of pass/fail.
    public static func change(_ c: ExamService.RegradeChange, language: Language) -> String {
        "\(c.badge) #\(c.attemptNumber): \(ExamText.points(c.before)) → \(ExamText.points(c.after))"
            + (c.passedBefore != c.passedAfter
                ? (c.passedAfter
                    ? language.pick(zh: "（改为合格）", en: " (now PASS)") : language.pick(zh: "（改为不合格）", en: " (now FAIL)")) : "")
    }

    public static func summary(_ s: ExamService.RegradeSummary, dryRun: Bool, language: Language) -> String {
        language.pick(
            zh:
                "\(dryRun ? "试算：" : "")检查 \(s.checked) 次考试，\(s.changes.count) 次成绩\(dryRun ? "将" : "已")改变，\(s.unchanged) 次不变，\(s.problems.count) 次无法评分",
            en:
                "\(dryRun ? "dry run: " : "")\(s.checked) attempts checked, \(s.changes.count) \(dryRun ? "would change" : "changed"), \(s.unchanged) unchanged, \(s.problems.count) could not be graded"
        )
    }
}
