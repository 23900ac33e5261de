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
            "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/)."
    )
    var content: [String] = []

    /// nil when no path is given, `ACADEMY_CONTENT` is unset and there is no `Courses/` or
    /// `QuestionBank/` here. Content that cannot be loaded is a usage error (exit 2).
    func loadIfPresent() throws -> ContentSet? {
        let env = ProcessInfo.processInfo.environment["ACADEMY_CONTENT"] ?? ""
        if content.isEmpty, env.isEmpty,
            !ContentLocator.defaultDirectories.contains(where: { FileManager.default.fileExists(atPath: $0) })
        {
            return nil
        }
        do {
            return try ContentLocator.loadForUse(content).content
        } catch let e as ExitCode {
            throw e
        } catch {
            throw CommandExit(usage: "\(error)")
        }
    }

    /// The completion rule of every cycle whose course and blueprint the content has.
    func rules(for cycles: [TrainingCycle]) throws -> [String: CompletionRule] {
        guard let set = try loadIfPresent() else { return [:] }
        var rules: [String: CompletionRule] = [:]
        for c in cycles { rules[c.id] = CompletionRule(cycle: c, content: set) }
        return rules
    }
}
