import ArgumentParser
import CourseLoading
import Courseware
import Exams
import Foundation
import Localization
import Records
import Rosters
import Spreadsheets
import TerminalUI

/// `academy roster export|summary|report`: completion rosters for departments.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "培训完成名册、汇总与报告 / Completion rosters, roll-ups and the written report.",
        subcommands: [Export.self, Summary.self, Report.self, Certificates.self]
    )

    /// Options every roster command shares.
    struct Common: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Option(help: "培训周期编号 / Cycle id.") var cycle: String
        @Option(help: "只看该部门子树：完整路径（用 / 分隔）或唯一的末尾部分，如“东城区大队” / Only this department subtree: the full path (separated by /) or a unique ending, e.g. 东城区大队.") var department: String?
        @Option(name: .customLong("content"), help: "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/).")
        var content: [String] = []
        @Option(help: .hidden) var assumeLessons: Int?
        @Option(help: .hidden) var assumeMaxAttempts: Int?

        /// The completion rule from the content (`CompletionCatalog.rule(for:content:…)`).
        func rule(for cycle: TrainingCycle, _ language: Language) -> CompletionRule {
            CompletionCatalog.rule(for: cycle, content: content, assumeLessons: assumeLessons, assumeMaxAttempts: assumeMaxAttempts) {
                Stderr.line(RosterService.noContentWarning(cycle).text(in: language))
            }
        }

        func load(_ store: (any EducationStore)? = nil, _ language: Language, now: Date) throws -> RosterService.Loaded {
            let store = try store ?? openEducationStore(database.path)
            guard let c = try store.cycle(id: cycle) else { throw StoreError.unknownCycle(cycle) }
            return try RosterService.load(
                store: store, cycleID: cycle, department: department, rule: rule(for: c, language), now: now, language: language)
        }

        func emptyNotice(_ count: Int, wrote what: BilingualText, _ language: Language) {
            if let note = RosterService.emptyNote(cycle: cycle, count: count, wrote: what) { Stderr.line(note.text(in: language)) }
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, xlsx, json }
    enum Encoding: String, ExpressibleByArgument, CaseIterable { case utf8, gb18030, gbk }

    struct Export: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "导出培训完成名册 / Export the completion roster.")
        @OptionGroup var common: Common
        @Option(help: "csv | xlsx | json") var format: Format = .csv
        @Option(name: [.short, .customLong("output")], help: "输出文件（默认或 - 为标准输出；xlsx 输出到终端时必须指定）/ Output file (default or -: stdout; required for xlsx on a terminal).") var output: String?
        @OptionGroup var outputOptions: OutputFileOptions
        @Option(help: "CSV 编码：utf8（带 BOM，默认）| gb18030 | gbk（GBK 以外的字符报错）/ CSV encoding: utf8 (with BOM, default) | gb18030 | gbk (characters outside GBK are an error).") var encoding: Encoding?
        @Option(help: ArgumentHelp("只导出这些状态（可重复或用逗号分隔）/ Only these statuses (repeatable or comma-separated): " + RosterStatusFilter.allCases.map(\.rawValue).joined(separator: "|"))) var status: [String] = []
        @Option(help: "只导出该类人员（可重复）/ Only this role (repeatable): officer|assistant") var role: [String] = []

        func validate() throws {
            let language = ParsingLanguage.value
            if let encoding, format != .csv {
                throw ValidationError(
                    language.pick(
                        zh: "--encoding \(encoding.rawValue) 只适用于 csv；\(format.rawValue) 总是 UTF-8",
                        en: "--encoding \(encoding.rawValue) applies to csv only; \(format.rawValue) is always UTF-8"))
            }
            if let v = RosterStatusFilter.parse(status).unknown {
                let all = RosterStatusFilter.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError(language.pick(zh: "--status：未知状态“\(v)”；可用：\(all)", en: "--status: unknown status \"\(v)\"; use one of: \(all)"))
            }
            for r in role where StaffRole(spreadsheetValue: r) == nil {
                throw ValidationError(language.pick(zh: "--role：未知人员类别“\(r)”；可用：officer、assistant", en: "--role: unknown role \"\(r)\"; use officer or assistant"))
            }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let destination = RosterService.Destination(try output.map { try outputOptions.resolve($0) } ?? .standardOutput)
            if format == .xlsx, case .standardOutput = destination, isatty(1) == 1 { throw RosterError.binaryToTerminal }
            var loaded = try common.load(nil, language, now: clock.now())
            loaded.source = RosterService.filter(
                loaded.source, statuses: Set(RosterStatusFilter.parse(status).filters),
                roles: Set(role.compactMap(StaffRole.init(spreadsheetValue:))))
            if encoding == .gb18030, let outside = try OutsideGBK.scan(loaded.source) { Stderr.line(outside.warning(in: language)) }
            // The rows stream, so the total is not known beforehand: the count so far is shown.
            let counter = isatty(2) == 1 ? InPlaceCount(label: language.pick(zh: "导出", en: "exporting"), write: Stderr.write) : nil
            let count: Int
            do {
                count = try RosterService.export(
                    loaded, format: RosterFormat(rawValue: format.rawValue)!, to: destination,
                    encoding: encoding == .gb18030 ? .gb18030 : encoding == .gbk ? .gbk : .utf8(bom: true),
                    progress: counter.map { c in { c.show($0) } })
            } catch {
                counter?.abandon()
                throw error
            }
            counter?.finish()
            common.emptyNotice(count, wrote: BilingualText(zh: "已写出只有表头的名册", en: "wrote a roster with the header only"), language)
            if let output, case .file = destination {
                Stderr.line(language.pick(zh: "已导出 \(count) 人 → \(output)", en: "exported \(count) people → \(output)"))
            }
        }
    }

    struct Summary: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "按部门树汇总 / Roll-up over the department tree.")
        @OptionGroup var common: Common
        @Option(help: "text | json") var format: OutputFormat = .text
        @Option(help: "文本宽度（列；默认终端宽度，非终端为 80）/ Text width in columns (default: the terminal's, 80 when not a terminal).")
        var width: Int?

        func validate() throws {
            let language = ParsingLanguage.value
            if let width, width < 40 || width > 1000 {
                throw ValidationError(language.pick(zh: "--width 应在 40 到 1000 之间（收到 \(width)）", en: "--width must be 40 to 1000 (got \(width))"))
            }
        }

        /// `--width`, else the terminal's columns when stdout is one, else 80.
        var columns: Int {
            if let width { return width }
            let columns = isatty(1) == 1 ? LocalTerminal(output: 1).size.width : 0
            return columns >= 40 ? columns : 80
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let loaded = try common.load(nil, language, now: clock.now())
            let rollup = try loaded.rollup()
            switch format {
            case .text: try FileDescriptorSink.standardOutput().write(SummaryText.render(rollup, context: loaded.context, width: columns))
            case .json: try FileDescriptorSink.standardOutput().write(RosterExport.summaryJSON(rollup: rollup, context: loaded.context))
            }
        }
    }

    struct Report: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "生成可打印的书面报告（HTML，A4）/ Write the printable report (HTML, A4).",
            discussion: """
                填报单位、联系人、电话取自 --unit/--contact/--phone，否则取自数据库旁的 report.toml（unit = "…"、contact = "…"、phone = "…"）。
                The reporting unit, contact and telephone come from --unit/--contact/--phone, else from report.toml beside the database.
                """)
        @OptionGroup var common: Common
        @Option(name: [.short, .customLong("output")], help: "输出文件，如 report.html（- 为标准输出）；--each-department 时为目录 / Output file, e.g. report.html (- for stdout); a directory with --each-department.")
        var output: String
        @OptionGroup var outputOptions: OutputFileOptions
        @Option(help: "填报单位 / Reporting unit (填报单位).") var unit: String?
        @Option(help: "联系人 / Contact person.") var contact: String?
        @Option(help: "联系电话 / Telephone.") var phone: String?
        @Option(help: "图表与分部门表的层级（1 = 范围根部门的下一级，默认 1）/ Chart and table level below the scope's root (default 1: its children).")
        var level: Int?
        @Option(help: "每个该层级的部门各出一份报告，另附 index.html / One report per department at this level, plus index.html.")
        var eachDepartment: Int?

        func run(in language: Language, clock: AcademyClock) throws {
            // A file target is checked before any work (the directory of --each-department is not a file).
            let target = eachDepartment == nil ? try outputOptions.resolve(output) : nil
            let store = try openEducationStore(common.database.path)
            let loaded = try common.load(store, language, now: clock.now())
            let header = ReportHeader(unit: unit, contact: contact, phone: phone)
                .overriding(try ReportHeader.load(ReportHeader.file(besideDatabase: common.database.path)))
            let input = try RosterService.reportInput(loaded, store: store, header: header, level: level)
            if let eachDepartment {
                let files = try RosterService.writeEachDepartment(input, level: eachDepartment, to: URL(fileURLWithPath: output))
                Stderr.line(
                    language.pick(
                        zh: "已生成 \(files.count - 1) 份报告及索引 → \(files.last!.path)",
                        en: "\(files.count - 1) reports and the index written → \(files.last!.path)"))
                return
            }
            guard let target else { return }
            try RosterService.writeReport(input, to: target)
            common.emptyNotice(input.rollup.total.headcount, wrote: BilingualText(zh: "报告中各项为 0", en: "the report shows zeros"), language)
            if case .standardOutput = target { return }
            Stderr.line(language.pick(zh: "已生成报告 → \(output)", en: "report written → \(output)"))
        }
    }
}
