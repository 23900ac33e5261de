import ArgumentParser
import CourseLoading
import Courseware
import Exams
import Foundation
import Localization
import Records

/// `--content PATH` for commands that can do more with the content (status counts need the
/// course's required items and the blueprint's attempts policy) but also work without it.
/// Shared by the cycle, record and roster commands.
struct RecordsContentOptions: ParsableArguments {
    @Option(
        name: .customLong("content"),
        help:
            "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/，否则为安装的内容）/ Content file or directory (repeatable; default Courses/ and QuestionBank/, else the installed content)."
    )
    var content: [String] = []

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
        return try loading(language) { try CompletionCatalog.load(content) { try ContentLocator.loadForUse(content, language) } }
    }

    /// The whole content when some is found (certificates name the course and its hours).
    func loadIfPresent(_ language: Language) throws -> ContentSet? {
        guard try found(language) else { return nil }
        return try loading(language) { try ContentLocator.loadForUse(content, language).content }
    }

    /// The completion rule of every cycle whose course and blueprint the content has.
    func rules(for cycles: [TrainingCycle], _ language: Language) throws -> [String: CompletionRule] {
        try catalogIfPresent(language)?.rules(for: cycles) ?? [:]
    }
}

extension CompletionCatalog {
    /// The catalog of the content at the `--content` paths `explicit` (see `ContentSearch`), from
    /// the content cache (the exam cache's directory) when the content is unchanged.
    static func load(_ explicit: [String], load: () throws -> LoadedContent) throws -> CompletionCatalog {
        let files = try? ContentLoader.expand(paths: ContentLocator.paths(explicit))
        return try Self.load(files: files, directory: ExamTakeCommand.cacheDirectory) {
            let loaded = try load()
            return (loaded.content, loaded.hasErrors)
        }
    }
}
