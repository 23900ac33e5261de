import ArgumentParser
import Foundation
import Records
import StaffFiles

/// The shared database option: `--db PATH`, else `ACADEMY_DB`, else `db =` in the configuration
/// file (`/etc/academy/academy.conf`, see `AcademyConfig`), else `academy.sqlite` in the working
/// directory. A `postgres://user@host:port/dbname` URL selects the PostgreSQL store. Every command
/// that touches the store takes it as `@OptionGroup`.
public struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help:
            "数据库文件或 postgres:// 地址 / Database file or postgres:// URL (default: $ACADEMY_DB, else db = in /etc/academy/academy.conf, else ./academy.sqlite)."
    )
    public var db: String?

    public init() {}

    public var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ACADEMY_DB"], !env.isEmpty { return env }
        // `runMain` has already refused a bad configuration file.
        if let configured = (try? AcademyConfig.current())?.db { return configured }
        return "academy.sqlite"
    }

    /// Opens the store; a failure is thrown as a `CommandExit` (exit 1).
    public func open() throws -> any EducationStore {
        do {
            return try openEducationStore(path)
        } catch {
            throw RecordsCLI.failure(error)
        }
    }
}

/// Small helpers shared by the staff, cycle, record and audit commands.
enum RecordsCLI {
    /// The interface language chosen by `--lang` / `ACADEMY_LANG` / `LANG` (see `L10n`).
    static var chinese: Bool { L10n.isChinese }

    static func text(_ zh: String, _ en: String) -> String { chinese ? zh : en }

    static func text(_ t: BilingualText) -> String { t.pick(chinese: chinese) }

    /// The error put into words in the interface language, as a `CommandExit` (exit 1).
    static func failure(_ error: any Error) -> CommandExit {
        if let f = error as? CommandExit { return f }
        if let e = error as? StaffImportError {
            return CommandExit(e.problems.map { $0.render(chinese: chinese) } + [text(e.message)])
        }
        if let e = error as? any BilingualError { return CommandExit(text(e.message)) }
        return CommandExit("\(error)")
    }

    /// Runs `body`, putting any error but a command's own `ExitCode` into words (exit 1).
    static func run<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ExitCode { throw e } catch { throw failure(error) }
    }

    /// The current time on the command's clock (`AcademyClock`).
    static func now() -> Date { AcademyClock.wall.now() }
}
