import Foundation
import Records
import TestSupport
import XCTest

@testable import Rosters

final class ReportLayoutTests: XCTestCase {
    func html(level: Int = 1, scope: String? = nil, rows: [RosterRow] = Fixtures.rows) -> String {
        try! RosterReport.html(
            .init(
                rows: rows, rollup: RosterRollup(rows: rows, scope: scope), context: Fixtures.context(department: scope),
                header: ReportHeader(unit: "示例市城管局", contact: "李明", phone: "025-1"),
                exemptions: ["A004": Exemption(cycleID: "c", badge: "A004", reason: "病假", grantedBy: "周建国", grantedAt: Fixtures.date("2018-01-20T00:00:00Z"))],
                spotChecks: [SpotCheck(id: 1, cycleID: "c", seed: 9, percent: 10, selected: ["A002", "Z999"], inspectors: ["检查员甲"], drawnAt: Fixtures.date("2018-02-01T00:00:00Z"))],
                level: level))
    }

    func testSignatureComesBeforeEveryAnnexAndAnnexesAreGrouped() {
        let h = html()
        let sign = h.range(of: "负责人（签字）")!.lowerBound
        for n in 1...4 { XCTAssertLessThan(sign, h.range(of: "附件\(n)　")!.lowerBound, "annex \(n) after the signature") }
        XCTAssertTrue(h.contains("counter(page)") && h.contains("counter(pages)") && h.contains("第 "), "page numbers")
        XCTAssertTrue(h.contains("示例市城管局") && h.contains("李明") && h.contains("025-1"))
        XCTAssertTrue(h.contains("<tr class=\"grp\"><td colspan=\"5\">江苏省/南京市/玄武区</td></tr>"), "grouped by department")
        XCTAssertTrue(h.contains("小计 1 人") && h.contains("合计 1 人"))
        XCTAssertTrue(h.contains("病假") && h.contains("周建国"), "附件3 reason and approver")
        XCTAssertTrue(h.contains("检查员甲") && h.contains("另有 1 人不在本报告范围内"), "附件4 draw and results")
        XCTAssertTrue(h.contains("white-space: nowrap"), "headers do not break mid-word")
    }

    func testChartLevelAndReadableSmallShares() {
        // Level 1 = 江苏省 only; level 2 = 南京市, 苏州市.
        XCTAssertEqual(html(level: 1).components(separatedBy: "<rect").count - 1, 3, "one bar: background, completed, overdue")
        let two = html(level: 2)
        XCTAssertTrue(two.contains(">南京市</text>") && two.contains(">苏州市</text>"))
        var n = DepartmentRollup(path: "a", name: "a", depth: 1)
        n.headcount = 100
        n.overdue = 1
        n.completed = 98
        let w = ReportChart.segments(n, width: 62)
        XCTAssertGreaterThanOrEqual(w[2], 0.8, "1% is still a visible bar")
        XCTAssertEqual(w[1], 0)
    }

    func testScopeShowsOnlyTheSubtree() {
        let scope = "江苏省/南京市"
        let rows = Fixtures.rows.filter { $0.department.hasPrefix(scope) }
        let h = html(scope: scope, rows: rows)
        XCTAssertFalse(h.contains(">江苏省<"), "no ancestor row")
        XCTAssertTrue(h.contains("南京市（合计）"))
        XCTAssertTrue(h.contains(">玄武区</td>") && h.contains(">鼓楼区</td>"))
    }

    func testEachDepartmentWritesOneReportPerUnitAndAnIndex() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = RosterReport.Input(rows: Fixtures.rows, rollup: RosterRollup(rows: Fixtures.rows), context: Fixtures.context())
        let files = try RosterService.writeEachDepartment(input, level: 2, to: dir.appendingPathComponent("out"))
        XCTAssertEqual(files.map(\.lastPathComponent), ["1-南京市.html", "2-苏州市.html", "index.html"])
        let nanjing = try String(contentsOf: files[0], encoding: .utf8)
        XCTAssertTrue(nanjing.contains("江苏省/南京市") && !nanjing.contains("苏州市"))
        let index = try String(contentsOf: files[2], encoding: .utf8)
        XCTAssertTrue(index.contains("href=\"1-%E5%8D%97%E4%BA%AC%E5%B8%82.html\""), index)
        XCTAssertThrowsError(try RosterService.writeEachDepartment(input, level: 9, to: dir)) { e in
            XCTAssertEqual(e as? RosterError, .badLevel(9, deepest: 3))
        }
    }
}

/// Certificates and `record verify` against a real store (issue 14 §4): SQLite, or PostgreSQL
/// with `ACADEMY_TEST_BACKEND=postgres`.
final class CertificateTests: XCTestCase {
    func testCodeFromTheCompletionEventVerifiesAndForgeriesFail() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store: any EducationStore =
            TestPostgres.selected
            ? try PostgresEducationStore(url: TestPostgres.freshDatabase(prefix: "certificates"))
            : try SQLiteEducationStore(path: dir.appendingPathComponent("a.sqlite").path)
        _ = try store.importStaff(
            [
                StaffInput(badge: "A1", name: "张三", department: "市局/一大队", role: .officer, status: nil, line: 2),
                StaffInput(badge: "A2", name: "李四", department: "市局/二大队", role: .officer, status: nil, line: 3),
            ], markMissingInactive: false, source: "t", at: Fixtures.date("2018-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "c", title: "春节前培训", courseID: "course", blueprintID: "b", departments: [], roles: [],
                opens: CalendarDay("2018-01-15")!, due: CalendarDay("2018-02-10")!, timeZoneID: "Asia/Shanghai"))
        let rule = CompletionRule(requiredItemIDs: ["l1"], maxAttempts: 1, counting: .highest)
        _ = try store.recordItemFinished(badge: "A1", cycleID: "c", itemID: "l1", at: Fixtures.date("2018-01-20T00:00:00Z"))
        let attempt = try store.startAttempt(
            AttemptRequest(
                badge: "A1", cycleID: "c", maxAttempts: 1, blueprintID: "b", blueprintVersion: 1, bankHash: "h", seed: 1,
                paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 3600, startedAt: Fixtures.date("2018-01-21T00:00:00Z")))
        try store.submitAttempt(
            attemptID: attempt.id, report: Data("{}".utf8), score: 92, maxScore: 100, passed: true,
            submittedAt: Fixtures.date("2018-01-21T01:00:00Z"), reason: .submitted)
        let now = Fixtures.date("2018-03-01T00:00:00Z")
        let loaded = try RosterService.load(store: store, cycleID: "c", department: nil, rule: rule, now: now, language: .zhHans)
        let course = CertificateService.CourseFacts(title: "严格规范执法", hours: 4)
        let certs = try CertificateService.certificates(loaded, store: store, course: course)
        XCTAssertEqual(certs.map(\.badge), ["A1"], "only those who completed")
        let cert = certs[0]
        XCTAssertEqual(cert.score, "92.0 / 100")
        XCTAssertEqual(cert.date, "2018-01-21")
        let submitted = try store.events(hashPrefix: Certificate.normalize(code: cert.code)!)
        XCTAssertEqual(submitted.map(\.type), ["attempt.submitted"], "the code is the completing event's hash")

        func verify(_ code: String) throws -> CertificateService.Verdict {
            try CertificateService.verify(
                code: code, store: store, now: now, language: .zhHans, rule: { _ in rule }, course: { _ in course })
        }
        XCTAssertEqual(try verify(cert.code), .valid(cert))
        XCTAssertEqual(try verify(cert.code.uppercased().replacingOccurrences(of: "-", with: " ")), .valid(cert))
        var forged = Array(cert.code)
        forged[0] = forged[0] == "0" ? "1" : "0"
        XCTAssertEqual(try verify(String(forged)), .unknownCode)
        XCTAssertEqual(try verify("1234"), .unknownCode, "too short to name an event")
        // An event that is not a completion (A2's staff event) does not verify.
        let other = try store.events(hashPrefix: "").first { $0.badge == "A2" }!
        XCTAssertEqual(try verify(other.hash), .notACompletion(badge: "A2", cycleID: nil))

        // The printed file reads back exactly; an edited name no longer matches the record.
        let html = CertificatesHTML.html(certs, context: loaded.context, issuer: "示例市城管局")
        XCTAssertTrue(html.contains("size: A4"))
        let printed = CertificatesHTML.read(html)
        XCTAssertEqual(printed.count, 1)
        XCTAssertEqual(printed[0].fields["name"], "张三")
        let edited = CertificatesHTML.read(html.replacingOccurrences(of: ">张三<", with: ">王五<"))
        guard case .valid(let truth) = try verify(edited[0].code) else { return XCTFail("code still valid") }
        XCTAssertNotEqual(truth.fields().first { $0.key == "name" }!.value, edited[0].fields["name"])
    }
}
