import ArgumentParser
import Foundation
import Localization
import Records
import Rosters
import TextViews

/// `academy audit verify|head|anchor`: the tamper-evident event chain and the tables replayed from it.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计：校验事件链与各表、输出或留存链头哈希 / Audit: verify the chain and the tables, print or anchor the head.",
        subcommands: [Verify.self, Head.self, Anchor.self]
    )

    struct Verify: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "重算哈希链并重放全部事件，与各表逐行比对，指出第一处差异 / Recompute the chain, replay every event and compare the tables row by row; name the first difference.",
            discussion: """
                --against 文件可以是报告（HTML）、花名册导出（CSV 末行注释、XLSX 自定义属性、JSON 的 audit_head）、\
                链头文件（audit head 的输出）或留存文件（audit anchor）；其中记录的每个链头都必须仍在链中、位于记录的事件序号。
                --against FILE takes a report (HTML), a roster export (CSV comment line, XLSX custom property, JSON \
                audit_head), a head file (audit head output) or an anchor file (audit anchor); every head recorded in \
                it must still be in the chain at the recorded event number.
                """)
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "只校验哈希链，不重放、不比对各表、跳过 SQLite 完整性检查 / Verify the hashes only: no replay, no table comparison, no PRAGMA integrity_check.")
        var chainOnly = false
        /// Benchmarks: replay without the (separately measured) SQLite integrity check.
        @Flag(help: .hidden) var skipIntegrityCheck = false
        @Option(help: ArgumentHelp("在别处保存的链头（可重复）/ A file recording a head kept elsewhere (repeatable).", valueName: "FILE"))
        var against: [String] = []

        func run(in language: Language, clock: AcademyClock) throws {
            // The files are read first: a bad path is a failure (exit 1) whatever the database holds.
            let audit = try AuditVerify(against: against, chainOnly: chainOnly, integrityCheck: !skipIntegrityCheck)
            let intact = try audit.run(try database.open()) { text, toError in
                toError ? Stderr.line(text.text(in: language)) : print(text.text(in: language))
            }
            if !intact { throw ExitCode(1) }
        }
    }

    struct Head: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "输出当前链头哈希（第一行），供写入书面报告 / Print the head hash (first line) for the written report.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            print(AdminViews.head(try database.open().chainHead(), json: format == .json, language: language))
        }
    }

    struct Anchor: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "把当前链头、事件数和时间追加到留存文件（每次一行，只追加）/ Append the head, event count and time to an anchor file (one line each, append-only).",
            discussion: """
                留存文件应保存在数据库之外（另一台机器、上级部门、打印件）；之后用 academy audit verify --against 文件 检查链尾是否被删除。
                Keep the file away from the database (another machine, the department above, on paper); later, \
                academy audit verify --against FILE checks that no events were removed from the end.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(name: .shortAndLong, help: ArgumentHelp("留存文件（不存在则创建）/ Anchor file (created if missing).", valueName: "FILE"))
        var output: String

        func run(in language: Language, clock: AcademyClock) throws {
            print(try AnchorFile.anchor(try database.open(), at: clock.now(), to: output), terminator: "")
        }
    }
}
