import ArgumentParser
import CourseLoading
import Foundation
import Localization

/// `academy lint [PATH...]`: XSD validation plus the semantic checks, every problem at once.
/// Exit 0 clean, 1 on errors (or warnings with --strict), 2 on usage errors.
struct LintCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "校验课程、案例、题库和组卷方案 / Check courses, case studies, question banks and blueprints.",
        discussion: """
            每个问题一行：path:line:col: error|warning: message，最后一行是汇总。
            退出码：0 无错误；1 有错误（--strict 时警告也算）；2 用法错误。
            One line per problem, then a summary. Exit 0 clean, 1 errors (or warnings with --strict), 2 usage.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "文件或目录（默认 Courses/ 与 QuestionBank/）/ Files or directories (default Courses/ and QuestionBank/).")
    var paths: [String] = []
    @Option(help: "输出格式 / Output format: text | json.") var format: Format = .text
    @Flag(help: "警告也视为失败 / Treat warnings as failures.") var strict = false

    func run(in language: Language, clock: AcademyClock) throws {
        let (loaded, note): (LoadedContent, BilingualText?)
        do { (loaded, note) = try LintReport.check(paths: paths) } catch {
            Stderr.line("academy lint: " + error.text(in: language))
            throw ExitCode(2)
        }
        if let note { Stderr.line(note.text(in: language)) }
        let out = format == .text ? LintReport.text(loaded, language) : LintReport.json(loaded, strict: strict, language)
        FileHandle.standardOutput.write(Data(out.utf8))
        // `loaded` goes to the exit with the outcome: tearing down a large content set value by
        // value would only cost time (a 10,000-question bank: several milliseconds).
        throw CommandExit.exit(LintReport.failed(loaded, strict: strict) ? 1 : 0, keepAlive: loaded)
    }
}
