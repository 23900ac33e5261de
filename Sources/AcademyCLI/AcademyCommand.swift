import ArgumentParser
import CourseLoading
import Exams
import Foundation
import Localization

/// The root of the `academy` command tree. Each subcommand lives in its own file.
public struct AcademyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "academy",
        abstract: "城市管理执法人员教育培训与考试系统 / Training and examination for urban-management enforcement staff.",
        discussion: """
            全局选项 --lang zh-Hans|en 可放在任何位置（默认中文；ACADEMY_LANG 或语言环境明确为其他语言时为英文）。
            The global option --lang zh-Hans|en may appear anywhere (default Chinese unless ACADEMY_LANG or the locale names another language).
            """,
        version: BuildInfo.version,
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
            DbCommand.self,
            HallCommand.self,
        ]
    )
    public init() {}

    /// The program's entry point (called from main.swift) and the only place that exits.
    /// Handles the global `--lang` and `--db`, runs the command, and maps what it throws to exit
    /// codes: usage errors 2 (ArgumentParser's default is 64), help/version 0, a `CommandExit`
    /// its lines and code, a command's own `ExitCode` as given, and any other error a command
    /// throws put into words in the run's language (`CommandFailure`), exit 1.
    public static func runMain(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Never {
        do {
            let (args, language, clock) = try preflight(arguments, environment: ProcessInfo.processInfo.environment)
            if args == ["--version"] {
                print(
                    VersionReport.text(
                        version: BuildInfo.version, commit: BuildInfo.commit, shipped: BuildInfo.shippedContentSHA256, language))
                Foundation.exit(0)
            }
            var command = try ParsingLanguage.$value.withValue(language) { try parseAsRoot(args) }
            do {
                switch command {
                case let c as any LocalizedCommand:
                    let command = UncheckedSendable(c)
                    try await Self.onOwnThread { try command.value.run(in: language, clock: clock) }
                case var c as any AsyncParsableCommand: try await c.run()
                default: try command.run()
                }
            } catch let e where Self.isCommandsOwn(e) {
                throw CommandFailure.exit(for: e, in: language)
            }
            Foundation.exit(0)
        } catch let failure as CommandExit {
            for line in failure.lines { Stderr.line(line) }
            // Exit while `failure` (and whatever it keeps alive) is still in scope.
            withExtendedLifetime(failure) { Foundation.exit(failure.code) }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Stderr.line(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }

    /// Runs a synchronous command on a thread of its own and waits for it. A command blocks (on
    /// the database, on files, on the server's replies) and must not hold one of the few threads
    /// Swift's tasks run on (as many as cores): the PostgreSQL driver's COPY runs as a task, and
    /// the first COPY of an import waited about half a second for a thread while the command
    /// held one of the two.
    static func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    try body()
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
            thread.stackSize = 16 << 20  // the main thread's 8 MiB, doubled: content and XML nest
            thread.start()
        }
    }

    /// Whether an error thrown while running is the command's own (put into words by
    /// `CommandFailure`) rather than ArgumentParser's: its exit codes, clean exits, validation
    /// errors, and the help that its built-in `help` command and `--help` throw as an internal
    /// error type, which ArgumentParser itself turns into the help text and exit 0.
    static func isCommandsOwn(_ error: any Error) -> Bool {
        if error is ExitCode || error is CleanExit || error is ValidationError { return false }
        return exitCode(for: error) == .failure
    }

    /// The global options, taken out of the arguments before parsing, the language of this run
    /// (`--lang`, else `environment`) and its clock; a bad value is a usage error before any
    /// command writes anything.
    static func preflight(_ arguments: [String], environment: [String: String]) throws -> (
        arguments: [String], language: Language, clock: AcademyClock
    ) {
        var (args, chosen, langError) = LanguageOption.extract(from: arguments)
        let language = chosen ?? Language.fromEnvironment(environment)
        // The clock hooks (ACADEMY_NOW, ACADEMY_CLOCK_OFFSET): a bad value is a usage error, not
        // something discovered half-way through an attempt.
        let clock: AcademyClock
        do { clock = try AcademyClock.fromEnvironment(environment) } catch { throw CommandExit(usage: error.message) }
        // `academy --db PATH <command> …` names the database of the whole run, exactly like ACADEMY_DB.
        let leading: (arguments: [String], database: String?)
        do { leading = try DatabaseChoice.leading(args) } catch { throw CommandExit(usage: error.message(in: language)) }
        args = leading.arguments
        if let db = leading.database { setenv("ACADEMY_DB", db, 1) }
        if let langError { throw CommandExit(usage: "academy: " + langError) }
        // A bad /etc/academy/academy.conf (or $ACADEMY_CONFIG) stops every command before it
        // reads or writes anything.
        do { _ = try AcademyConfig.current() } catch {
            throw CommandExit(usage: "academy: " + error.text(in: language))
        }
        return (args, language, clock)
    }
}

/// How a command ends other than by returning, already put into words: `runMain` writes `lines`
/// to standard error and exits with `code` (1 a refusal or failure, 2 a usage error, or a
/// command's own outcome such as lint's 0/1). Commands throw it instead of exiting.
struct CommandExit: Error {
    var lines: [String]
    var code: Int32 = 1
    /// A value to keep alive until the process exits (tearing a large value down costs time).
    var keepAlive: (any Sendable)? = nil

    init(_ lines: [String], code: Int32 = 1, keepAlive: (any Sendable)? = nil) {
        self.lines = lines
        self.code = code
        self.keepAlive = keepAlive
    }

    init(_ line: String, code: Int32 = 1) { self.init([line], code: code) }

    init(usage line: String) { self.init([line], code: 2) }

    /// Exit `code` quietly (the command has already said everything).
    static func exit(_ code: Int32, keepAlive: (any Sendable)? = nil) -> CommandExit {
        CommandExit([], code: code, keepAlive: keepAlive)
    }
}

/// A value handed to another thread that only that thread then uses (the parsed command).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
