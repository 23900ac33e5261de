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

    public var path: String { DatabaseChoice.path(explicit: db, environment: ProcessInfo.processInfo.environment) }

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
        if let e = error as? any BilingualUsageError { return CommandExit(usage: e.message(in: language)) }
        if let e = error as? any BilingualError { return CommandExit(e.message(in: language)) }
        return CommandExit(language.text(error))
    }
}

/// `--follow-symlinks`, shared by every command with `-o`; `resolve` applies the one rule for
/// output paths (see `OutputTarget` and `AtomicFileWriter.checkDestination`).
struct OutputFileOptions: ParsableArguments {
    @Flag(name: .customLong("follow-symlinks"), help: "-o 为符号链接时写入其指向的文件（默认拒绝）/ When -o is a symbolic link, write the file it points to (refused by default).")
    var followSymlinks = false

    /// The target of `-o ARG`, or why not (a `SpreadsheetError` naming the path, exit 1).
    func resolve(_ argument: String) throws -> OutputTarget {
        try OutputTarget.resolve(argument, followSymlinks: followSymlinks)
    }
}

/// `--content PATH` (repeatable) for commands that read the content set.
public struct ContentOptions: ParsableArguments {
    @Option(name: .customLong("content"), help: "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/，否则为安装的内容）/ Content file or directory (repeatable; default Courses/ and QuestionBank/, else the installed content).")
    public var content: [String] = []

    public init() {}

    /// The content (a missing content set exits 2); a note on stderr when it has errors.
    public func load(_ language: Language) throws -> LoadedContent {
        try ContentLocator.loadForUse(content) { Stderr.line($0.text(in: language)) }
    }
}

/// The one writer to standard error (unbuffered, so the order is the order written).
enum Stderr {
    static func line(_ s: String) { write(s + "\n") }

    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// For the cycle, record and roster commands, which can do more with the content (status counts
/// need the course's required items and the blueprint's attempts policy) but also work without it.
extension ContentOptions {
    /// nil when no content is found. What these commands need comes from the content cache when
    /// the content is unchanged.
    func catalogIfPresent(_ language: Language) throws -> CompletionCatalog? {
        try CompletionCatalog.loadIfPresent(content: content) {
            let loaded = try load(language)
            return (loaded.content, loaded.hasErrors)
        }
    }

    /// The whole content when some is found (certificates name the course and its hours).
    func loadIfPresent(_ language: Language) throws -> ContentSet? {
        try ContentLocator.isPresent(content) ? load(language).content : nil
    }

    /// The completion rule of every cycle whose course and blueprint the content has.
    func rules(for cycles: [TrainingCycle], _ language: Language) throws -> [String: CompletionRule] {
        try catalogIfPresent(language)?.rules(for: cycles) ?? [:]
    }
}
