import ArgumentParser
import CourseLoading
import Courseware
import Exams
import Localization
import Records

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
