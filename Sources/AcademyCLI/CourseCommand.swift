import ArgumentParser
import Foundation
import Localization
import TextViews

/// `academy course list` and `academy course show ID` (the text is `CourseOutline`'s).
struct CourseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "查看课程 / Browse courses.",
        subcommands: [List.self, Show.self, CourseHandoutCommand.self])

    struct List: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出课程 / List the courses.")
        @OptionGroup var contentOptions: ContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let loaded = try contentOptions.load(language)
            FileHandle.standardOutput.write(Data(CourseOutline(language: language).list(loaded.content).utf8))
        }
    }

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "显示课程大纲 / Print a course outline.")
        @Argument(help: "课程 id / Course id.") var id: String
        @OptionGroup var contentOptions: ContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let loaded = try contentOptions.load(language)
            FileHandle.standardOutput.write(Data(try CourseOutline(language: language).show(id: id, in: loaded.content).utf8))
        }
    }
}
