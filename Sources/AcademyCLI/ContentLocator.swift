import ArgumentParser
import CourseLoading
import Foundation
import Localization

/// The content search and loading are in CourseLoading; the alias serves the files that do not import it.
typealias ContentLocator = CourseLoading.ContentLocator

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
