import ArgumentParser
import CourseLoading
import Courseware
import Foundation
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

    /// nil when no content is found (see `ContentSearch`). Content that cannot be loaded prints
    /// why and exits 2.
    func loadIfPresent() -> ContentSet? {
        do {
            if try ContentSearch.paths(explicit: content) == nil { return nil }
        } catch {
            RecordsCLI.stderr(error.description)
            Foundation.exit(2)
        }
        do {
            return try ContentLocator.loadForUse(content).content
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            RecordsCLI.stderr("\(error)")
            Foundation.exit(2)
        }
    }

    /// The completion rule of every cycle whose course and blueprint the content has.
    func rules(for cycles: [TrainingCycle]) -> [String: CompletionRule] {
        guard let set = loadIfPresent() else { return [:] }
        var rules: [String: CompletionRule] = [:]
        for c in cycles { rules[c.id] = CompletionRule(cycle: c, content: set) }
        return rules
    }
}
