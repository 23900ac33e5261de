import ArgumentParser
import Courseware
import Foundation
import Records

/// Content for commands that can do more with it (status counts need the course's required
/// items and the blueprint's attempts policy) but work without it.
/// Paths are found as for every other command (`--content`, `ACADEMY_CONTENT`, else `Courses/`
/// and `QuestionBank/` in the working directory).
struct RecordsContentOptions: ParsableArguments {
    @Option(name: .customLong("content"),
            help: "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/).")
    var content: [String] = []

    /// The content set, or nil when there is none to find. A content path that was named but
    /// cannot be read is reported on stderr; the command then carries on without content (and
    /// says what it assumes).
    func loadIfPresent() -> ContentSet? {
        let named = !content.isEmpty || !(ProcessInfo.processInfo.environment["ACADEMY_CONTENT"] ?? "").isEmpty
        do {
            let loaded = try ContentLocator.load(content)
            if loaded.hasErrors {
                Stderr.line(L10n.pick(
                    zh: "注意：内容有 \(loaded.errorCount) 个错误，运行 academy lint 查看详情",
                    en: "note: the content has \(loaded.errorCount) errors; run academy lint for details"))
            }
            return loaded.content
        } catch {
            if named { Stderr.line(error.description) }
            return nil
        }
    }
}
