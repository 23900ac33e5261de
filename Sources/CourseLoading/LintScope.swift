import Courseware
import Foundation
import Localization

/// `academy lint Courses/` alone must not report false coverage warnings because the questions
/// are in `QuestionBank/`: when the given paths sit in a project (a directory with both Courses/
/// and QuestionBank/), the whole content set is loaded and only the given files' diagnostics are
/// kept; otherwise the coverage checks that need the missing half are skipped, and lint says so
/// (`note`).
public enum LintScope {
    public static let coverageCodes: Set<String> = ["provision-under-tested", "provision-not-taught"]

    public static func widen(_ loaded: LoadedContent, paths: [String]) throws(ContentLocator.Failure) -> (
        loaded: LoadedContent, note: BilingualText?
    ) {
        guard !paths.isEmpty else { return (loaded, nil) }
        let partial = loaded.content.banks.isEmpty || loaded.content.courses.isEmpty
        guard partial else { return (loaded, nil) }
        let fm = FileManager.default
        // The project root: the nearest directory above the first path with Courses/ and QuestionBank/.
        var root: String? = nil
        var dir = URL(fileURLWithPath: paths[0]).standardizedFileURL
        for _ in 0..<8 {
            if fm.fileExists(atPath: dir.appendingPathComponent("Courses").path),
                fm.fileExists(atPath: dir.appendingPathComponent("QuestionBank").path)
            {
                root = dir.path
                break
            }
            if dir.path == "/" { break }
            dir = dir.deletingLastPathComponent()
        }
        let given = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        func inGiven(_ file: String) -> Bool {
            let p = URL(fileURLWithPath: file).standardizedFileURL.path
            return given.contains { p == $0 || p.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        }
        if let root {
            let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL.path
            let base = root == cwd ? "" : (root.hasPrefix(cwd + "/") ? String(root.dropFirst(cwd.count + 1)) + "/" : root + "/")
            var whole = try ContentLocator.load([base + "Courses", base + "QuestionBank"])
            if given.allSatisfy({ p in whole.files.contains { URL(fileURLWithPath: $0).standardizedFileURL.path.hasPrefix(p) } }) {
                whole.diagnostics = whole.diagnostics.filter { inGiven($0.location.file) }
                whole.files = whole.files.filter(inGiven)
                return (whole, nil)
            }
        }
        var out = loaded
        let skip: Set<String> =
            loaded.content.banks.isEmpty && loaded.content.courses.isEmpty
            ? coverageCodes : loaded.content.banks.isEmpty ? ["provision-under-tested"] : ["provision-not-taught"]
        out.diagnostics = loaded.diagnostics.filter { !skip.contains($0.code) }
        let note = BilingualText(
            zh: "注意：给出的文件中没有\(loaded.content.banks.isEmpty ? "题库" : "课程")，已跳过条款覆盖检查（考查次数、课时引用）；检查整个内容集请不带路径运行 academy lint",
            en: "note: the given files have no \(loaded.content.banks.isEmpty ? "question banks" : "courses"), so coverage checks (questions and lessons per provision) were skipped; run academy lint without paths to check the whole content set")
        return (out, note)
    }
}
