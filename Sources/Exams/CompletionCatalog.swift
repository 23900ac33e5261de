import CourseLoading
import Courseware
import Foundation
import Records

#if canImport(Glibc)
    import Glibc
#endif

/// What the cycle, record and roster commands need from the content: each course's required
/// items and each blueprint's attempts and counting rule — a few kilobytes, where the content is
/// megabytes of XML. Kept in the content cache next to the exam cache, under the same key (every
/// content file's path, size, inode, mtime and ctime), so these commands parse, validate and
/// lint the content only when it changed. Content with errors is never cached (it is loaded,
/// with its note on stderr, every time).
public struct CompletionCatalog: Codable, Equatable, Sendable {
    public struct Blueprint: Codable, Equatable, Sendable {
        public var maxAttempts: Int
        public var counting: ExamBlueprint.CountingRule
    }

    /// Course id → ids of its required lessons and case studies.
    public var courses: [String: [String]]
    public var blueprints: [String: Blueprint]

    public init(_ content: ContentSet) {
        courses = Dictionary(content.courses.map { ($0.id, $0.requiredItemIDs) }, uniquingKeysWith: { a, _ in a })
        blueprints = Dictionary(
            content.blueprints.map { ($0.id, Blueprint(maxAttempts: $0.maxAttempts, counting: $0.counting)) },
            uniquingKeysWith: { a, _ in a })
    }

    /// The same rule `CompletionRule(cycle:content:)` gives.
    public func rule(for cycle: TrainingCycle) -> CompletionRule? {
        guard let items = courses[cycle.courseID], let bp = blueprints[cycle.blueprintID] else { return nil }
        return CompletionRule(requiredItemIDs: items, maxAttempts: bp.maxAttempts, counting: bp.counting)
    }

    static let version = "completion-catalog-1"

    /// The rule of every cycle whose course and blueprint the catalog has.
    public func rules(for cycles: [TrainingCycle]) -> [String: CompletionRule] {
        var rules: [String: CompletionRule] = [:]
        for c in cycles { rules[c.id] = rule(for: c) }
        return rules
    }

    /// The catalog of the content at the content paths `explicit` (`ContentLocator`), cached
    /// beside the exam content (`ExamContentCache.defaultDirectory`).
    public static func load(
        content explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        load: () throws -> (content: ContentSet, hasErrors: Bool)
    ) throws -> CompletionCatalog {
        try self.load(
            files: ContentLocator.files(explicit, environment: environment),
            directory: ExamContentCache.defaultDirectory(environment: environment), load: load)
    }

    /// The completion rule of `cycle` for the roster commands. With `assumeLessons` (the hidden
    /// `--assume-lessons N --assume-max-attempts M` of benchmarks and synthetic data) the assumed
    /// rule, without reading any content; else the content's (through the cache). Content that is
    /// missing, unreadable or without the cycle's course or blueprint gives the assumed rule with
    /// no required lessons, and `noContent` is called (to warn).
    public static func rule(
        for cycle: TrainingCycle, content explicit: [String], assumeLessons: Int?, assumeMaxAttempts: Int?,
        environment: [String: String] = ProcessInfo.processInfo.environment, noContent: () -> Void
    ) -> CompletionRule {
        if assumeLessons == nil {
            let catalog = try? load(content: explicit, environment: environment) {
                let loaded = try ContentLocator.load(explicit, environment: environment)
                return (loaded.content, loaded.hasErrors)
            }
            if let rule = catalog?.rule(for: cycle) { return rule }
            noContent()
        }
        return .assumed(lessons: assumeLessons ?? 0, maxAttempts: assumeMaxAttempts ?? 3)
    }

    /// As `load(content:)`, or nil when the search finds no content at all
    /// (`ContentLocator.isPresent`): for the commands that can do more with the content but also
    /// work without it.
    public static func loadIfPresent(
        content explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        load: () throws -> (content: ContentSet, hasErrors: Bool)
    ) throws -> CompletionCatalog? {
        guard try ContentLocator.isPresent(explicit, environment: environment) else { return nil }
        return try self.load(content: explicit, environment: environment, load: load)
    }

    /// From the cache in `directory` when the content `files` are unchanged (see
    /// `ExamContentCache.key`), else loaded (`load`) and cached when it has no errors. Without a
    /// directory or a listing of the files, always loaded.
    public static func load(
        files: [String]?, directory: URL?, load: () throws -> (content: ContentSet, hasErrors: Bool)
    ) throws -> CompletionCatalog {
        guard let dir = directory, let files, let key = try? ExamContentCache.key(files: files) else {
            return CompletionCatalog(try load().content)
        }
        let file = dir.appendingPathComponent("\(version)-\(key).json")
        if let data = try? Data(contentsOf: file), let cached = try? JSONDecoder().decode(CompletionCatalog.self, from: data) {
            return cached
        }
        let loaded = try load()
        let catalog = CompletionCatalog(loaded.content)
        if !loaded.hasErrors, let data = try? JSONEncoder().encode(catalog) {
            let tmp = dir.appendingPathComponent(".\(version)-\(key).\(getpid()).tmp")
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try data.write(to: tmp)
                if rename(tmp.path, file.path) != 0 { try? FileManager.default.removeItem(at: tmp) }
            } catch {
                try? FileManager.default.removeItem(at: tmp)
            }
        }
        return catalog
    }
}
