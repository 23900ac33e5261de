import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Handouts
import Localization
import Spreadsheets

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
        guard let c = content.course(course) else {
            let known = content.courses.map(\.id).joined(separator: ", ")
            Stderr.line(language.pick(zh: "没有 id 为 “\(course)” 的课程；现有课程：\(known)", en: "no course with id \"\(course)\"; courses: \(known)"))
            throw ExitCode(1)
        }
        if let module, !c.modules.contains(where: { $0.id == module }) {
            let known = c.modules.map(\.id).joined(separator: ", ")
            Stderr.line(language.pick(zh: "课程中没有单元 “\(module)”；现有单元：\(known)", en: "the course has no module \"\(module)\"; modules: \(known)"))
            throw ExitCode(1)
        }
        var titles: [String: String] = [:]
        for ps in content.provisionSets {
            for s in ps.sections {
                titles[s.id] = s.title
                for p in s.provisions { titles[p.id] = p.title }
            }
        }
        var practice: Handout.PracticePaper? = nil
        if withAnswers {
            guard let bp = blueprint.flatMap(content.blueprint) ?? content.blueprints.first(where: { $0.courseID == c.id }) else {
                Stderr.line(
                    language.pick(
                        zh: "没有找到本课程的考试蓝图，无法生成练习卷（用 --blueprint 指定）",
                        en: "no exam blueprint for this course, so no practice paper (give --blueprint)"))
                throw ExitCode(1)
            }
            let assembler = try ExamCLI.assembler(bp, content, language)
            do {
                practice = Handout.PracticePaper(title: "练习卷：" + bp.title, paper: try assembler.paper(seed: seed), assembler: assembler)
            } catch {
                Stderr.line(error.message(in: language))
                throw ExitCode(1)
            }
        }
        let handout = Handout(
            course: c, caseStudies: Dictionary(content.caseStudies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            provisionTitles: titles, moduleID: module, practice: practice)
        do { try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(handout.html()) } } catch {
            Stderr.line("academy course handout: \(error)")
            throw ExitCode(1)
        }
    }
}
