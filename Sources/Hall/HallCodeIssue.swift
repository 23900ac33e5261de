import Dispatch
import Foundation
import Records
import Spreadsheets
import TextViews

/// Exam codes for `hall codes issue|reissue`: who gets one, the codes drawn and their slow salted
/// hashes (only the hashes are stored), and the slips that show each code once.
public struct HallCodeIssue: Sendable {
    public struct Slip: Sendable, Equatable {
        public var member: StaffMember
        public var code: String
        public init(member: StaffMember, code: String) {
            self.member = member
            self.code = code
        }
    }

    public var cycleID: String
    public var slips: [Slip]
    /// One per slip, in the same order: what the store keeps.
    public var hashes: [HallCodeHash]

    /// Everyone in the cycle's population (in `department`'s subtree, when given) who is active,
    /// not exempt, and has no code for the cycle yet. An unknown cycle is refused.
    public static func uncoded(in store: any EducationStore, cycleID: String, department: String?) throws -> [StaffMember] {
        guard try store.cycle(id: cycleID) != nil else { throw AttemptRefusal.unknownCycle(cycleID) }
        let exempt = Set(try store.exemptions(cycleID: cycleID).map(\.badge))
        return try store.population(cycleID: cycleID, department: department).filter { m in
            guard m.status == .active, !exempt.contains(m.badge) else { return false }
            return try store.hallCodes(badge: m.badge).allSatisfy { $0.cycleID != cycleID }
        }
    }

    /// The staff members with these badges, for a reissue; an unknown cycle or badge is refused.
    public static func members(in store: any EducationStore, cycleID: String, badges: [String]) throws -> [StaffMember] {
        guard try store.cycle(id: cycleID) != nil else { throw AttemptRefusal.unknownCycle(cycleID) }
        return try badges.map { b in
            guard let m = try store.staffMember(badge: b) else { throw AttemptRefusal.unknownBadge(b) }
            return m
        }
    }

    /// Draws the codes and stores their hashes in one transaction (replacing the people's codes
    /// for the cycle with `reissue`).
    public static func issue(
        _ people: [StaffMember], cycleID: String, reissue: Bool, in store: any EducationStore, at now: Date
    ) throws -> HallCodeIssue {
        let issue = draw(people, cycleID: cycleID, at: now)
        try store.issueHallCodes(issue.hashes, reissue: reissue, at: now)
        return issue
    }

    /// `hall codes issue|reissue`: makes the `output` file first (mode 0600, so a bad path fails
    /// before any code is stored), issues the codes (`issue`), then writes the slips there
    /// (`render`) — or, without `output`, returns them for the screen (nil otherwise).
    /// `address` is printed on the slips, `fingerprint` the hall's host key's.
    public static func issue(
        _ people: [StaffMember], cycleID: String, reissue: Bool, in store: any EducationStore, at now: Date,
        output: String?, address: String, fingerprint: String
    ) throws -> String? {
        let writer = try output.map { try AtomicFileWriter(destination: URL(fileURLWithPath: $0), permissions: 0o600) }
        let text: String
        do {
            text = try issue(people, cycleID: cycleID, reissue: reissue, in: store, at: now)
                .render(address: address, fingerprint: fingerprint, output: output)
            try writer?.write(text)
            try writer?.commit()
        } catch {
            writer?.abort()
            throw error
        }
        return writer == nil ? text : nil
    }

    /// Draws a code for each person and hashes it (in parallel: each hash is deliberately slow).
    public static func draw(_ people: [StaffMember], cycleID: String, at now: Date) -> HallCodeIssue {
        let codes = people.map { _ in ExamCode.generate() }
        let hashes = ParallelResults<HallCodeHash>(count: people.count)
        let badges = people.map(\.badge)
        DispatchQueue.concurrentPerform(iterations: people.count) { i in
            hashes.set(i, ExamCode.hash(codes[i], cycleID: cycleID, badge: badges[i], at: now))
        }
        return HallCodeIssue(
            cycleID: cycleID, slips: zip(people, codes).map { Slip(member: $0, code: $1) }, hashes: hashes.values)
    }

    /// The slips in the form `output` names: `.csv` (a spreadsheet), any other file (printable
    /// HTML to cut up), or nil (a table for the screen). `address` is the hall's HOST or HOST:PORT.
    public func render(address: String, fingerprint: String, output: String?) -> String {
        let (host, port) = Self.splitAddress(address)
        func command(_ badge: String) -> String { "ssh \(badge)@\(host)" + (port == "22" ? "" : " -p \(port)") }
        if let output, output.lowercased().hasSuffix(".csv") {
            var s = "\u{FEFF}姓名,执法证号,所属部门,考试码,登录命令,主机密钥指纹\r\n"
            for r in slips {
                s += [r.member.name, r.member.badge, r.member.department, r.code, command(r.member.badge), fingerprint]
                    .map(Self.csv).joined(separator: ",") + "\r\n"
            }
            return s
        }
        if output != nil {
            let html = Self.html
            var s = """
                <!DOCTYPE html>
                <html lang="zh-Hans"><head><meta charset="utf-8"><title>考试码通知单 \(html(cycleID))</title>
                <style>
                body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:1cm}
                .slip{border:1px dashed #555;padding:0.5cm;margin:0 0 0.4cm 0;page-break-inside:avoid}
                .code{font:bold 20pt monospace;letter-spacing:0.1em}
                .fp,.cmd{font-family:monospace}
                </style></head><body>

                """
            for r in slips {
                s += """
                    <div class="slip"><div>\(html(r.member.name))（执法证号 \(html(r.member.badge))）· \(html(cycleID))</div>
                    <div>考试码 / exam code：<span class="code">\(html(r.code))</span></div>
                    <div>登录 / log in：<span class="cmd">\(html(command(r.member.badge)))</span></div>
                    <div>首次连接时请核对主机密钥指纹 / check the host key: <span class="fp">\(html(fingerprint))</span></div></div>

                    """
            }
            return s + "</body></html>\n"
        }
        let table =
            [["姓名", "执法证号", "考试码", "登录命令"]]
            + slips.map { [$0.member.name, $0.member.badge, $0.code, command($0.member.badge)] }
        return TextFormat.table(table) + "\n" + "主机密钥指纹 host key: \(fingerprint)\n"
    }

    /// HOST:PORT → (HOST, PORT); a bare HOST is on the hall's default port 2222.
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
