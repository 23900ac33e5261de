import ArgumentParser
import CourseLoading
import Courseware
import Exams
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
    public func open() throws -> any EducationStore { try openEducationStore(path) }
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

/// `--follow-symlinks`, shared by every command with `-o`; `resolve` applies the one rule for
/// output paths (see `OutputTarget` and `AtomicFileWriter.checkDestination`).
struct OutputFileOptions: ParsableArguments {
    @Flag(name: .customLong("follow-symlinks"), help: "-o 为符号链接时写入其指向的文件（默认拒绝）/ When -o is a symbolic link, write the file it points to (refused by default).")
    var followSymlinks = false

    /// The target of `-o ARG`, or why not (exit 1).
    func resolve(_ argument: String, _ language: Language) throws -> OutputTarget {
        do {
            return try OutputTarget.resolve(argument, followSymlinks: followSymlinks)
        } catch let e as SpreadsheetError {
            throw CommandExit(e.located(in: language))
        }
    }
}


extension ContentLocator {
    /// For commands that use content but do not lint it: load, and when the content has errors
    /// say so on stderr (the command carries on with what loaded). A missing content set exits 2.
    static func loadForUse(_ explicit: [String] = [], _ language: Language) throws -> LoadedContent {
        let loaded: LoadedContent
        do { loaded = try load(explicit) } catch {
            Stderr.line(error.text(in: language))
            throw ExitCode(2)
        }
        if let note = errorsNote(loaded) { Stderr.line(note.text(in: language)) }
        return loaded
    }
}

/// `--content PATH` (repeatable) for commands that read the content set.
public struct ContentOptions: ParsableArguments {
    @Option(name: .customLong("content"), help: "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/，否则为安装的内容）/ Content file or directory (repeatable; default Courses/ and QuestionBank/, else the installed content).")
    public var content: [String] = []

    public init() {}

    public func load(_ language: Language) throws -> LoadedContent { try ContentLocator.loadForUse(content, language) }
}

/// The one writer to standard error (unbuffered, so the order is the order written).
enum Stderr {
    static func line(_ s: String) { write(s + "\n") }

    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// For the cycle, record and roster commands, which can do more with the content (status counts
/// need the course's required items and the blueprint's attempts policy) but also work without it.
extension ContentOptions {
    /// Whether any content is found (see `ContentSearch`); a bad search path is a usage error.
    private func found(_ language: Language) throws -> Bool {
        do { return try ContentSearch.paths(explicit: content) != nil } catch {
            throw CommandExit(usage: error.text(in: language))
        }
    }

    /// Loads content, mapping a failure to a usage error (exit 2).
    private func loading<T>(_ language: Language, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ExitCode { throw e } catch { throw CommandExit(usage: language.text(error)) }
    }

    /// nil when no content is found. What these commands need comes from the content cache when
    /// the content is unchanged.
    func catalogIfPresent(_ language: Language) throws -> CompletionCatalog? {
        guard try found(language) else { return nil }
        return try loading(language) {
            try CompletionCatalog.load(content: content) {
                let loaded = try load(language)
                return (loaded.content, loaded.hasErrors)
            }
        }
    }

    /// The whole content when some is found (certificates name the course and its hours).
    func loadIfPresent(_ language: Language) throws -> ContentSet? {
        guard try found(language) else { return nil }
        return try loading(language) { try load(language).content }
    }

    /// The completion rule of every cycle whose course and blueprint the content has.
    func rules(for cycles: [TrainingCycle], _ language: Language) throws -> [String: CompletionRule] {
        try catalogIfPresent(language)?.rules(for: cycles) ?? [:]
    }
}
