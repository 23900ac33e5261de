import ArgumentParser
import Exams
import Foundation
import Localization
import OfficerUI
import Records
import TextViews

/// `academy exam regrade --cycle C [--dry-run]`: re-score every submitted attempt of the cycle from
/// its stored paper and responses against the current content (`ExamService.regrade`).
struct ExamRegradeCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "regrade",
        abstract: "按当前题库答案重新评分已交卷的考试 / Re-score submitted attempts against the current answer keys.")

    @Option(help: "培训周期编号 / Training cycle id.") var cycle: String
    @Flag(help: "只显示会改变的成绩，不写入 / Show what would change without writing.") var dryRun = false
    @Option(help: "写入记录的重新评分原因 / Reason written with each regrade.") var reason: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let store = try database.open(language)
        let summary: ExamService.RegradeSummary
        do {
            summary = try ExamService(store: store, content: ExamContent(content), clock: clock.wall)
                .regrade(cycleID: cycle, dryRun: dryRun, reason: reason ?? "answer key corrected")
        } catch let e as any BilingualError {
            Stderr.line(e.message(in: language))
            throw ExitCode(1)
        }
        for c in summary.changes {
            print(
                "\(c.badge) #\(c.attemptNumber): \(ExamText.points(c.before)) → \(ExamText.points(c.after))"
                    + (c.passedBefore != c.passedAfter
                        ? (c.passedAfter
                            ? language.pick(zh: "（改为合格）", en: " (now PASS)") : language.pick(zh: "（改为不合格）", en: " (now FAIL)")) : ""))
        }
        for p in summary.problems { Stderr.line(p.text(in: language)) }
        print(
            language.pick(
                zh:
                    "\(dryRun ? "试算：" : "")检查 \(summary.checked) 次考试，\(summary.changes.count) 次成绩\(dryRun ? "将" : "已")改变，\(summary.unchanged) 次不变，\(summary.problems.count) 次无法评分",
                en:
                    "\(dryRun ? "dry run: " : "")\(summary.checked) attempts checked, \(summary.changes.count) \(dryRun ? "would change" : "changed"), \(summary.unchanged) unchanged, \(summary.problems.count) could not be graded"
            ))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}
