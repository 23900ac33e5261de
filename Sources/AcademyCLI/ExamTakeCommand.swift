import ArgumentParser
import CourseLoading
import Courseware
import Exams
import Foundation
import Records

#if canImport(Glibc)
    import Glibc
#endif

/// `academy exam take --officer BADGE [--cycle C] [--plain]`.
///
/// The attempt logic lives in the `Exams` service (`ExamService.open`, `ExamSession`); this
/// command only picks the front end. Line mode (`--plain`, or whenever stdin/stdout is not a terminal) is the
/// documented line protocol; the full-screen front end is `ExamFullScreen.run(_:)`.
struct ExamTakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "take",
        abstract: "参加考试（断线、强制退出后再次运行即可继续）/ Sit the exam (run again to resume after a disconnect or kill).")

    @Option(help: "执法证号 / Badge number.") var officer: String
    @Option(help: "培训周期编号（只有一个进行中的周期时可省略）/ Training cycle id (optional when only one is open).")
    var cycle: String?
    @Flag(help: "逐行模式（读屏软件、脚本）/ Line mode, for screen readers and scripts.") var plain = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        let content = try ExamContentCache.load(
            files: try? ContentLoader.expand(paths: ContentLocator.paths(contentOptions.content)),
            directory: ExamClock.cacheDirectory,
            load: { let l = try contentOptions.load(); return (l.content, l.hasErrors) })
        let store = try database.open()
        let launch: OpenExam
        do {
            launch = try ExamService(store: store, content: content, clock: ExamClock.wall, startClock: .system)
                .open(badge: officer, cycleID: cycle)
        } catch let e as any BilingualError {
            Stderr.line(e.message.pick(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
        let interactive = isatty(0) == 1 && isatty(1) == 1
        if !plain, interactive {
            let code = ExamFullScreen.run(launch)
            if code != 0 { throw ExitCode(code) }
            return
        }
        let s = launch.session
        var mode = ExamPlainMode(
            session: s, reviewVisible: launch.reviewVisible(now:),
            reviewNote: ExamText.reviewNote(launch.blueprint.review))
        mode.now = ExamClock.now
        mode.provisionLabel = launch.provisionLabel
        // Same unbuffered writer as the protocol lines, so the order on a pipe is the order written.
        mode.say(
            launch.resumed
                ? L10n.pick(
                    zh:
                        "继续第 \(launch.attempt.number) 次考试：\(launch.blueprint.title)（已答 \(s.answeredCount)/\(s.count)，剩余 \(ExamText.clock(s.remainingSeconds(now: ExamClock.now()))))",
                    en:
                        "Resuming attempt \(launch.attempt.number): \(launch.blueprint.title) (\(s.answeredCount)/\(s.count) answered, \(ExamText.clock(s.remainingSeconds(now: ExamClock.now()))) left)"
                )
                : L10n.pick(
                    zh:
                        "第 \(launch.attempt.number) 次考试：\(launch.blueprint.title)，共 \(s.count) 题，满分 \(ExamText.points(launch.session.paper.totalPoints))，限时 \(launch.blueprint.minutes) 分钟。输入 h 查看命令。",
                    en:
                        "Attempt \(launch.attempt.number): \(launch.blueprint.title), \(s.count) questions, \(ExamText.points(launch.session.paper.totalPoints)) points, \(launch.blueprint.minutes) minutes. Type h for help."
                ))
        switch mode.run(reader: DeadlineLineReader(fd: 0)) {
        case .submitted, .quit: return
        }
    }
}
