import ArgumentParser
import Courseware
import Foundation
import Records
import Rosters
import Spreadsheets

/// `academy roster export|summary|report`: completion rosters for departments.
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "培训完成名册、汇总与报告 / Completion rosters, roll-ups and the written report.",
        subcommands: [Export.self, Summary.self, Report.self]
    )

    /// Options every roster command shares.
    struct Common: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Option(help: "培训周期编号 / Cycle id.") var cycle: String
        @Option(help: "只看该部门子树（路径用 / 分隔）/ Only this department subtree (path separated by /).") var department: String?
        @Option(
            name: .customLong("content"),
            help:
                "内容文件或目录（可重复；默认 Courses/ 与 QuestionBank/）/ Content file or directory (repeatable; default Courses/ and QuestionBank/)."
        )
        var content: [String] = []
        @Option(help: .hidden) var assumeLessons: Int?
        @Option(help: .hidden) var assumeMaxAttempts: Int?

        /// The global `--lang` (taken out by `AcademyCommand.runMain`), else ACADEMY_LANG/LANG.
        var chinese: Bool { L10n.isChinese }

        /// The completion rule from the content (course + blueprint). The hidden
        /// `--assume-lessons N --assume-max-attempts M` (benchmarks, synthetic data) skip the content;
        /// without either, no required lessons, at most 3 attempts, and a warning.
        func rule(for cycle: TrainingCycle) -> CompletionRule {
            if assumeLessons == nil, let loaded = try? ContentLocator.load(content),
                let r = CompletionRule(cycle: cycle, content: loaded.content)
            {
                return r
            }
            if assumeLessons == nil {
                Stderr.line(
                    chinese
                        ? "警告：未找到课程 \(cycle.courseID) 或考试方案 \(cycle.blueprintID) 的内容，课程总数按 0 计、考试次数上限按 3 计"
                        : "warning: no content for course \(cycle.courseID) or blueprint \(cycle.blueprintID); counting 0 required lessons and at most 3 attempts"
                )
            }
            let n = max(0, assumeLessons ?? 0)
            return CompletionRule(
                requiredItemIDs: n == 0 ? [] : (1...n).map { "lesson-\($0)" },
                maxAttempts: assumeMaxAttempts ?? 3, counting: .highest)
        }

        func load() throws -> RosterService.Loaded {
            let store: SQLiteEducationStore
            do { store = try SQLiteEducationStore(path: database.path) } catch { throw fail(error) }
            let now = RecordsCLI.now()
            do {
                guard let c = try store.cycle(id: cycle) else { throw StoreError.unknownCycle(cycle) }
                return try RosterService.load(
                    store: store, cycleID: cycle, department: department, rule: rule(for: c),
                    now: now, chinese: chinese)
            } catch { throw fail(error) }
        }

        func fail(_ error: any Error) -> CommandExit {
            if let e = error as? any BilingualError { return CommandExit(e.message.pick(chinese: chinese)) }
            if let e = error as? SpreadsheetError { return CommandExit(e.description(chinese: chinese)) }
            return RecordsCLI.failure(error)
        }

        func emptyNotice(_ loaded: RosterService.Loaded, wrote what: String) {
            guard loaded.rows.isEmpty else { return }
            Stderr.line(
                chinese
                    ? "注意：培训周期 \(cycle) 的人员范围为空（没有符合其部门与人员类别的在岗人员）；\(what)"
                    : "note: the population of cycle \(cycle) is empty (no active staff match its departments and roles); \(what)"
            )
        }
    }

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, xlsx, json }
    enum Encoding: String, ExpressibleByArgument, CaseIterable { case utf8, gb18030 }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "导出培训完成名册 / Export the completion roster.")
        @OptionGroup var common: Common
        @Option(help: "csv | xlsx | json") var format: Format = .csv
        @Option(
            name: [.short, .customLong("output")],
            help: "输出文件（默认标准输出；xlsx 必须指定）/ Output file (default stdout; required for xlsx on a terminal).") var output: String?
        @Option(help: "CSV 编码：utf8（带 BOM，默认）| gb18030 / CSV encoding: utf8 (with BOM, default) | gb18030.") var encoding:
            Encoding?

        func validate() throws {
            if let encoding, format != .csv {
                throw ValidationError(
                    L10n.pick(
                        zh: "--encoding \(encoding.rawValue) 只适用于 csv；\(format.rawValue) 总是 UTF-8",
                        en: "--encoding \(encoding.rawValue) applies to csv only; \(format.rawValue) is always UTF-8"))
            }
        }

        func run() throws {
            let chinese = common.chinese
            if format == .xlsx, output == nil, isatty(1) == 1 { throw common.fail(RosterError.binaryToTerminal) }
            let loaded = try common.load()
            let destination: RosterService.Destination = output.map { .file(URL(fileURLWithPath: $0)) } ?? .standardOutput
            let showProgress = isatty(2) == 1 && loaded.rows.count >= RosterExport.progressInterval * 2
            let progress: RosterExport.Progress? =
                showProgress
                ? { done, total in
                    Stderr.write("\r\(chinese ? "导出" : "exporting") \(done)/\(total)")
                } : nil
            do {
                try RosterService.export(
                    loaded, format: RosterFormat(rawValue: format.rawValue)!, to: destination,
                    encoding: encoding == .gb18030 ? .gb18030 : .utf8(bom: true), progress: progress)
            } catch {
                if showProgress { Stderr.write("\n") }
                throw common.fail(error)
            }
            if showProgress { Stderr.write("\r\u{1B}[K") }
            common.emptyNotice(loaded, wrote: chinese ? "已写出只有表头的名册" : "wrote a roster with the header only")
            if let output {
                Stderr.line(
                    chinese ? "已导出 \(loaded.rows.count) 人 → \(output)" : "exported \(loaded.rows.count) people → \(output)")
            }
        }
    }

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "按部门树汇总 / Roll-up over the department tree.")
        @OptionGroup var common: Common
        @Option(help: "text | json") var format: OutputFormat = .text

        func run() throws {
            let loaded = try common.load()
            do {
                switch format {
                case .text:
                    try FileDescriptorSink.standardOutput().write(SummaryText.render(loaded.rollup, context: loaded.context))
                case .json:
                    try FileDescriptorSink.standardOutput().write(
                        RosterExport.summaryJSON(rollup: loaded.rollup, context: loaded.context))
                }
            } catch { throw common.fail(error) }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "生成可打印的书面报告（HTML，A4）/ Write the printable report (HTML, A4).")
        @OptionGroup var common: Common
        @Option(name: [.short, .customLong("output")], help: "输出文件，如 report.html / Output file, e.g. report.html.") var output:
            String

        func run() throws {
            let loaded = try common.load()
            do { try RosterService.writeReport(loaded, to: URL(fileURLWithPath: output)) } catch { throw common.fail(error) }
            common.emptyNotice(loaded, wrote: common.chinese ? "报告中各项为 0" : "the report shows zeros")
            Stderr.line(common.chinese ? "已生成报告 → \(output)" : "report written → \(output)")
        }
    }
}
