import ArgumentParser
import BankInterchange
import CourseLoading
import Courseware
import Foundation
import Localization
import Spreadsheets

/// `academy bank import` and `academy bank export`: question banks in and out of the formats
/// trainers already have. The work is in BankInterchange; this file only wires options.
struct BankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bank",
        abstract: "导入、导出题库 / Import and export question banks.",
        subcommands: [BankImportCommand.self, BankExportCommand.self])
}

struct BankImportCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "把 Excel/CSV、编号文本、Word 或 Moodle XML 题库转换为本项目的题库 XML / Convert a bank to the project's bank XML.",
        discussion: """
            全部成功才写入：任何一行（段）有错，都列出 文件:行 与列名和原因，不写任何文件。
            All or nothing: every bad row or block is listed as file:row with the column and the reason, and nothing is written.
            """)

    @Argument(help: "来源文件（.xlsx .csv .txt .docx 或 Moodle .xml）/ Source file.")
    var file: String

    @Option(name: .shortAndLong, help: "输出的题库文件，如 QuestionBank/safety.xml / Output bank file.")
    var output: String

    @Option(help: "条款清单（provisions XML，可重复），用于把知识点/条款匹配为引用 / Provisions file to match 知识点/条款 against (repeatable).")
    var provisions: [String] = []

    @Option(help: "所有题目的 topic（默认取知识点或 Moodle 分类）/ Topic for every question.")
    var topic: String?

    @Option(help: "题库 id（默认 bank.<输出文件名>）/ Bank id (default bank.<output name>).")
    var id: String?

    @Option(help: "题库标题（默认取来源文件名）/ Bank title (default: the source file's name).")
    var title: String?

    @Option(help: "来源格式（默认按扩展名）/ Source format: xlsx | csv | text | docx | moodle.")
    var format: String?

    @Flag(help: "只显示将要生成的内容，不写文件 / Print what would be made; write nothing.")
    var dryRun = false

    @Flag(help: "覆盖已存在的输出文件 / Replace an existing output file.")
    var force = false

    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let fail = { (message: String) -> ExitCode in
            Stderr.line("academy bank import: " + message)
            return ExitCode(1)
        }
        guard let fmt = format.map({ BankImportFormat(rawValue: $0) }) ?? BankImportFormat(path: file) else {
            Stderr.line(
                "academy bank import: "
                    + language.pick(
                        zh: "无法从扩展名判断格式，请用 --format xlsx|csv|text|docx|moodle",
                        en: "cannot tell the format from the extension; use --format xlsx|csv|text|docx|moodle"))
            throw ExitCode(2)
        }
        let stem = ((output as NSString).lastPathComponent as NSString).deletingPathExtension
        let bankID = id ?? "bank." + stem
        let idStem = id.map { $0.hasPrefix("bank.") ? String($0.dropFirst(5)) : $0 } ?? stem
        guard BankBuilderNames.valid(bankID), BankBuilderNames.valid("q." + idStem) else {
            Stderr.line(
                "academy bank import: "
                    + language.pick(
                        zh: "输出文件名“\(stem)”不能用作 id（只能用字母、数字和 . _ -，以字母开头）；请用 --id 指定，如 --id bank.safety",
                        en: "the output name \"\(stem)\" cannot be an id (letters, digits, . _ - only, starting with a letter); give --id, e.g. --id bank.safety"))
            throw ExitCode(2)
        }
        if !dryRun && !force && FileManager.default.fileExists(atPath: output) {
            throw fail(
                language.pick(
                    zh: "\(output) 已存在；用 --force 覆盖（已用于考试的题目 id 不要改动）",
                    en: "\(output) exists; use --force to replace it (never change ids an exam has used)"))
        }
        var provisionSets: [ProvisionSet] = []
        if !provisions.isEmpty {
            let loaded: LoadedContent
            do { loaded = try ContentLoader.load(paths: provisions) } catch { throw fail(language.text(error)) }
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty || loaded.content.provisionSets.isEmpty {
                for d in errors { Stderr.line(d.text(in: language)) }
                let names = provisions.joined(separator: ", ")
                throw fail(language.pick(zh: "\(names) 不是有效的条款清单", en: "\(names) is not a valid provisions file"))
            }
            provisionSets = loaded.content.provisionSets
        }
        let report: ImportReport
        do { report = try fmt.read(path: file) } catch { throw fail(language.text(error)) }
        let builder = BankBuilder(
            bankID: bankID, title: title ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension,
            idStem: idStem, topic: topic, provisions: provisionSets)
        let built = builder.build(report.questions)
        for issue in report.issues + built.issues { Stderr.line(issue.text(in: language)) }
        let skipped = report.issues.filter { $0.kind == .skipped }.count
        if report.hasErrors {
            let n = report.errors.count
            throw fail(
                language.pick(
                    zh: "\(n) 处错误，未写入任何文件（改正后重新导入）",
                    en: "\(n) error\(n == 1 ? "" : "s"); nothing was written (fix them and import again)"))
        }
        let xml = BankXMLFormatter.format(
            built.bank, schemaPath: SchemaLocationCheck.relativePath(from: output, schema: "questionbank.xsd") ?? "../schemas/questionbank.xsd",
            header: [
                "题库：\(built.bank.title)",
                "由 academy bank import 从 \((file as NSString).lastPathComponent) 导入。Imported from \((file as NSString).lastPathComponent).",
                "题目 id 是稳定的：题目一旦用于考试，不要再改 id。Ids are stable: never renumber a question once an exam has used it.",
            ],
            notes: built.unmatched)
        // The bank must read back cleanly: the same loader and lint as `academy lint`.
        var documents: [(path: String, bytes: [UInt8])] = []
        // With the content it joins (Courses/ and QuestionBank/ here, --content, ACADEMY_CONTENT),
        // so that an id already in use or a provision no course declares is caught now, not by
        // the next lint. The file being replaced is left out.
        let standard = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.path }
        var others = provisions
        if let paths = try? ContentLocator.paths(contentOptions.content), let files = try? ContentLoader.expand(paths: paths) {
            others += files
        }
        var seen: Set<String> = [standard(output)]
        for p in others where seen.insert(standard(p)).inserted {
            if let bytes = FileManager.default.contents(atPath: p) { documents.append((p, [UInt8](bytes))) }
        }
        // Last, so that a clash is reported at the new file (lint names the later of two).
        documents.append((output, Array(xml.utf8)))
        let check = ContentLoader.load(documents: documents)
        let selfErrors = check.diagnostics.filter { $0.severity == .error && $0.location.file == output }
        if !selfErrors.isEmpty {
            // Name the source row of each problem (the generated file does not exist yet).
            let starts = (check.content.banks.first { $0.location.file == output }?.questions ?? [])
                .map { ($0.location.line, $0.id) }.sorted { $0.0 < $1.0 }
            let sources = Dictionary(built.bank.questions.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
            for d in selfErrors {
                if let id = starts.last(where: { $0.0 <= d.location.line })?.1, let src = sources[id] {
                    Stderr.line("\(src.file):\(src.line): \(d.severity.rawValue): \(id): \(d.message.text(in: language))")
                } else {
                    Stderr.line(d.text(in: language))
                }
            }
            throw fail(language.pick(zh: "生成的题库未通过检查，未写入", en: "the generated bank fails lint; nothing was written"))
        }
        var counts: [QuestionType: Int] = [:]
        for q in built.bank.questions { counts[q.type, default: 0] += 1 }
        let byType = QuestionType.allCases.compactMap { t in counts[t].map { "\(t.chineseLabel) \($0)" } }
            .joined(separator: "，")
        let todo = built.bank.questions.filter { $0.citations.contains { $0.provisionID == "todo" } }.count
        if dryRun {
            FileHandle.standardOutput.write(Data(xml.utf8))
        } else {
            do {
                try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(xml) }
            } catch {
                throw fail(language.text(error))
            }
        }
        Stderr.line(
            language.pick(
                zh: "\(dryRun ? "（试运行，未写入）" : "已写入 \(output)：")\(built.bank.questions.count) 道题（\(byType)）；跳过 \(skipped) 道；\(todo) 道题待补条款引用",
                en:
                    "\(dryRun ? "(dry run, nothing written) " : "wrote \(output): ")\(built.bank.questions.count) questions (\(byType)); \(skipped) skipped; \(todo) need a provision"
            ))
    }
}

struct BankExportCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "把题库导出为 Moodle XML 或 Excel 模板 / Export a bank as Moodle XML or an XLSX template.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case moodleXML = "moodle-xml"
        case xlsx
    }

    @Argument(help: "题库 id 或题库文件 / Bank id or bank file.")
    var bank: String

    @Option(help: "格式 / Format: moodle-xml | xlsx.")
    var format: Format

    @Option(name: .shortAndLong, help: "输出文件 / Output file.")
    var output: String

    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let banks: [QuestionBank]
        if FileManager.default.fileExists(atPath: bank) {
            let loaded: LoadedContent
            do { loaded = try ContentLoader.load(paths: [bank]) } catch {
                Stderr.line("academy bank export: " + language.text(error))
                throw ExitCode(2)
            }
            let broken = loaded.diagnostics.filter { $0.severity == .error && $0.code.hasPrefix("x") }
            if !broken.isEmpty || loaded.content.banks.isEmpty {
                for d in broken { Stderr.line(d.text(in: language)) }
                Stderr.line(
                    "academy bank export: "
                        + language.pick(zh: "\(bank) 不是可读的题库文件", en: "\(bank) is not a readable bank file"))
                throw ExitCode(1)
            }
            banks = loaded.content.banks
        } else {
            let loaded = try contentOptions.load(language)
            guard let b = loaded.content.bank(bank) else {
                let known = loaded.content.banks.map(\.id).joined(separator: ", ")
                Stderr.line(
                    "academy bank export: "
                        + language.pick(
                            zh: "没有文件或 id 为“\(bank)”的题库；现有题库：\(known)",
                            en: "no bank file or bank id \"\(bank)\"; banks: \(known)"))
                throw ExitCode(1)
            }
            banks = [b]
        }
        let merged = QuestionBank(
            id: banks[0].id, title: banks[0].title, questions: banks.flatMap(\.questions), location: banks[0].location)
        do {
            switch format {
            case .moodleXML:
                let xml = try MoodleExporter.export(merged)
                try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(xml) }
            case .xlsx:
                try SpreadsheetBankExporter.export(merged, to: URL(fileURLWithPath: output))
            }
        } catch {
            Stderr.line("academy bank export: " + language.text(error))
            throw ExitCode(1)
        }
        Stderr.line(
            language.pick(
                zh: "已导出 \(merged.questions.count) 道题到 \(output)",
                en: "exported \(merged.questions.count) questions to \(output)"))
    }
}

enum BankBuilderNames {
    static func valid(_ id: String) -> Bool {
        guard let f = id.unicodeScalars.first, f.isASCII, f.properties.isAlphabetic, id.utf8.count <= 100 else { return false }
        return id.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
    }
}
