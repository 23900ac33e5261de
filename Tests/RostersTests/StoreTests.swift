import Foundation
import Records
import TestSupport
import XCTest

@testable import Rosters

/// Rosters against the real store: SQLite, or PostgreSQL with `ACADEMY_TEST_BACKEND=postgres`.
final class RosterStoreTests: XCTestCase {
    var dir: URL!
    var store: (any EducationStore)!
    let rule = CompletionRule(requiredItemIDs: ["l1", "l2"], maxAttempts: 2, counting: .highest)
    let dept = "示例省/示例市/示例区/城市管理综合行政执法大队"

    override func setUpWithError() throws {
        dir = try Fixtures.tempDir()
        store =
            TestPostgres.selected
            ? try PostgresEducationStore(url: TestPostgres.freshDatabase(prefix: "rosters"))
            : try SQLiteEducationStore(path: dir.appendingPathComponent("academy.sqlite").path)
        try store.importStaff(
            [
                StaffInput(badge: "A001", name: "张三", department: dept, role: .officer, status: nil, line: 2),
                StaffInput(badge: "A002", name: "=李四", department: dept + "/一中队", role: .officer, status: nil, line: 3),
                StaffInput(badge: "A003", name: "王五", department: dept + "/二中队", role: .assistant, status: nil, line: 4),
                StaffInput(badge: "B001", name: "赵六", department: "示例省/另一市", role: .officer, status: nil, line: 5),
            ], markMissingInactive: false, source: "t.csv", at: Fixtures.date("2018-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "c1", title: "春节前培训", courseID: "c", blueprintID: "b",
                departments: [dept], roles: [], opens: CalendarDay("2018-01-15")!,
                due: CalendarDay("2018-02-10")!, timeZoneID: "Asia/Shanghai",
                createdAt: Fixtures.date("2018-01-02T00:00:00Z")))
        try store.createCycle(
            TrainingCycle(
                id: "empty", title: "空", courseID: "c", blueprintID: "b",
                departments: ["不存在的省"], roles: [], opens: CalendarDay("2018-01-15")!,
                due: CalendarDay("2018-02-10")!, timeZoneID: "Asia/Shanghai",
                createdAt: Fixtures.date("2018-01-02T00:00:00Z")))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func load(_ cycle: String = "c1", department: String? = nil) throws -> RosterService.Loaded {
        try RosterService.load(
            store: store, cycleID: cycle, department: department, rule: rule,
            now: Fixtures.date("2018-01-20T00:00:00Z"), language: .zhHans)
    }

    func testPopulationIncludesNeverStarted() throws {
        try store.recordItemFinished(badge: "A001", cycleID: "c1", itemID: "l1", at: Fixtures.date("2018-01-16T00:00:00Z"))
        let l = try load()
        XCTAssertEqual(try l.rows().map(\.badge), ["A001", "A002", "A003"])
        XCTAssertEqual(try l.rows()[0].itemsDone, 1)
        XCTAssertEqual(try l.rows()[1].status, .notStarted)
        XCTAssertNotNil(l.context.head)
        XCTAssertEqual(try l.rollup().total.headcount, 3)
    }

    func testUnknownCycleAndDepartment() throws {
        XCTAssertThrowsError(try load("nope")) { XCTAssertTrue("\($0)".contains("nope"), "\($0)") }
        XCTAssertThrowsError(try load(department: "火星省")) {
            XCTAssertEqual($0 as? RosterError, .unknownDepartment("火星省", cycleID: "c1"))
        }
        // A real department outside the cycle's population: an empty roster, not an error.
        XCTAssertEqual(try load(department: "示例省/另一市").rows().count, 0)
        XCTAssertEqual(try load(department: dept + "/一中队/").rows().map(\.badge), ["A002"])
    }

    func testEmptyPopulation() throws {
        let l = try load("empty")
        XCTAssertTrue(try l.rows().isEmpty)
        XCTAssertThrowsError(
            try RosterService.drawSpotCheck(
                store: store, cycleID: "empty", percent: 10, seed: 1,
                inspectors: [], at: Date())
        ) {
            XCTAssertEqual($0 as? RosterError, .emptyPopulation(cycleID: "empty"))
        }
    }

    func testSpotCheckIsRecordedAndShowsInRosterAndRecord() throws {
        let (draw, recorded, people) = try RosterService.drawSpotCheck(
            store: store, cycleID: "c1", percent: 50, seed: 7, inspectors: ["检查员甲", "检查员乙"],
            at: Fixtures.date("2018-01-18T00:00:00Z"))
        XCTAssertEqual(draw.selected.count, 2)
        XCTAssertEqual(recorded.selected, draw.selected)
        XCTAssertEqual(recorded.inspectors, draw.inspectors)
        XCTAssertEqual(people.count, 3)
        let again = try SpotCheckDraw.draw(
            population: ["A003", "A001", "A002"], percent: 50, seed: 7, inspectors: ["检查员乙", "检查员甲"])
        XCTAssertEqual(again.selected, draw.selected, "reproducible from the seed")
        let l = try load()
        XCTAssertEqual(Set(try l.rows().filter(\.spotChecked).map(\.badge)), Set(draw.selected))
        let record = try store.educationRecord(badge: draw.selected[0], rules: [:], now: Date())
        XCTAssertEqual(record.cycles.first { $0.cycle.id == "c1" }?.spotChecks.first?.seed, 7)
        XCTAssertEqual(try store.verifyChain().isIntact, true)
    }

    /// The store's cursor yields rows in `DepartmentOrder` (二中队 before 三中队 before 十中队,
    /// which code-point order has as 三, 二, 十), each with its own attempts and progress,
    /// exactly as the per-person `standing` computes them.
    func testStreamedRosterIsInDepartmentOrderWithEachPersonsOwnFigures() throws {
        let units = ["十中队", "三中队", "二中队"]
        try store.importStaff(
            units.enumerated().flatMap { i, u in
                (1...3).map { k in
                    StaffInput(badge: "U\(i)\(k)", name: "队员\(i)\(k)", department: dept + "/" + u, role: .officer, status: nil, line: 2)
                }
            }, markMissingInactive: false, source: "more.csv", at: Fixtures.date("2018-01-03T00:00:00Z"))
        let at = Fixtures.date("2018-01-16T00:00:00Z")
        for (badge, score) in [("U01", 55.0), ("U12", 91.25), ("U22", 47.5), ("A002", 60.0 + 1.0 / 3.0)] {
            try store.recordItemFinished(badge: badge, cycleID: "c1", itemID: "l1", at: at)
            let a = try store.startAttempt(
                AttemptRequest(
                    badge: badge, cycleID: "c1", maxAttempts: 2, blueprintID: "b", blueprintVersion: 1, bankHash: "h", seed: 1,
                    paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 60, startedAt: at))
            try store.submitAttempt(
                attemptID: a.id, report: Data(), score: score, maxScore: 100, passed: score >= 60, submittedAt: at,
                reason: .submitted)
        }
        let now = Fixtures.date("2018-01-20T00:00:00Z")
        var streamed: [RosterRow] = []
        try store.forEachRosterRow(cycleID: "c1", department: nil, rule: rule, now: now) { streamed.append($0) }
        XCTAssertEqual(
            streamed.map(\.badge), ["A001", "A002", "A003", "U21", "U22", "U23", "U11", "U12", "U13", "U01", "U02", "U03"],
            "一, 二, 二 (U2x), 三, 十")
        for r in streamed {
            let s = try store.standing(badge: r.badge, cycleID: "c1", rule: rule, now: now)
            XCTAssertEqual(r.status, s.status, r.badge)
            XCTAssertEqual(r.countingScore, s.countingScore, r.badge)
            XCTAssertEqual(r.attemptsUsed, s.attemptsUsed, r.badge)
            XCTAssertEqual(r.itemsDone, s.itemsDone, r.badge)
        }
        XCTAssertEqual(streamed.first { $0.badge == "A002" }?.countingScore, 60.0 + 1.0 / 3.0, "a score reads back exactly")
        var narrowed: [String] = []
        try store.forEachRosterRow(cycleID: "c1", department: dept + "/十中队", rule: rule, now: now) { narrowed.append($0.badge) }
        XCTAssertEqual(narrowed, ["U01", "U02", "U03"])
    }
}
