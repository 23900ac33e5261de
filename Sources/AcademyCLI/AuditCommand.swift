import ArgumentParser
import Foundation
import Records
import TextViews

/// `academy audit verify|head`: the tamper-evident event chain.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计：校验事件链、输出链头哈希 / Audit: verify the event chain, print the head hash.",
        subcommands: [Verify.self, Head.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "重新计算整条哈希链，指出第一个被修改、删除或调换顺序的事件 / Recompute the chain; name the first edited, deleted or reordered event.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "只校验哈希链，跳过 SQLite 完整性检查 / Verify the chain only, skip PRAGMA integrity_check.")
        var chainOnly = false

        func run() throws {
            let store = try database.open()
            if !chainOnly, let problem = try RecordsCLI.run({ try store.integrityProblem() }) {
                Stderr.line(RecordsCLI.text("数据库完整性检查失败：\(problem)", "database integrity check failed: \(problem)"))
                throw ExitCode(1)
            }
            let v = try RecordsCLI.run { try store.verifyChain() }
            if v.isIntact {
                print(RecordsCLI.text(v.message))
            } else {
                Stderr.line(RecordsCLI.text(v.message))
                Stderr.line(
                    RecordsCLI.text(
                        "前 \(v.eventCount) 个事件完好（至 #\(v.head.seq)）",
                        "the first \(v.eventCount) events are intact (up to #\(v.head.seq))"))
                throw ExitCode(1)
            }
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "输出当前链头哈希（第一行），供写入书面报告 / Print the head hash (first line) for the written report.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "text | json") var format: OutputFormat = .text

        func run() throws {
            let store = try database.open()
            let head = try RecordsCLI.run { try store.chainHead() }
            if format == .json {
                print(TextFormat.json(["seq": head.seq, "hash": head.hash, "at": TextFormat.iso(head.at)]))
                return
            }
            print(head.hash)
            print(
                RecordsCLI.text(
                    "事件 #\(head.seq)，\(TextFormat.dateTime(head.at))", "event #\(head.seq), \(TextFormat.dateTime(head.at))"))
        }
    }
}
