import ArgumentParser
import CourseLoading
import Courseware
import Foundation

/// Finds and loads the content set (Courses/ and QuestionBank/) for any command.
public enum ContentLocator {
    public static let defaultDirectories = ["Courses", "QuestionBank"]

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Explicit paths if any; else `ACADEMY_CONTENT` (paths separated by `:`); else `Courses/`
    /// and `QuestionBank/` in the current directory, those that exist.
    public static func paths(_ explicit: [String]) throws(Failure) -> [String] {
        if !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment["ACADEMY_CONTENT"], !env.isEmpty {
            return env.split(separator: ":").map(String.init)
        }
        let found = defaultDirectories.filter { FileManager.default.fileExists(atPath: $0) }
        if found.isEmpty {
            throw Failure(
                description: L10n.pick(
                    zh: "当前目录下没有 Courses/ 或 QuestionBank/；请在项目根目录运行，或给出内容路径",
                    en:
                        "no Courses/ or QuestionBank/ in the current directory; run from the project root or give the content paths"
                ))
        }
        return found
    }

    /// Loads (and lints) the content. Throws only for missing paths.
    public static func load(_ explicit: [String] = []) throws(Failure) -> LoadedContent {
        let p = try paths(explicit)
        do {
            let loaded = try ContentLoader.load(paths: p)
            if loaded.files.isEmpty {
                throw Failure(
                    description: L10n.pick(
                        zh: "在 \(p.joined(separator: "、")) 中没有找到 .xml 文件",
                        en: "no .xml files found in \(p.joined(separator: ", "))"))
            }
            return loaded
        } catch let e as ContentLoader.PathError {
            throw Failure(description: e.description)
        } catch let e as Failure {
            throw e
        } catch {
            throw Failure(description: "\(error)")
        }
    }

    /// For commands that use content but do not lint it: load, and when the content has errors
    /// say so on stderr (the command carries on with what loaded).
    public static func loadForUse(_ explicit: [String] = []) throws -> LoadedContent {
        let loaded: LoadedContent
        do {
            loaded = try load(explicit)
        } catch {
            Stderr.line(error.description)
            throw ExitCode(2)
        }
        if loaded.hasErrors {
            Stderr.line(
                L10n.pick(
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
            "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/)."
    )
    public var content: [String] = []

    public init() {}

    public func load() throws -> LoadedContent { try ContentLocator.loadForUse(content) }
}

/// The one writer to standard error (unbuffered, so the order is the order written).
enum Stderr {
    static func line(_ s: String) { write(s + "\n") }

    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}
