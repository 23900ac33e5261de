import ArgumentParser
import Courseware
import Foundation
import Records

/// Content for commands that can do more with it (status counts need the course's required
/// items and the blueprint's attempts policy) but work without it.
/// INTERIM: until the content loader lands on main this finds no content; it is replaced by the
/// shared `ContentOptions` then.
struct RecordsContentOptions: ParsableArguments {
    @Option(name: .customLong("content"),
            help: "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/).")
    var content: [String] = []

    func loadIfPresent() -> ContentSet? { nil }
}
