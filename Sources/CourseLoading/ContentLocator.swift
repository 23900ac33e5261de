import Courseware
import Foundation
import Localization

/// Finds and loads the content set (Courses/ and QuestionBank/) for any command.
public enum ContentLocator {
    public static let defaultDirectories = ["Courses", "QuestionBank"]

    /// Content that cannot be found or read: a usage error (the command line exits 2).
    public struct Failure: BilingualUsageError, LocalizedText {
        public var message: BilingualText
        public init(message: BilingualText) { self.message = message }
        public func text(in language: Language) -> String { message.text(in: language) }
        public var description: String { message.description }
    }

    /// The content paths in the search order of `ContentSearch` (explicit paths, `ACADEMY_CONTENT`,
    /// a source checkout, the installed content); throws when none is found or the configuration
    /// file is bad.
    public static func paths(
        _ explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> [String] {
        let found: [String]?
        do { found = try ContentSearch.paths(explicit: explicit, environment: environment) } catch {
            throw Failure(message: error.message)
        }
        guard let found else { throw Failure(message: ContentSearch.notFoundMessage) }
        return found
    }

    /// The content files (`.xml`, as `ContentLoader.expand` lists them) the search finds for
    /// `explicit`; nil when there is no content or the files cannot be listed.
    public static func files(
        _ explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> [String]? {
        try? ContentLoader.expand(paths: paths(explicit, environment: environment))
    }

    /// Loads (and lints) the content. Throws only for missing paths.
    public static func load(
        _ explicit: [String] = [], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> LoadedContent {
        let p = try paths(explicit, environment: environment)
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

    /// Whether the search (`ContentSearch`) finds any content; a bad configuration file throws.
    public static func isPresent(
        _ explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> Bool {
        do { return try ContentSearch.paths(explicit: explicit, environment: environment) != nil } catch {
            throw Failure(message: error.message)
        }
    }

    /// For a command that uses the content but does not lint it: `load`, and when the content
    /// has errors, `errorsNote` goes to `note` (the command carries on with what loaded).
    public static func loadForUse(
        _ explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        note: (BilingualText) -> Void
    ) throws(Failure) -> LoadedContent {
        let loaded = try load(explicit, environment: environment)
        if let n = errorsNote(loaded) { note(n) }
        return loaded
    }

    /// The note a command that uses content (but does not lint it) prints when the content has errors.
    public static func errorsNote(_ loaded: LoadedContent) -> BilingualText? {
        guard loaded.hasErrors else { return nil }
        return BilingualText(
            zh: "注意：内容有 \(loaded.errorCount) 个错误，运行 academy lint 查看详情",
            en: "note: the content has \(loaded.errorCount) errors; run academy lint for details")
    }
}
