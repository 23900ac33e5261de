import Courseware
import Exams
import Foundation
import Localization
import XCTest

@testable import Hall
import Records

/// What `hall codes` and `hall status` do, without the binary: who gets a code, the codes and
/// their hashes, the slips, the invigilator's view, and `hall serve`'s refusal of an unknown cycle.
/// On the selected backend (`ACADEMY_TEST_BACKEND=postgres` runs them on PostgreSQL).
final class HallCommandLogicTests: XCTestCase {
    var dir: URL!
    var store: (any EducationStore)!
    let now = Date(timeIntervalSince1970: 1_768_442_400)  // 2026-01-15T02:00:00Z
    static let department = "示例市/执法大队"

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hall-logic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try HallHarness.store(in: dir)
        let staff: [(String, String, StaffStatus?)] = [
            ("A001", "张三", nil), ("A002", "李四", nil), ("A003", "王五", .inactive), ("A004", "赵六", nil),
        ]
        try store.importStaff(
            staff.enumerated().map { i, s in
                StaffInput(badge: s.0, name: s.1, department: Self.department, role: .officer, status: s.2, line: i + 2)
            }, markMissingInactive: false, source: "staff.csv", at: now.addingTimeInterval(-86400 * 14))
        try store.createCycle(
            TrainingCycle(
                id: "c1", title: "2026年春季培训", courseID: "course", blueprintID: "bp", departments: [Self.department],
                roles: [.officer], opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!,
                timeZoneID: "Asia/Shanghai", createdAt: now.addingTimeInterval(-86400 * 10)))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testUncodedLeavesOutTheInactiveTheExemptAndThoseWithACode() throws {
        try store.exempt(cycleID: "c1", badge: "A004", reason: "病假", grantedBy: "admin", at: now)
        XCTAssertEqual(try HallCodeIssue.uncoded(in: store, cycleID: "c1", department: nil).map(\.badge), ["A001", "A002"])
        let first = HallCodeIssue.draw([try XCTUnwrap(store.staffMember(badge: "A001"))], cycleID: "c1", at: now)
        try store.issueHallCodes(first.hashes, reissue: false, at: now)
        XCTAssertEqual(try HallCodeIssue.uncoded(in: store, cycleID: "c1", department: nil).map(\.badge), ["A002"])
        XCTAssertThrowsError(try HallCodeIssue.uncoded(in: store, cycleID: "nope", department: nil)) {
            XCTAssertEqual($0 as? AttemptRefusal, .unknownCycle("nope"))
        }
    }

    func testMembersRefuseAnUnknownBadgeOrCycle() throws {
        XCTAssertEqual(try HallCodeIssue.members(in: store, cycleID: "c1", badges: ["A002", "A001"]).map(\.name), ["李四", "张三"])
        XCTAssertThrowsError(try HallCodeIssue.members(in: store, cycleID: "c1", badges: ["A001", "X9"])) {
            XCTAssertEqual($0 as? AttemptRefusal, .unknownBadge("X9"))
        }
        XCTAssertThrowsError(try HallCodeIssue.members(in: store, cycleID: "c2", badges: ["A001"])) {
            XCTAssertEqual($0 as? AttemptRefusal, .unknownCycle("c2"))
        }
    }

    func testDrawnCodesMatchTheirHashesInOrder() throws {
        let people = try HallCodeIssue.members(in: store, cycleID: "c1", badges: ["A001", "A002"])
        let issue = HallCodeIssue.draw(people, cycleID: "c1", at: now)
        XCTAssertEqual(issue.slips.map(\.member.badge), ["A001", "A002"])
        XCTAssertEqual(issue.hashes.map(\.badge), ["A001", "A002"])
        XCTAssertEqual(Set(issue.hashes.map(\.cycleID)), ["c1"])
        for (slip, hash) in zip(issue.slips, issue.hashes) {
            XCTAssertTrue(ExamCode.matches(slip.code, hash))
        }
        XCTAssertFalse(ExamCode.matches(issue.slips[0].code, issue.hashes[1]))
    }

    func testSlipsAsTableCSVAndHTML() {
        let member = StaffMember(
            badge: "A001", name: "=张三", department: "大队,一中队", role: .officer, status: .active, joinedAt: now, leftAt: nil)
        let issue = HallCodeIssue(cycleID: "c1", slips: [.init(member: member, code: "ABCD-EFGH")], hashes: [])
        let text = issue.render(address: "exam.example", fingerprint: "SHA256:xyz", output: nil)
        XCTAssertTrue(text.contains("ssh A001@exam.example -p 2222"), text)
        XCTAssertTrue(text.hasSuffix("主机密钥指纹 host key: SHA256:xyz\n"), text)
        let csv = issue.render(address: "exam.example:22", fingerprint: "SHA256:xyz", output: "codes.CSV")
        XCTAssertEqual(
            csv,
            "\u{FEFF}姓名,执法证号,所属部门,考试码,登录命令,主机密钥指纹\r\n'=张三,A001,\"大队,一中队\",ABCD-EFGH,ssh A001@exam.example,SHA256:xyz\r\n")
        let html = issue.render(address: "h:2200", fingerprint: "fp", output: "slips.html")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<span class=\"cmd\">ssh A001@h -p 2200</span>"), html)
        XCTAssertTrue(html.hasSuffix("</body></html>\n"))
    }

    func testStatusCountsSessionsFailuresAndSubmittedAttempts() throws {
        try store.upsertHallSessions([
            HallSessionRow(
                badge: "A001", cycleID: "c1", source: "10.0.0.5", serverPID: 1, connectedAt: now.addingTimeInterval(-600),
                updatedAt: now, state: .connected, question: 3, questionCount: 6, answered: 2, deadline: now.addingTimeInterval(90)),
            HallSessionRow(
                badge: "A002", cycleID: "c1", source: "10.0.0.6", serverPID: 1, connectedAt: now.addingTimeInterval(-900),
                updatedAt: now, state: .finished),
        ])
        try store.recordHallFailure(badge: "A001", source: "10.0.0.5", reason: "code", at: now.addingTimeInterval(-60))
        try store.recordHallFailure(badge: "Z9", source: "10.0.0.9", reason: "code", at: now.addingTimeInterval(-120))
        try store.recordHallFailure(badge: "Z9", source: "10.0.0.9", reason: "code", at: now.addingTimeInterval(-7200))
        let view = HallStatusView(cycleID: "c1", failuresMinutes: 60)
        let text = try view.render(store, json: false, now: now, language: .en)
        XCTAssertTrue(text.hasPrefix("Hall status "), text)
        XCTAssertTrue(text.contains("connected 1  finished 1 (0 submitted in the cycle)  failed logins in 60 min: 2"), text)
        XCTAssertTrue(text.contains("01:30"), text)
        XCTAssertTrue(text.hasSuffix("Failed logins (never entered): Z9×1\n"), text)
        // Connected before finished.
        let a1 = try XCTUnwrap(text.range(of: "A001")), a2 = try XCTUnwrap(text.range(of: "A002"))
        XCTAssertLessThan(a1.lowerBound, a2.lowerBound)
        XCTAssertTrue(try view.render(store, json: false, now: now, language: .zhHans).contains("在线 1　已交卷 1（本周期共 0 份）"))
        let json = try JSONSerialization.jsonObject(with: Data(try view.render(store, json: true, now: now, language: .en).utf8))
        let object = try XCTUnwrap(json as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "academy.hall.status/1")
        let totals = try XCTUnwrap(object["totals"] as? [String: Int])
        XCTAssertEqual(totals, ["connected": 1, "finished": 1, "failedLogins": 2, "submittedAttempts": 0])
        let sessions = try XCTUnwrap(object["sessions"] as? [[String: Any]])
        XCTAssertEqual(sessions.first { $0["badge"] as? String == "A001" }?["secondsLeft"] as? Int, 90)
        XCTAssertEqual(sessions.first { $0["badge"] as? String == "A001" }?["name"] as? String, "张三")
    }

    func testLaunchRefusesAnUnknownCycle() throws {
        let (key, _) = try HostKey.loadOrCreate(path: dir.appendingPathComponent("host_key").path, createIfMissing: true)
        let at = now
        let clock = WallClock { at }
        XCTAssertThrowsError(
            try HallLaunch(
                configuration: HallConfiguration(), hostKey: key, store: store, content: ExamContent(ContentSet()),
                studyContent: ContentSet(), cycleID: "nope", clock: clock)
        ) { error in
            XCTAssertEqual((error as? HallLaunch.Failure)?.message(in: .en), "no training cycle nope")
        }
        // A known cycle is accepted (starting is left to the end-to-end tests: it takes over SIGTERM and SIGINT).
        let hall = try HallLaunch(
            configuration: HallConfiguration(), hostKey: key, store: store, content: ExamContent(ContentSet()),
            studyContent: ContentSet(), cycleID: "c1", clock: clock, log: HallLog(sink: { _ in }))
        XCTAssertEqual(hall.server.configuration.port, 2222)
        let lines = hall.openedLines(port: 2300, createdKey: "/k").map { $0.text(in: .en) }
        XCTAssertEqual(lines, ["created host key: /k", "exam hall open: 0.0.0.0:2300", "host key fingerprint (post it at the door): \(key.fingerprint)"])
        XCTAssertEqual(hall.openedLines(port: 2300, createdKey: nil).first?.text(in: .zhHans), "考场已开放：0.0.0.0:2300")
    }

    /// `hall serve`'s options become the configuration, or a usage error that names the option.
    func testServeOptionsAreCheckedAndCarried() throws {
        let c = try HallConfiguration(listen: "[::1]:2300", maxConnections: 7, handshakeTimeout: 5, idleWarn: 60, idleClose: 120)
        XCTAssertEqual([c.host, "\(c.port)", "\(c.maxConnections)"], ["::1", "2300", "7"])
        XCTAssertEqual([c.handshakeTimeout, c.limits.idleWarnSeconds, c.limits.idleCloseSeconds], [5, 60, 120])
        func refusal(_ listen: String, _ max: Int, _ warn: Double, _ close: Double) -> String? {
            do {
                _ = try HallConfiguration(listen: listen, maxConnections: max, handshakeTimeout: 30, idleWarn: warn, idleClose: close)
                return nil
            } catch { return error.message.en }
        }
        XCTAssertEqual(refusal("exam.example", 1, 1, 2), "--listen: expected ADDR:PORT, e.g. 0.0.0.0:2222 / 格式应为 地址:端口")
        XCTAssertEqual(refusal("h:70000", 1, 1, 2), "--listen: expected ADDR:PORT, e.g. 0.0.0.0:2222 / 格式应为 地址:端口")
        XCTAssertEqual(refusal(":2222", 0, 1, 2), "--max-connections must be positive")
        XCTAssertEqual(refusal(":2222", 1, 0, 2), "--idle-warn must be positive and below --idle-close")
        XCTAssertEqual(refusal(":2222", 1, 2, 2), "--idle-warn must be positive and below --idle-close")
        XCTAssertNil(refusal(":2222", 1, 1, 2))
    }

    /// With `output`, the slips go to a 0600 file and nothing is returned; a path that cannot be
    /// written is refused before any code is stored; without `output` the slips are returned.
    func testIssuedSlipsGoToTheFileOrTheScreen() throws {
        let people = try HallCodeIssue.members(in: store, cycleID: "c1", badges: ["A001"])
        let file = dir.appendingPathComponent("codes.csv").path
        XCTAssertNil(
            try HallCodeIssue.issue(
                people, cycleID: "c1", reissue: false, in: store, at: now, output: file, address: "h", fingerprint: "fp"))
        var st = stat()
        XCTAssertEqual(stat(file, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains(",A001,"))
        XCTAssertEqual(try store.hallCodes(badge: "A001").count, 1)
        let other = try HallCodeIssue.members(in: store, cycleID: "c1", badges: ["A002"])
        XCTAssertThrowsError(
            try HallCodeIssue.issue(
                other, cycleID: "c1", reissue: false, in: store, at: now, output: dir.appendingPathComponent("no/such/x.csv").path,
                address: "h", fingerprint: "fp"))
        XCTAssertEqual(try store.hallCodes(badge: "A002").count, 0)
        let shown = try HallCodeIssue.issue(
            other, cycleID: "c1", reissue: false, in: store, at: now, output: nil, address: "h", fingerprint: "fp")
        XCTAssertTrue(try XCTUnwrap(shown).contains("ssh A002@h -p 2222"))
        XCTAssertEqual(try store.hallCodes(badge: "A002").count, 1)
    }
}
