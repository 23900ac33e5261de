import Foundation
import Localization

/// Where a command finds its content when it is not given one. The search order, also in
/// docs/admin-guide.md ("内容的查找顺序 / Where the content comes from") — the first step that
/// yields something wins:
///
/// 1. `--content PATH` (repeatable);
/// 2. `ACADEMY_CONTENT` (paths separated by `:`);
/// 3. `Courses/` and `QuestionBank/` in the working directory, those that exist (a source checkout);
/// 4. the installed content: `Courses/` and `QuestionBank/` of the first of
///    `<binary's directory>/../share/academy` and `/usr/share/academy` that has them; then
///    `content.d/` beside the configuration file (`/etc/academy/content.d/`) when it exists; then
///    every `content =` line of the configuration file (`/etc/academy/academy.conf`).
public enum ContentSearch {
    public static let installedShare = "/usr/share/academy"

    /// The content paths, or nil when no step yields any. Throws for a bad configuration file.
    public static func paths(
        explicit: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) },
        shareCandidates: [String] = ContentSearch.shareCandidates()
    ) throws(AcademyConfig.Failure) -> [String]? {
        if !explicit.isEmpty { return explicit }
        if let env = environment["ACADEMY_CONTENT"], !env.isEmpty {
            return env.split(separator: ":").map(String.init)
        }
        let here = ContentLocator.defaultDirectories.filter(fileExists)
        if !here.isEmpty { return here }
        let config = try AcademyConfig.current(environment: environment)
        var found: [String] = []
        for share in shareCandidates {
            let dirs = ContentLocator.defaultDirectories.map { share + "/" + $0 }.filter(fileExists)
            if !dirs.isEmpty {
                found = dirs
                break
            }
        }
        let local = config.directory + "/content.d"
        if fileExists(local) { found.append(local) }
        found += config.content
        return found.isEmpty ? nil : found
    }

    /// `<directory of the running binary>/../share/academy`, then `/usr/share/academy`.
    public static func shareCandidates() -> [String] {
        var out: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let prefix = ((exe as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            out.append((prefix as NSString).appendingPathComponent("share/academy"))
        }
        if !out.contains(installedShare) { out.append(installedShare) }
        return out
    }

    /// What the error says when nothing was found.
    public static var notFoundMessage: BilingualText {
        BilingualText(
            zh:
                "找不到内容：未给出 --content，未设置 ACADEMY_CONTENT，当前目录下没有 Courses/ 或 QuestionBank/，也没有安装的内容（\(installedShare)、/etc/academy/content.d/）；请在项目根目录运行，或给出内容路径",
            en:
                "no content found: no --content, no ACADEMY_CONTENT, no Courses/ or QuestionBank/ in the current directory, and no installed content (\(installedShare), /etc/academy/content.d/); run from the project root or give the content paths"
        )
    }
}
