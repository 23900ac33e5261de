import ArgumentParser
import Foundation

/// The root of the `academy` command tree. Each subcommand lives in its own file.
public struct AcademyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "academy",
        abstract: "城市管理执法人员教育培训与考试系统 / Training and examination for urban-management enforcement staff.",
        discussion: """
            全局选项 --lang zh-Hans|en 可放在任何位置（默认按 ACADEMY_LANG / LANG 选择，zh* 为中文）。
            The global option --lang zh-Hans|en may appear anywhere (default from ACADEMY_LANG / LANG).
            """,
        subcommands: [
            LintCommand.self,
            CourseCommand.self,
            BankCommand.self,
            StaffCommand.self,
            CycleCommand.self,
            RecordCommand.self,
            AuditCommand.self,
            ExamCommand.self,
            StudyCommand.self,
            DevCommand.self,
            TerminalDemoCommand.self,
            RosterCommand.self,
            SpotcheckCommand.self,
        ]
    )
    public init() {}

    /// The program's entry point (called from main.swift). Handles the global `--lang`, runs the
    /// command, and maps outcomes to exit codes: usage errors exit 2 (ArgumentParser's default
    /// is 64), help/version 0, a command's own `ExitCode` as given, other errors 1.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        var (args, langError) = L10n.extractLanguage(from: arguments)
        // Check the clock hooks (ACADEMY_NOW, ACADEMY_CLOCK_OFFSET) before any command writes:
        // a bad value is a usage error, not something discovered half-way through an attempt.
        _ = ExamClock.offset
        // `academy --db PATH <command> …`: a database named before the command applies to the
        // whole invocation, exactly like ACADEMY_DB (commands also take `--db` after their name).
        while let first = args.first, first == "--db" || first.hasPrefix("--db=") {
            let value: String
            if first == "--db" {
                guard args.count > 1 else {
                    Stderr.line("academy: --db needs a path / --db 需要数据库文件路径")
                    Foundation.exit(2)
                }
                value = args[1]
                args.removeFirst(2)
            } else {
                value = String(first.dropFirst("--db=".count))
                args.removeFirst()
            }
            setenv("ACADEMY_DB", value, 1)
        }
        if let langError {
            Stderr.line("academy: " + langError)
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(args)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Stderr.line(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
