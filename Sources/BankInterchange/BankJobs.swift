import CourseLoading
import Courseware
import Foundation
import Localization
import Spreadsheets

/// Why a bank import or export stopped; nothing was written. `usage` marks a problem with the
/// options (the command line exits 2), anything else exits 1.
public struct BankJobFailure: Error, Equatable {
    public var message: String
    public var usage = false

    public init(_ message: String, usage: Bool = false) {
        self.message = message
        self.usage = usage
    }
}

/// `academy bank import`: a bank in a foreign format → the project's bank XML, all or nothing.
/// The bank must read back cleanly (the loader and lint of `academy lint`) together with the
/// content it joins, so an id already in use or a provision no course declares is caught now.
public struct BankImportJob {
    public var source: String
    public var output: String
    /// Provisions files to match 知识点/条款 against.
    public var provisions: [String] = []
    public var topic: String?
    public var id: String?
    public var title: String?
    /// The source format; nil: by the source's extension.
    public var format: String?
    public var dryRun = false
    public var force = false
    /// The content the bank joins, as `--content` names it (the content search of `ContentLocator`).
    public var content: [String] = []

    public init(source: String, output: String) {
        self.source = source
        self.output = output
    }

    /// What was made: the bank XML and the one-line summary.
    public struct Outcome {
        public var xml: String
        public var summary: String
    }

    /// Reads, builds and checks the bank, then writes it (unless `dryRun`). Every problem with a
    /// row or the generated bank goes to `note`, one line each, in `language`.
    public func run(_ language: Language, note: (String) -> Void) throws(BankJobFailure) -> Outcome {
        guard let fmt = format.map({ BankImportFormat(rawValue: $0) }) ?? BankImportFormat(path: source) else {
            throw BankJobFailure(
                language.pick(
                    zh: "无法从扩展名判断格式，请用 --format xlsx|csv|text|docx|moodle",
                    en: "cannot tell the format from the extension; use --format xlsx|csv|text|docx|moodle"), usage: true)
        }
        let stem = ((output as NSString).lastPathComponent as NSString).deletingPathExtension
        let bankID = id ?? "bank." + stem
        let idStem = id.map { $0.hasPrefix("bank.") ? String($0.dropFirst(5)) : $0 } ?? stem
        guard BankBuilder.isIdentifier(bankID), BankBuilder.isIdentifier("q." + idStem) else {
            throw BankJobFailure(
                language.pick(
                    zh: "输出文件名“\(stem)”不能用作 id（只能用字母、数字和 . _ -，以字母开头）；请用 --id 指定，如 --id bank.safety",
                    en: "the output name \"\(stem)\" cannot be an id (letters, digits, . _ - only, starting with a letter); give --id, e.g. --id bank.safety"),
                usage: true)
        }
        if !dryRun && !force && FileManager.default.fileExists(atPath: output) {
            throw BankJobFailure(
                language.pick(
                    zh: "\(output) 已存在；用 --force 覆盖（已用于考试的题目 id 不要改动）",
                    en: "\(output) exists; use --force to replace it (never change ids an exam has used)"))
        }
        let provisionSets = try loadProvisions(language, note: note)
        let report: ImportReport
        do { report = try fmt.read(path: source) } catch { throw BankJobFailure(error.text(in: language)) }
        let builder = BankBuilder(
            bankID: bankID, title: title ?? ((source as NSString).lastPathComponent as NSString).deletingPathExtension,
            idStem: idStem, topic: topic, provisions: provisionSets)
        let built = builder.build(report.questions)
        for issue in report.issues + built.issues { note(issue.text(in: language)) }
        if report.hasErrors {
            let n = report.errors.count
            throw BankJobFailure(
                language.pick(
                    zh: "\(n) 处错误，未写入任何文件（改正后重新导入）",
                    en: "\(n) error\(n == 1 ? "" : "s"); nothing was written (fix them and import again)"))
        }
        let name = (source as NSString).lastPathComponent
        let xml = BankXMLFormatter.format(
            built.bank, schemaPath: SchemaLocationCheck.relativePath(from: output, schema: "questionbank.xsd") ?? "../schemas/questionbank.xsd",
            header: [
                "题库：\(built.bank.title)",
                "由 academy bank import 从 \(name) 导入。Imported from \(name).",
                "题目 id 是稳定的：题目一旦用于考试，不要再改 id。Ids are stable: never renumber a question once an exam has used it.",
            ],
            notes: built.unmatched)
        try check(xml, built: built.bank, language, note: note)
        var counts: [QuestionType: Int] = [:]
        for q in built.bank.questions { counts[q.type, default: 0] += 1 }
        let byType = QuestionType.allCases.compactMap { t in counts[t].map { "\(t.chineseLabel) \($0)" } }
            .joined(separator: "，")
        let todo = built.bank.questions.filter { $0.citations.contains { $0.provisionID == "todo" } }.count
        if !dryRun {
            do { try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(xml) } } catch {
                throw BankJobFailure(language.text(error))
            }
        }
        let skipped = report.issues.filter { $0.kind == .skipped }.count
        let summary = language.pick(
            zh: "\(dryRun ? "（试运行，未写入）" : "已写入 \(output)：")\(built.bank.questions.count) 道题（\(byType)）；跳过 \(skipped) 道；\(todo) 道题待补条款引用",
            en:
                "\(dryRun ? "(dry run, nothing written) " : "wrote \(output): ")\(built.bank.questions.count) questions (\(byType)); \(skipped) skipped; \(todo) need a provision"
        )
        return Outcome(xml: xml, summary: summary)
    }

    func loadProvisions(_ language: Language, note: (String) -> Void) throws(BankJobFailure) -> [ProvisionSet] {
        guard !provisions.isEmpty else { return [] }
        let loaded: LoadedContent
        do { loaded = try ContentLoader.load(paths: provisions) } catch { throw BankJobFailure(error.text(in: language)) }
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty || loaded.content.provisionSets.isEmpty {
            for d in errors { note(d.text(in: language)) }
            let names = provisions.joined(separator: ", ")
            throw BankJobFailure(language.pick(zh: "\(names) 不是有效的条款清单", en: "\(names) is not a valid provisions file"))
        }
        return loaded.content.provisionSets
    }

    /// The generated bank, loaded and linted with the content it joins (the file it replaces left
    /// out); each error names the source row of its question (the generated file does not exist yet).
    func check(_ xml: String, built bank: QuestionBank, _ language: Language, note: (String) -> Void) throws(BankJobFailure) {
        var documents: [(path: String, bytes: [UInt8])] = []
        let standard = { (p: String) in URL(fileURLWithPath: p).standardizedFileURL.path }
        var seen: Set<String> = [standard(output)]
        for p in provisions + (ContentLocator.files(content) ?? []) where seen.insert(standard(p)).inserted {
            if let bytes = FileManager.default.contents(atPath: p) { documents.append((p, [UInt8](bytes))) }
        }
        // Last, so that a clash is reported at the new file (lint names the later of two).
        documents.append((output, Array(xml.utf8)))
        let check = ContentLoader.load(documents: documents)
        let selfErrors = check.diagnostics.filter { $0.severity == .error && $0.location.file == output }
        guard !selfErrors.isEmpty else { return }
        let starts = (check.content.banks.first { $0.location.file == output }?.questions ?? [])
            .map { ($0.location.line, $0.id) }.sorted { $0.0 < $1.0 }
        let sources = Dictionary(bank.questions.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        for d in selfErrors {
            if let id = starts.last(where: { $0.0 <= d.location.line })?.1, let src = sources[id] {
                note("\(src.file):\(src.line): \(d.severity.rawValue): \(id): \(d.message.text(in: language))")
            } else {
                note(d.text(in: language))
            }
        }
        throw BankJobFailure(language.pick(zh: "生成的题库未通过检查，未写入", en: "the generated bank fails lint; nothing was written"))
    }
}

/// `academy bank export`: a bank (a file, or an id in the content) as Moodle XML or an XLSX
/// template. A file holding several banks is exported as one.
public struct BankExportJob {
    public enum Format: String, CaseIterable, Sendable {
        case moodleXML = "moodle-xml"
        case xlsx
    }

    public var bank: String
    public var format: Format
    public var output: String

    public init(bank: String, format: Format, output: String) {
        self.bank = bank
        self.format = format
        self.output = output
    }

    /// Exports and returns the summary line. `bank` is read as a file when one exists, else looked
    /// up in `content()`. Problems with the file go to `note`, one line each.
    public func run(
        _ language: Language, note: (String) -> Void, content: () throws -> ContentSet
    ) throws -> String {
        let banks: [QuestionBank]
        if FileManager.default.fileExists(atPath: bank) {
            let loaded: LoadedContent
            do { loaded = try ContentLoader.load(paths: [bank]) } catch {
                throw BankJobFailure(error.text(in: language), usage: true)
            }
            let broken = loaded.diagnostics.filter { $0.severity == .error && $0.code.hasPrefix("x") }
            if !broken.isEmpty || loaded.content.banks.isEmpty {
                for d in broken { note(d.text(in: language)) }
                throw BankJobFailure(language.pick(zh: "\(bank) 不是可读的题库文件", en: "\(bank) is not a readable bank file"))
            }
            banks = loaded.content.banks
        } else {
            let content = try content()
            guard let b = content.bank(bank) else {
                let known = content.banks.map(\.id).joined(separator: ", ")
                throw BankJobFailure(
                    language.pick(
                        zh: "没有文件或 id 为“\(bank)”的题库；现有题库：\(known)", en: "no bank file or bank id \"\(bank)\"; banks: \(known)"))
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
            throw BankJobFailure(language.text(error))
        }
        return language.pick(
            zh: "已导出 \(merged.questions.count) 道题到 \(output)", en: "exported \(merged.questions.count) questions to \(output)")
    }
}
