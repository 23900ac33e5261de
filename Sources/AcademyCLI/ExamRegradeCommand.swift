import ArgumentParser
import Exams
import Foundation
import Localization
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
        let summary = try ExamService(store: store, content: ExamContent(content), clock: clock.wall)
            .regrade(cycleID: cycle, dryRun: dryRun, reason: reason ?? "answer key corrected")
        for c in summary.changes { print(RegradeText.change(c, language: language)) }
        for p in summary.problems { Stderr.line(p.text(in: language)) }
        print(RegradeText.summary(summary, dryRun: dryRun, language: language))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}
