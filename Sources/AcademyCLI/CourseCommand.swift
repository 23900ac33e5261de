import ArgumentParser
import Foundation
import Handouts
import Localization
import Spreadsheets
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

/// `academy course handout COURSE -o handout.html [--module M] [--with-answers]`.
struct CourseHandoutCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "生成可打印的 A4 讲义（HTML）/ Write a printable A4 handout (HTML).",
        discussion: """
            讲义是单个 HTML 文件（样式内嵌，无外部资源），在浏览器中打印为 A4 即可；每个单元另起一页。
            --with-answers 附一份按考试蓝图抽取的练习卷，答案与解析在最后。
            One self-contained HTML file; print it at A4 from a browser. --with-answers adds a practice
            paper drawn by the course's exam blueprint, with the answers and explanations at the end.
            """)

    @Argument(help: "课程 id / Course id.") var course: String
    @Option(name: .shortAndLong, help: "输出文件 / Output file.") var output: String
    @Option(help: "只生成这个单元 / Only this module.") var module: String?
    @Flag(help: "附练习卷及答案 / Add a practice paper with answers.") var withAnswers = false
    @Option(help: "练习卷使用的考试蓝图（默认为本课程的第一个）/ Blueprint for the practice paper.") var blueprint: String?
    @Option(help: "练习卷的抽题种子 / Seed of the practice paper.") var seed: UInt64 = 1
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let handout = try Handout(
            content: content, courseID: course, moduleID: module, practiceSeed: withAnswers ? seed : nil, blueprintID: blueprint)
        do { try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(handout.html()) } } catch {
            throw CommandExit("academy course handout: \(error)")
        }
    }
}
