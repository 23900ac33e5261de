import ArgumentParser
import BankInterchange
import Foundation
import Localization

/// `academy bank import` and `academy bank export`: question banks in and out of the formats
/// trainers already have. The work is in BankInterchange; this file only wires options.
struct BankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank",
        abstract: "导入、导出题库 / Import and export question banks.",
        subcommands: [BankImportCommand.self, BankExportCommand.self])

    /// Runs a job; its failure is written after `academy bank VERB: ` (exit 2 for a usage problem, else 1).
    static func run<T>(_ verb: String, _ job: () throws -> T) throws -> T {
        do { return try job() } catch let e as BankJobFailure {
            throw CommandExit("academy bank \(verb): " + e.message, code: e.usage ? 2 : 1)
        }
    }
}

struct BankImportCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "把 Excel/CSV、编号文本、Word 或 Moodle XML 题库转换为本项目的题库 XML / Convert a bank to the project's bank XML.",
        discussion: """
            全部成功才写入：任何一行（段）有错，都列出 文件:行 与列名和原因，不写任何文件。
            All or nothing: every bad row or block is listed as file:row with the column and the reason, and nothing is written.
            """)

    @Argument(help: "来源文件（.xlsx .csv .txt .docx 或 Moodle .xml）/ Source file.") var file: String
    @Option(name: .shortAndLong, help: "输出的题库文件，如 QuestionBank/safety.xml / Output bank file.") var output: String
    @Option(help: "条款清单（provisions XML，可重复），用于把知识点/条款匹配为引用 / Provisions file to match 知识点/条款 against (repeatable).")
    var provisions: [String] = []
    @Option(help: "所有题目的 topic（默认取知识点或 Moodle 分类）/ Topic for every question.") var topic: String?
    @Option(help: "题库 id（默认 bank.<输出文件名>）/ Bank id (default bank.<output name>).") var id: String?
    @Option(help: "题库标题（默认取来源文件名）/ Bank title (default: the source file's name).") var title: String?
    @Option(help: "来源格式（默认按扩展名）/ Source format: xlsx | csv | text | docx | moodle.") var format: String?
    @Flag(help: "只显示将要生成的内容，不写文件 / Print what would be made; write nothing.") var dryRun = false
    @Flag(help: "覆盖已存在的输出文件 / Replace an existing output file.") var force = false
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        var job = BankImportJob(source: file, output: output)
        (job.provisions, job.topic, job.id, job.title, job.format) = (provisions, topic, id, title, format)
        (job.dryRun, job.force, job.content) = (dryRun, force, contentOptions.content)
        let outcome = try BankCommand.run("import") { try job.run(language, note: Stderr.line) }
        if dryRun { FileHandle.standardOutput.write(Data(outcome.xml.utf8)) }
        Stderr.line(outcome.summary)
    }
}

struct BankExportCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "把题库导出为 Moodle XML 或 Excel 模板 / Export a bank as Moodle XML or an XLSX template.")

    @Argument(help: "题库 id 或题库文件 / Bank id or bank file.") var bank: String
    @Option(help: "格式 / Format: moodle-xml | xlsx.") var format: BankExportJob.Format
    @Option(name: .shortAndLong, help: "输出文件 / Output file.") var output: String
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let job = BankExportJob(bank: bank, format: format, output: output)
        let summary = try BankCommand.run("export") {
            try job.run(language, note: Stderr.line) { try contentOptions.load(language).content }
        }
        Stderr.line(summary)
    }
}

extension BankExportJob.Format: ExpressibleByArgument {}
