import CourseLoading
import Courseware
import Foundation

extension ExamContentCache {
    /// Where parsed content is cached: `$ACADEMY_CACHE_DIR`, else `$XDG_CACHE_HOME/academy`, else
    /// `~/.cache/academy`; `ACADEMY_CACHE_DIR=off` disables it (nil).
    public static func defaultDirectory(environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let d = env["ACADEMY_CACHE_DIR"], !d.isEmpty { return d == "off" ? nil : URL(fileURLWithPath: d) }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("academy") }
        if let h = env["HOME"], !h.isEmpty { return URL(fileURLWithPath: h).appendingPathComponent(".cache/academy") }
        return nil
    }

    /// The exam content for the content paths `explicit`, cached in `defaultDirectory`.
    public static func load(
        content explicit: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        load: () throws -> (content: ContentSet, hasErrors: Bool)
    ) throws -> ExamContent {
        let files = ContentLocator.files(explicit, environment: environment)
        return try self.load(files: files, directory: defaultDirectory(environment: environment), load: load)
    }
}
