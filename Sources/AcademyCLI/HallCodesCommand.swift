import ArgumentParser
import Dispatch
import Foundation
import Hall
import Localization
import Records
import Spreadsheets
import TextViews

extension HallCommand {
    /// `academy hall codes issue|reissue|revoke`: exam codes (the officers' hall passwords).
    struct Codes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考试码：发放、补发、作废 / Exam codes: issue, reissue, revoke.",
            subcommands: [Issue.self, Reissue.self, Revoke.self]
        )

        struct SlipOptions: ParsableArguments {
            @Option(name: .shortAndLong, help: "输出 slips.html（可打印裁剪）或 codes.csv；省略则打印到屏幕 / Write slips.html or codes.csv.")
            var output: String?
            @Option(help: "考场地址，印在通知单上 / Hall address printed on the slips (HOST or HOST:PORT).")
            var address: String?

            func validate() throws {
                if let output, !output.lowercased().hasSuffix(".html"), !output.lowercased().hasSuffix(".csv") {
                    throw ValidationError("-o: the file must end in .html or .csv / 输出文件应为 .html 或 .csv")
                }
            }
        }

        struct Issue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "为周期内尚无考试码的在岗人员发放考试码 / Issue codes to everyone in the cycle who has none.",
                discussion: "考试码只显示这一次；数据库中只保存慢速加盐散列。Codes are shown only now; the store keeps slow salted hashes only.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Option(help: "只发放给该部门及其下级 / Only this department subtree.") var department: String?
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open(language)
                let (hostKey, _, _) = key.load(database, language)
                guard try RecordsCLI.run(language, { try store.cycle(id: cycle) }) != nil else {
                    throw RecordsCLI.failure(AttemptRefusal.unknownCycle(cycle), language)
                }
                let population = try RecordsCLI.run(language) { try store.population(cycleID: cycle, department: department) }
                let exempt = Set(try RecordsCLI.run(language) { try store.exemptions(cycleID: cycle) }.map(\.badge))
                let people = try population.filter { m in
                    guard m.status == .active, !exempt.contains(m.badge) else { return false }
                    return try RecordsCLI.run(language, { try store.hallCodes(badge: m.badge) }).allSatisfy { $0.cycleID != cycle }
                }
                try Codes.issue(people, cycle: cycle, reissue: false, store: store, hostKey: hostKey, slips: slips, now: clock.now(), language)
            }
        }

        struct Reissue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废并重新发放指定人员的考试码 / Revoke and reissue the codes of the given badges.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String]
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open(language)
                let (hostKey, _, _) = key.load(database, language)
                guard try RecordsCLI.run(language, { try store.cycle(id: cycle) }) != nil else {
                    throw RecordsCLI.failure(AttemptRefusal.unknownCycle(cycle), language)
                }
                var people: [StaffMember] = []
                for b in badges {
                    guard let m = try RecordsCLI.run(language, { try store.staffMember(badge: b) }) else {
                        throw RecordsCLI.failure(AttemptRefusal.unknownBadge(b), language)
                    }
                    people.append(m)
                }
                try Codes.issue(people, cycle: cycle, reissue: true, store: store, hostKey: hostKey, slips: slips, now: clock.now(), language)
            }
        }

        struct Revoke: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废考试码（不指定人员则作废本周期全部）/ Revoke codes (all of the cycle's when no badge is given).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String] = []

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open(language)
                let revoked = try RecordsCLI.run(language) {
                    try store.revokeHallCodes(cycleID: cycle, badges: badges.isEmpty ? nil : badges, at: clock.now())
                }
                print(language.pick(zh: "已作废 \(revoked.count) 个考试码", en: "revoked \(revoked.count) code(s)"))
            }
        }

        struct Slip {
            var member: StaffMember
            var code: String
        }

        /// Draws codes, hashes them (in parallel: each hash is deliberately slow), stores the
        /// hashes in one transaction, then writes the slips.
        static func issue(
            _ people: [StaffMember], cycle: String, reissue: Bool, store: any EducationStore, hostKey: HostKey,
            slips: SlipOptions, now: Date, _ language: Language
        ) throws {
            let codes = people.map { _ in ExamCode.generate() }
            let hashes = ParallelResults<HallCodeHash>(count: people.count)
            let badges = people.map(\.badge)
            DispatchQueue.concurrentPerform(iterations: people.count) { i in
                hashes.set(i, ExamCode.hash(codes[i], cycleID: cycle, badge: badges[i], at: now))
            }
            let list = people.map(\.badge)
            // The output file is made first, so a bad path fails before any code is stored.
            let writer = try slips.output.map { try AtomicFileWriter(destination: URL(fileURLWithPath: $0), permissions: 0o600) }
            try RecordsCLI.run(language) { try store.issueHallCodes(hashes.values, reissue: reissue, at: now) }
            let rows = zip(people, codes).map { Slip(member: $0, code: $1) }
            let address = slips.address ?? (ProcessInfo.processInfo.hostName + ":2222")
            let out = render(rows, cycle: cycle, address: address, fingerprint: hostKey.fingerprint, output: slips.output)
            if let writer {
                do {
                    try writer.write(out)
                    try writer.commit()
                } catch {
                    writer.abort()
                    throw RecordsCLI.failure(error, language)
                }
                print(
                    language.pick(zh: "已发放 \(list.count) 个考试码，通知单：\(slips.output!)（请妥善保管，打印后删除）", en: "issued \(list.count) code(s); slips in \(slips.output!) (keep it safe; delete it after printing)"))
            } else {
                print(out, terminator: "")
            }
        }

        static func render(_ rows: [Slip], cycle: String, address: String, fingerprint: String, output: String?) -> String {
            let (host, port) = splitAddress(address)
            func command(_ badge: String) -> String { "ssh \(badge)@\(host)" + (port == "22" ? "" : " -p \(port)") }
            if let output, output.lowercased().hasSuffix(".csv") {
                var s = "\u{FEFF}姓名,执法证号,所属部门,考试码,登录命令,主机密钥指纹\r\n"
                for r in rows {
                    s += [r.member.name, r.member.badge, r.member.department, r.code, command(r.member.badge), fingerprint]
                        .map(csv).joined(separator: ",") + "\r\n"
                }
                return s
            }
            if output != nil {
                var s = """
                    <!DOCTYPE html>
                    <html lang="zh-Hans"><head><meta charset="utf-8"><title>考试码通知单 \(html(cycle))</title>
                    <style>
                    body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:1cm}
                    .slip{border:1px dashed #555;padding:0.5cm;margin:0 0 0.4cm 0;page-break-inside:avoid}
                    .code{font:bold 20pt monospace;letter-spacing:0.1em}
                    .fp,.cmd{font-family:monospace}
                    </style></head><body>

                    """
                for r in rows {
                    s += """
                        <div class="slip"><div>\(html(r.member.name))（执法证号 \(html(r.member.badge))）· \(html(cycle))</div>
                        <div>考试码 / exam code：<span class="code">\(html(r.code))</span></div>
                        <div>登录 / log in：<span class="cmd">\(html(command(r.member.badge)))</span></div>
                        <div>首次连接时请核对主机密钥指纹 / check the host key: <span class="fp">\(html(fingerprint))</span></div></div>

                        """
                }
                return s + "</body></html>\n"
            }
            let table =
                [["姓名", "执法证号", "考试码", "登录命令"]]
                + rows.map { [$0.member.name, $0.member.badge, $0.code, command($0.member.badge)] }
            return TextFormat.table(table) + "\n" + "主机密钥指纹 host key: \(fingerprint)\n"
        }

        static func splitAddress(_ a: String) -> (String, String) {
            if let (h, p) = parseListenAddress(a), a.contains(":") { return (h, String(p)) }
            return (a, "2222")
        }

        static func csv(_ s: String) -> String {
            // Neutralise spreadsheet formulas; quote when needed.
            var v = s
            if let f = v.first, "=+-@".contains(f) { v = "'" + v }
            if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return v
        }

        static func html(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
    }
}

/// Results filled in by `concurrentPerform`, one slot per index.
final class ParallelResults<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) {
        lock.lock()
        slots[i] = v
        lock.unlock()
    }
    var values: [T] { slots.compactMap { $0 } }
}
