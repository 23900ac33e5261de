import ArgumentParser
import CourseLoading
import Foundation
import Localization
import Records
import Spreadsheets
import StaffFiles

/// The shared database option: `--db PATH`, else `ACADEMY_DB`, else `db =` in the configuration
/// file (`/etc/academy/academy.conf`, see `AcademyConfig`), else `academy.sqlite` in the working
/// directory. A `postgres://user@host:port/dbname` URL selects the PostgreSQL store. Every command
/// that touches the store takes it as `@OptionGroup`.
public struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "数据库文件或 postgres:// 地址 / Database file or postgres:// URL (default: $ACADEMY_DB, else db = in /etc/academy/academy.conf, else ./academy.sqlite).")
    public var db: String?

    public init() {}

    public var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ACADEMY_DB"], !env.isEmpty { return env }
        // `runMain` has already refused a bad configuration file.
        if let configured = (try? AcademyConfig.current())?.db { return configured }
        return "academy.sqlite"
    }

    /// Opens the store (a failure is put into words by `runMain`, exit 1).
    public func open(_ language: Language) throws -> any EducationStore { try openEducationStore(path) }
}

/// Whatever a command throws, put into words in the run's language: `runMain` sends every error
/// but ArgumentParser's own through here, so commands need not wrap their calls.
enum CommandFailure {
    /// The error as a `CommandExit` (exit 1) in `language`.
    static func exit(for error: any Error, in language: Language) -> CommandExit {
        if let f = error as? CommandExit { return f }
        if let e = error as? StaffImportError {
            return CommandExit(e.problems.map { $0.text(in: language) } + [e.message(in: language)])
        }
        // Located: `file:line:col: error: …` in the language.
        if let e = error as? SpreadsheetError { return CommandExit(e.located(in: language)) }
        if let e = error as? any BilingualError { return CommandExit(e.message(in: language)) }
        return CommandExit(language.text(error))
    }
}
