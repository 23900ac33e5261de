import ArgumentParser
import Exams
import Foundation
import Localization
import OfficerUI
import TerminalUI

#if canImport(Glibc)
    import Glibc
#endif

/// `academy exam take --officer BADGE [--cycle C] [--plain]`.
///
/// The attempt logic lives in the `Exams` service (`ExamService.open`, `ExamSession`); this
/// command only picks the front end. Line mode (`--plain`, or whenever stdin/stdout is not a
/// terminal) is the documented line protocol; the full-screen front end is `ExamFullScreen.run(_:)`.
struct ExamTakeCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "take",
        abstract: "参加考试（断线、强制退出后再次运行即可继续）/ Sit the exam (run again to resume after a disconnect or kill).")

    @Option(help: "执法证号 / Badge number.") var officer: String
    @Option(help: "培训周期编号（只有一个进行中的周期时可省略）/ Training cycle id (optional when only one is open).") var cycle: String?
    @Flag(help: "逐行模式（读屏软件、脚本）/ Line mode, for screen readers and scripts.") var plain = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try ExamContentCache.load(content: contentOptions.content) {
            let l = try contentOptions.load(language)
            return (l.content, l.hasErrors)
        }
        let store = try database.open(language)
        let launch = try ExamService(store: store, content: content, clock: clock.officer, startClock: .system)
            .open(badge: officer, cycleID: cycle)
        if !plain, isatty(0) == 1 && isatty(1) == 1 {
            switch ExamFullScreen.run(launch, on: LocalTerminal(), language: language, clock: clock.officer) {
            case .submitted(let summary), .left(let summary): if !summary.isEmpty { print(summary) }
            case .terminated(let sig): throw ExitCode(128 + sig)
            case .disconnected: throw ExitCode(1)
            case .failed(let message): throw CommandExit(message)
            }
            return
        }
        // Unbuffered writes, so the order on a pipe is the order written.
        let mode = ExamLineMode(exam: launch, language: language, clock: clock.officer) {
            FileHandle.standardOutput.write(Data($0.utf8))
        }
        mode.greet()
        _ = mode.run(reader: DeadlineLineReader(fd: 0))
    }
}
