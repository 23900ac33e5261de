import ArgumentParser
import CourseLoading
import Courseware
import Foundation
import Localization

/// Finds and loads the content set (Courses/ and QuestionBank/) for any command.
public enum ContentLocator {
    public static let defaultDirectories = ["Courses", "QuestionBank"]

    public struct Failure: Error, CustomStringConvertible, LocalizedText {
        public var message: BilingualText
        public func text(in language: Language) -> String { message.text(in: language) }
        public var description: String { message.description }
    }

    /// The content paths in the search order of `ContentSearch` (explicit paths, `ACADEMY_CONTENT`,
    /// a source checkout, the installed content); throws when none is found or the configuration
    /// file is bad.
    public static func paths(_ explicit: [String]) throws(Failure) -> [String] {
        let found: [String]?
        do { found = try ContentSearch.paths(explicit: explicit) } catch { throw Failure(message: error.message) }
        guard let found else { throw Failure(message: ContentSearch.notFoundMessage) }
        return found
    }

    /// Loads (and lints) the content. Throws only for missing paths.
    public static func load(_ explicit: [String] = []) throws(Failure) -> LoadedContent {
        let p = try paths(explicit)
        do {
            let loaded = try ContentLoader.load(paths: p)
            if loaded.files.isEmpty {
                throw Failure(
                    message: BilingualText(
                        zh: "在 \(p.joined(separator: "、")) 中没有找到 .xml 文件",
                        en: "no .xml files found in \(p.joined(separator: ", "))"))
            }
            return loaded
        } catch let e as ContentLoader.PathError {
            throw Failure(message: e.message)
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure(message: BilingualText("\(error)"))
        }
    }

    /// For commands that use content but do not lint it: load, and when the content has errors
    /// say so on stderr (the command carries on with what loaded).
    public static func loadForUse(_ explicit: [String] = [], _ language: Language) throws -> LoadedContent {
        let loaded: LoadedContent
        do {
            loaded = try load(explicit)
        } catch {
            Stderr.line(error.text(in: language))
            throw ExitCode(2)
        }
        if loaded.hasErrors {
            Stderr.line(
                language.pick(
                    zh: "注意：内容有 \(loaded.errorCount) 个错误，运行 academy lint 查看详情",
                    en: "note: the content has \(loaded.errorCount) errors; run academy lint for details"))
        }
        return loaded
    }
}

/// `--content PATH` (repeatable) for commands that read the content set.
public struct ContentOptions: ParsableArguments {
    @Option(
        name: .customLong("content"),
        help:
            "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/，否则为安装的内容）/ Content file or directory (repeatable; default Courses/ and QuestionBank/, else the installed content)."
    )
    public var content: [String] = []

    public init() {}

    public func load(_ language: Language) throws -> LoadedContent { try ContentLocator.loadForUse(content, language) }
}

/// The one writer to standard error (unbuffered, so the order is the order written).
enum Stderr {
    static func line(_ s: String) { write(s + "\n") }

    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
