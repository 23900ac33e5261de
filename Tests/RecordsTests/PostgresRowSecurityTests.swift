import Foundation
import TestSupport
import XCTest

@testable import Records

/// One database, one role for the city (the tables' owner), one per county (`db grant`). Each
/// county role is kept to its subtree by PostgreSQL's row-level security: these tests connect as
/// a county and try to reach another county's people, both through the store and in plain SQL.
final class PostgresRowSecurityTests: XCTestCase {
    static let 甲区 = "示例省/示例市/甲区"
    static let 乙区 = "示例省/示例市/乙区"
    var suffix = ""
    var cityURL = ""
    var city: PostgresEducationStore!
    var countyAURL = ""
    var countyA: PostgresEducationStore!
    var bAttempt: Int64 = 0
    let rule = CompletionRule(requiredItemIDs: ["l1"], maxAttempts: 3, counting: .highest)
    let now = StoreFixture.date("2026-01-20T00:00:00Z")

    override func setUpWithError() throws {
        suffix = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12))
        let admin = try TestPostgres.adminURL()
        let cityRole = "city_\(suffix)"
        try TestPostgres.psql(admin, "CREATE ROLE \(cityRole) LOGIN CREATEROLE PASSWORD 'city-pw'")
        try TestPostgres.psql(admin, "CREATE DATABASE rls_\(suffix) OWNER \(cityRole)")
        cityURL = TestPostgres.url(admin, user: cityRole, password: "city-pw", database: "rls_\(suffix)")
        city = try PostgresEducationStore(url: cityURL)
        let d = StoreFixture.date
        _ = try city.importStaff(
            [
                StoreFixture.staff("A001", "张三", dept: Self.甲区), StoreFixture.staff("A002", "李四", dept: Self.甲区 + "/一中队"),
                StoreFixture.staff("B001", "赵六", dept: Self.乙区), StoreFixture.staff("B002", "钱七", dept: Self.乙区),
            ], markMissingInactive: false, source: "city.csv", at: d("2026-01-01T00:00:00Z"))
        try city.createCycle(
            TrainingCycle(
                id: "c", title: "全市培训", courseID: "course", blueprintID: "bp", departments: ["示例省/示例市"], roles: [],
                opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!, timeZoneID: "Asia/Shanghai",
                createdAt: d("2026-01-05T00:00:00Z")))
        let b = try city.startAttempt(request("B001", at: "2026-01-15T02:00:00Z"))
        bAttempt = b.id
        try city.saveAnswer(attemptID: b.id, questionKey: "q1", response: Data("\"b\"".utf8), at: d("2026-01-15T02:01:00Z"))
        XCTAssertNil(try city.grant(department: Self.甲区, role: "county_a_\(suffix)", password: "a-pw"))
        let generated = try city.grant(department: Self.乙区, role: "county_b_\(suffix)", password: nil)
        XCTAssertEqual(generated?.count, 24)
        countyAURL = TestPostgres.url(admin, user: "county_a_\(suffix)", password: "a-pw", database: "rls_\(suffix)")
        countyA = try PostgresEducationStore(url: countyAURL)
    }

    func request(_ badge: String, at: String) -> AttemptRequest {
        AttemptRequest(
            badge: badge, cycleID: "c", maxAttempts: 3, blueprintID: "bp", blueprintVersion: 1, bankHash: "h", seed: 1,
            paper: Data("{}".utf8), questionIDs: ["q1"], timeLimitSeconds: 1800, startedAt: StoreFixture.date(at))
    }

    /// Runs SQL as the county; the database's refusal is the expected outcome.
    func refusedAsCounty(_ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TestPostgres.psql(countyAURL, sql), sql, file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(
                text.contains("permission denied") || text.contains("row-level security") || text.contains("violates"), text,
                file: file, line: line)
        }
    }

    /// The exam hall's tables: codes, keys and sessions through their person; failures through
    /// their person or the role whose hall recorded them.
    func testHallTablesAreConfinedToTheCounty() throws {
        func code(_ badge: String) -> HallCodeHash {
            HallCodeHash(
                cycleID: "c", badge: badge, salt: Data(repeating: 1, count: 16), hash: Data(repeating: 2, count: 32), rounds: 1000,
                issuedAt: now)
        }
        func session(_ badge: String) -> HallSessionRow {
            HallSessionRow(
                badge: badge, cycleID: "c", source: "10.0.0.2", serverPID: 1, connectedAt: now, updatedAt: now, state: .connected)
        }
        try city.issueHallCodes([code("A001"), code("B001")], reissue: false, at: now)
        try city.addHallKey(HallKey(badge: "B001", fingerprint: "SHA256:b", publicKey: "ssh-ed25519 AAAAb", addedAt: now))
        try city.upsertHallSessions([session("B001")])
        try city.recordHallFailure(badge: "B001", source: "10.0.0.9", reason: "wrong code", at: now)

        // Through the store, county A sees only its own people's rows.
        XCTAssertEqual(try countyA.hallCodes(badge: "B001"), [])
        XCTAssertEqual(try countyA.hallCodes(badge: "A001").count, 1)
        XCTAssertEqual(try countyA.hallKeys(badge: "B001"), [])
        XCTAssertNil(try countyA.hallSession(badge: "B001"))
        XCTAssertEqual(try countyA.hallSessions(), [])
        XCTAssertFalse(try countyA.requestHallKick(badge: "B001", at: now), "another county's officer cannot be kicked")
        XCTAssertEqual(try countyA.hallFailureCount(badge: "B001", since: .distantPast), 0)
        XCTAssertEqual(try countyA.hallFailures(since: .distantPast), [])
        XCTAssertEqual(try countyA.revokeHallCodes(cycleID: "c", badges: nil, at: now), ["A001"], "revoke all is its own all")
        XCTAssertEqual(try city.hallCodes(badge: "B001").count, 1, "B001's code is untouched")
        XCTAssertThrowsError(try countyA.issueHallCodes([code("B001")], reissue: true, at: now))
        XCTAssertThrowsError(
            try countyA.addHallKey(HallKey(badge: "B001", fingerprint: "SHA256:x", publicKey: "ssh-ed25519 AAAAx", addedAt: now)))
        XCTAssertEqual(try city.hallCodes(badge: "B001").map(\.salt), [Data(repeating: 1, count: 16)])

        // A county's own hall: its sessions, and the failures typed at its door, known badge or not.
        try countyA.issueHallCodes([code("A002")], reissue: false, at: now)
        try countyA.upsertHallSessions([session("A002")])
        XCTAssertThrowsError(try countyA.upsertHallSessions([session("B002")]))
        try countyA.recordHallFailure(badge: "NOBODY", source: "10.0.0.7", reason: "unknown badge", at: now)
        XCTAssertEqual(try countyA.hallSessions().map(\.badge), ["A002"])
        XCTAssertEqual(try countyA.hallFailures(since: .distantPast).map(\.badge), ["NOBODY"])
        XCTAssertEqual(try city.hallSessions().map(\.badge), ["A002", "B001"], "the city sees every hall")
        XCTAssertEqual(try city.hallFailures(since: .distantPast).map(\.badge), ["B001", "NOBODY"])

        // In plain SQL too.
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM hall_codes WHERE badge LIKE 'B%'"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM hall_keys"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM hall_sessions WHERE badge LIKE 'B%'"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM hall_failures WHERE badge LIKE 'B%'"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "DELETE FROM hall_codes WHERE badge = 'B001' RETURNING 1"), "")
        refusedAsCounty(
            "INSERT INTO hall_codes (cycle_id, badge, salt, hash, rounds, issued_ms, event_seq) VALUES ('c', 'B002', '\\x00', '\\x00', 1, 0, 1)")
        refusedAsCounty("INSERT INTO hall_sessions (badge, source, server_pid, connected_ms, updated_ms, state) VALUES ('B002', 'x', 1, 0, 0, 'connected')")
        refusedAsCounty("INSERT INTO hall_failures (at_ms, badge, source, reason, recorded_by) VALUES (0, 'A001', 'x', 'y', 'postgres')")
        XCTAssertEqual(try city.hallCodes(badge: "B001").count, 1)

        // The city still verifies the whole chain, hall events included.
        let v = try city.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.en)
    }

    func testACountyReadsOnlyItsOwnStaffAttemptsAndEvents() throws {
        XCTAssertEqual(try countyA.staffList(department: nil).map(\.badge), ["A001", "A002"])
        XCTAssertNil(try countyA.staffMember(badge: "B001"))
        XCTAssertEqual(try countyA.attempts(badge: "B001", cycleID: nil), [])
        XCTAssertNil(try countyA.attempt(id: bAttempt))
        XCTAssertEqual(try countyA.answers(attemptID: bAttempt), [:])
        // In plain SQL too: the rows are not there for this role.
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM staff WHERE badge LIKE 'B%'"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM attempts"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM answers"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM events WHERE badge LIKE 'B%'"), "0")
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM events WHERE payload LIKE '%赵六%'"), "0")
        XCTAssertGreaterThan(Int(try TestPostgres.psql(countyAURL, "SELECT count(*) FROM events WHERE badge = 'A001'")) ?? 0, 0)
        // The city sees everyone.
        XCTAssertEqual(try city.staffList(department: nil).count, 4)
    }

    func testACountyCannotImportOverAnotherCountysOfficers() throws {
        // Moving B001 into the county's own subtree, or editing them where they are: both refused.
        XCTAssertThrowsError(
            _ = try countyA.importStaff([StoreFixture.staff("B001", "冒名", dept: Self.甲区)], markMissingInactive: false, source: "x", at: now))
        XCTAssertThrowsError(
            _ = try countyA.importStaff([StoreFixture.staff("B001", "冒名", dept: Self.乙区)], markMissingInactive: false, source: "x", at: now))
        // An UPDATE or DELETE under row-level security finds no such row: nothing changes.
        XCTAssertEqual(try TestPostgres.psql(countyAURL, "WITH u AS (UPDATE staff SET name = '冒名' WHERE badge = 'B001' RETURNING 1) SELECT count(*) FROM u"), "0")
        refusedAsCounty("INSERT INTO staff VALUES (99, 'X001', 'x', '\(Self.乙区)', 'officer', 'active', 0, NULL, 1)")
        XCTAssertEqual(try city.staffMember(badge: "B001")?.name, "赵六")
        // Marking "missing" people inactive touches only the county's own.
        let summary = try countyA.importStaff(
            [StoreFixture.staff("A001", "张三", dept: Self.甲区)], markMissingInactive: true, source: "a.csv", at: now)
        XCTAssertEqual(summary.markedInactive, 1)
        XCTAssertEqual(try city.staffMember(badge: "B002")?.status, .active)
    }

    /// A county's bulk import whose first batch is refused while the client already builds the
    /// next one (batches are sent without waiting): the refusal is the import's error, nothing of
    /// it is written, and the connection goes on working.
    func testARefusalInAPipelinedBatchFailsTheWholeImport() throws {
        var people = (0..<(PostgresChainBatch.limit * 2 + 10)).map { i in
            StoreFixture.staff(String(format: "P%06d", i), "人员\(i)", dept: Self.甲区 + "/中队\(i % 3)")
        }
        people[5] = StoreFixture.staff("X001", "越界", dept: Self.乙区)
        let head = try city.chainHead()
        XCTAssertThrowsError(
            _ = try countyA.importStaff(people, markMissingInactive: false, source: "big.csv", at: now)
        ) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("42501") || text.contains("row-level security") || text.contains("permission"), text)
        }
        XCTAssertEqual(try city.chainHead().hash, head.hash)
        XCTAssertEqual(try city.staffList(department: nil).count, 4)
        let summary = try countyA.importStaff(
            [StoreFixture.staff("A009", "孙八", dept: Self.甲区)], markMissingInactive: false, source: "a.csv", at: now)
        XCTAssertEqual(summary.added, 1)
        XCTAssertNil(try city.verifyChain().problem)
    }

    func testACountyCannotExemptAnotherCountysOfficers() throws {
        XCTAssertThrowsError(try countyA.exempt(cycleID: "c", badge: "B001", reason: "病假", grantedBy: "甲", at: now))
        refusedAsCounty("INSERT INTO exemptions VALUES ('c', 'B001', '病假', '甲', 0, 1)")
        // Nor append an event about them to the chain.
        refusedAsCounty(
            "SELECT academy_append_batch('[[0, \"exemption.granted\", \"B001\", \"c\", \"{}\", \"x\"]]')")
        refusedAsCounty("INSERT INTO events VALUES (999, 0, 'x', 'B001', NULL, '{}', 'a', 'b')")
        refusedAsCounty("UPDATE chain_head SET seq = 0")
        XCTAssertNil(try city.exemption(cycleID: "c", badge: "B001"))
    }

    func testACountysRosterHoldsOnlyItsOwnPeople() throws {
        XCTAssertEqual(try countyA.roster(cycleID: "c", department: Self.乙区, rule: rule, now: now), [])
        XCTAssertEqual(try countyA.roster(cycleID: "c", department: nil, rule: rule, now: now).map(\.badge), ["A001", "A002"])
        XCTAssertEqual(try city.roster(cycleID: "c", department: nil, rule: rule, now: now).count, 4)
    }

    func testACountyWritesItsOwnRecordsToTheOneChainWhichTheCityVerifies() throws {
        _ = try countyA.importStaff(
            [StoreFixture.staff("A003", "王五", dept: Self.甲区 + "/二中队")], markMissingInactive: false, source: "a.csv", at: now)
        let a = try countyA.startAttempt(request("A001", at: "2026-01-16T02:00:00Z"))
        XCTAssertNotEqual(a.id, bAttempt)
        try countyA.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data("\"a\"".utf8), at: StoreFixture.date("2026-01-16T02:01:00Z"))
        try countyA.submitAttempt(
            attemptID: a.id, report: Data("r".utf8), score: 1, maxScore: 1, passed: true, submittedAt: StoreFixture.date("2026-01-16T02:05:00Z"),
            reason: .submitted)
        try countyA.exempt(cycleID: "c", badge: "A002", reason: "借调", grantedBy: "甲区", at: now)
        try countyA.recordItemFinished(badge: "A001", cycleID: "c", itemID: "l1", at: now)
        // Interleaved with the city's own writes.
        try city.saveAnswer(attemptID: bAttempt, questionKey: "q1", response: Data("\"b2\"".utf8), at: StoreFixture.date("2026-01-15T02:02:00Z"))
        let v = try city.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.en)
        XCTAssertEqual(try city.staffList(department: nil).count, 5)
        XCTAssertEqual(try city.chainHead().hash, try countyA.chainHead().hash)
    }

    /// Saves go to the server as one call that runs with the county's own rights: another
    /// county's attempt is unknown to it (alone, in a batch with its own saves, or called in
    /// plain SQL), its own saves in the same batch land, and the city's chain verifies.
    func testACountysSavesReachOnlyItsOwnAttempts() throws {
        let a = try countyA.startAttempt(request("A001", at: "2026-01-16T02:00:00Z"))
        let at = StoreFixture.date("2026-01-16T02:01:00Z")
        XCTAssertThrowsError(try countyA.saveAnswer(attemptID: bAttempt, questionKey: "q1", response: Data("\"x\"".utf8), at: at)) {
            guard case StoreError.unknownAttempt(bAttempt)? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
        let outcomes = try GroupCommitTests.oneBatchOfSaves(
            countyA,
            [
                ("own", a.id, "q1", Data("\"a\"".utf8), at),
                ("other county", bAttempt, "q1", Data("\"x\"".utf8), at),
                ("own again", a.id, "q1", Data("\"a2\"".utf8), at),
            ])
        XCTAssertEqual(outcomes, ["own: ok", "other county: unknown attempt", "own again: ok"])
        XCTAssertEqual(
            try TestPostgres.psql(
                countyAURL,
                "SELECT o_outcome FROM academy_save_answers(ARRAY[\(bAttempt)]::bigint[], ARRAY['q1'], ARRAY['\\x2278'::bytea], "
                    + "ARRAY[1768528860000]::bigint[], ARRAY['{\"attempt\":\(bAttempt),\"question\":\"q1\",\"response\":\"x\"}'], 5000)"
            ).trimmingCharacters(in: .whitespacesAndNewlines), "u")
        let b = try city.answers(attemptID: bAttempt)
        XCTAssertEqual(b["q1"].map { String(decoding: $0.response, as: UTF8.self) }, "\"b\"")
        XCTAssertEqual(b["q1"]?.revision, 1)
        XCTAssertEqual(try city.answers(attemptID: a.id)["q1"]?.revision, 2)
        let v = try city.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.en)
    }
}
