import ArgumentParser
import Foundation
import Localization
import Records
import Spreadsheets
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
        @Option(
            help: ArgumentHelp(
                "在别处保存的链头（可重复）/ A file recording a head kept elsewhere (repeatable).", valueName: "FILE"))
        var against: [String] = []

        func run(in language: Language, clock: AcademyClock) throws {
            // Read the files first: a bad path is a usage error whatever the database holds.
            var recorded: [(file: String, heads: [AuditHeadToken.Found])] = []
            for file in against { recorded.append((file, try Self.heads(in: file, language))) }
            let store = try database.open(language)
            // The file checks are SQLite's; a PostgreSQL server guards its own files and pages.
            let file = store as? SQLiteEducationStore
            if let file, let mode = file.exposedMode() {
                Stderr.line(
                    language.pick(zh: "警告：数据库文件 \(file.path) 的权限为 \(String(mode, radix: 8))，其他用户可以读取其中的姓名、证号和全部答案；请执行 chmod 600 \(file.path)", en: "warning: the database file \(file.path) has mode \(String(mode, radix: 8)): other users can read its names, badges and every answer; run chmod 600 \(file.path)"))
            }
            if !chainOnly, !skipIntegrityCheck, let file, let problem = try RecordsCLI.run(language, { try file.integrityProblem() }) {
                Stderr.line(language.pick(zh: "数据库完整性检查失败：\(problem)", en: "database integrity check failed: \(problem)"))
                throw ExitCode(1)
            }
            let v = try RecordsCLI.run(language) { try store.verifyChain(replay: !chainOnly) }
            if let legacy = v.legacy { Stderr.line(legacy.message.text(in: language)) }
            guard v.isIntact else {
                Stderr.line(v.message.text(in: language))
                if case .projection = v.problem {
                    Stderr.line(
                        language.pick(zh: "哈希链本身完好（\(v.eventCount) 个事件）；表中数据在链外被改动", en: "the chain itself is intact (\(v.eventCount) events); the table was changed behind its back"))
                } else {
                    Stderr.line(
                        language.pick(zh: "前 \(v.eventCount) 个事件完好（至 #\(v.head.seq)）", en: "the first \(v.eventCount) events are intact (up to #\(v.head.seq))"))
                }
                throw ExitCode(1)
            }
            var failed = false
            for (file, heads) in recorded {
                for h in heads {
                    if try RecordsCLI.run(language, { try store.event(seq: h.seq, hasHash: h.hash) }) {
                        print(
                            language.pick(zh: "\(file)：链头 #\(h.seq) \(h.hash.prefix(16))… 仍在链中", en: "\(file): head #\(h.seq) \(h.hash.prefix(16))… is in the chain"))
                    } else if h.seq > v.head.seq {
                        failed = true
                        Stderr.line(
                            language.pick(zh: "\(file)：记录的链头为事件 #\(h.seq)，但链中只有 \(v.head.seq) 个事件：链尾的事件被删除（截断）", en: "\(file): the recorded head is event #\(h.seq) but the chain has only \(v.head.seq) events: events were removed from the end (truncated)"))
                    } else {
                        failed = true
                        Stderr.line(
                            language.pick(zh: "\(file)：事件 #\(h.seq) 的哈希与记录的 \(h.hash) 不同：该事件及其之前的历史已被改写", en: "\(file): event #\(h.seq) does not have the recorded hash \(h.hash): the history up to it was rewritten"))
                    }
                }
            }
            if failed { throw ExitCode(1) }
            print(v.message.text(in: language))
        }

        /// The heads a file records; a file without any is an error (exit 1), never a silent pass.
        static func heads(in file: String, _ language: Language) throws -> [AuditHeadToken.Found] {
            let url = URL(fileURLWithPath: file)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir), !isDir.boolValue else {
                Stderr.line(language.pick(zh: "\(file)：文件不存在", en: "\(file): no such file"))
                throw ExitCode(1)
            }
            let data: Data
            do {
                let attrs = try FileManager.default.attributesOfItem(atPath: file)
                guard attrs[.type] as? FileAttributeType == .typeRegular else {
                    Stderr.line(language.pick(zh: "\(file)：不是普通文件", en: "\(file): not a regular file"))
                    throw ExitCode(1)
                }
                if let size = attrs[.size] as? Int, size > 1 << 30 {
                    Stderr.line(language.pick(zh: "\(file)：文件超过 1 GiB", en: "\(file): larger than 1 GiB"))
                    throw ExitCode(1)
                }
                data = try Data(contentsOf: url)
            } catch let e as ExitCode {
                throw e
            } catch {
                Stderr.line(language.pick(zh: "\(file)：无法读取（\(error.localizedDescription)）", en: "\(file): cannot read (\(error.localizedDescription))"))
                throw ExitCode(1)
            }
            var text: String
            if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
                do {
                    let props = try XLSXCustomProperties.read(bytes: Array(data), source: file)
                    text = props[AuditHeadToken.propertyName] ?? ""
                } catch {
                    Stderr.line("\(error)")
                    throw ExitCode(1)
                }
            } else {
                text = String(decoding: data, as: UTF8.self)
            }
            let heads = AuditHeadToken.find(in: text)
            if heads.isEmpty {
                Stderr.line(
                    language.pick(zh: "\(file)：未找到记录的链头（应为报告、花名册导出、audit head 的输出或 audit anchor 文件）", en: "\(file): no recorded head found (expected a report, a roster export, audit head output or an audit anchor file)"))
                throw ExitCode(1)
            }
            return heads
        }
    }

    struct Head: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "输出当前链头哈希（第一行），供写入书面报告 / Print the head hash (first line) for the written report.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            let head = try RecordsCLI.run(language) { try store.chainHead() }
            if format == .json {
                print(TextFormat.json(["seq": head.seq, "hash": head.hash, "at": TextFormat.iso(head.at)]))
                return
            }
            print(head.hash)
            print(
                language.pick(zh: "事件 #\(head.seq)，\(TextFormat.dateTime(head.at))", en: "event #\(head.seq), \(TextFormat.dateTime(head.at))"))
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
            let store = try database.open(language)
            // Anchor only what verifies: an anchor of a tampered store would vouch for it.
            let v = try RecordsCLI.run(language) { try store.verifyChain() }
            guard v.isIntact else {
                Stderr.line(v.message.text(in: language))
                Stderr.line(language.pick(zh: "数据库未通过校验，未写入留存文件", en: "the database does not verify; nothing was anchored"))
                throw ExitCode(1)
            }
            let line = AuditHeadToken.anchorLine(v.head, eventCount: v.eventCount, at: clock.now()) + "\n"
            do {
                try AnchorFile.append(line, to: output)
            } catch let e as AnchorFile.Failure {
                Stderr.line(language.pick(zh: e.zh, en: e.en))
                throw ExitCode(1)
            }
            print(line, terminator: "")
        }
    }
}

/// Appending one line to an anchor file: never truncates, never follows a symlink, never writes
/// into anything but a regular file, and the line goes out in one write(2) with O_APPEND.
enum AnchorFile {
    struct Failure: Error {
        var zh: String
        var en: String
    }

    static func append(_ line: String, to path: String) throws {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            if errno == ELOOP {
                throw Failure(zh: "\(path)：是符号链接，拒绝写入", en: "\(path): is a symbolic link; refusing to write")
            }
            throw Failure(zh: "\(path)：无法打开（\(why)）", en: "\(path): cannot open (\(why))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(zh: "\(path)：不是普通文件，拒绝写入", en: "\(path): not a regular file; refusing to write")
        }
        // A previous line cut short (disk full) must not swallow this one.
        if st.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, st.st_size - 1) == 1, last != 0x0A {
                throw Failure(
                    zh: "\(path)：最后一行不完整（不以换行结束），请先检查该文件", en: "\(path): its last line is incomplete (no newline); check the file first")
            }
        }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let why = written < 0 ? String(cString: strerror(errno)) : "short write"
            throw Failure(zh: "\(path)：写入失败（\(why)）", en: "\(path): write failed (\(why))")
        }
        guard fsync(fd) == 0 else {
            throw Failure(zh: "\(path)：写入磁盘失败", en: "\(path): could not flush to disk")
        }
    }
}
