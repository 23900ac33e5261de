import ArgumentParser
import Foundation
import Localization
import Records
import TextViews

/// `academy record show BADGE`: one person's education record (教育培训档案) across cycles.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "教育培训档案 / Education records.",
        subcommands: [Show.self, Verify.self]
    )

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "查看一名人员的完整档案 / Show one person's whole history.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "执法证号 / Badge.") var badge: String
        @Option(help: "text | json") var format: OutputFormat = .text
        @OptionGroup var content: ContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            let now = clock.now()
            let rules = try content.rules(for: try store.cycles(), language)
            let record = try store.educationRecord(badge: badge, rules: rules, now: now)
            switch format {
            case .json: print(TextFormat.json(RecordView.json(record)))
            case .text: print(RecordView.text(record, language: language))
            }
        }
    }
}
