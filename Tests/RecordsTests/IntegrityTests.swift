import Foundation
import XCTest

@testable import Records

/// Issue 9 §1, §3 and §4 (exemptions, file modes): the chain is the truth, the tables are its
/// projection, and the named attacks are caught.
final class IntegrityTests: XCTestCase {
    func fixture() throws -> StoreFixture {
        let f = try StoreFixture(backend: .sqlite)
        try TamperSuiteTests.richStore(f)
        let v = try f.store.verifyChain()
        XCTAssertNil(v.problem, v.message.description)
        XCTAssertTrue(v.replayed)
        XCTAssertNil(v.legacy)
        return f
    }

    func difference(_ f: StoreFixture) throws -> ReplayDifference? {
        if case let .projection(d)? = try f.store.verifyChain().problem { return d }
        return nil
    }

    // MARK: Named attacks

    func testAnswerLaunderingIsDetectedAndRegradeRefuses() throws {
        let f = try fixture()
        // The attacker rewrites a saved answer of the regraded attempt to the right key.
        _ = try f.sqlite("UPDATE answers SET response = CAST('{\"choice\":[2]}' AS BLOB) WHERE attempt_id = 1 AND question_key = 'q1'")
        XCTAssertEqual(
            try difference(f),
            .cell(
                table: "answers", key: "attempt_id=1, question_key='q1'", column: "response",
                stored: "X'7B2263686F696365223A5B325D7D'", replayed: "X'7B2263686F696365223A5B305D7D'"))
        XCTAssertThrowsError(try f.store.requireVerified()) { error in
            guard case StoreError.notVerified = error else { return XCTFail("\(error)") }
        }
    }

    func testForgedHallCodeIsDetected() throws {
        let f = try fixture()
        // The attacker adds a code hash they know the code of for a badge with no code, to log in
        // to the hall as that officer (triggers dropped, as the CLI would).
        let forged = """
            INSERT INTO hall_codes (cycle_id, badge, salt, hash, rounds, issued_ms, event_seq)
            VALUES ('2026-spring', 'A003', X'00112233445566778899AABBCCDDEEFF', randomblob(32), 210000,
                    1769479200000, (SELECT max(seq) FROM events));
            """
        _ = try f.sqlite("DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;" + forged)
        XCTAssertEqual(try difference(f), .extraRow(table: "hall_codes", key: "cycle_id='2026-spring', badge='A003'"))
        XCTAssertThrowsError(try f.store.requireVerified()) { error in
            guard case StoreError.notVerified = error else { return XCTFail("\(error)") }
        }
    }

    func testReplacedHallCodeHashIsDetected() throws {
        let f = try fixture()
        // Swapping the hash of an issued code for one of the attacker's own.
        _ = try f.sqlite("UPDATE hall_codes SET hash = randomblob(32) WHERE badge = 'A002'")
        guard case let .cell(table, key, column, _, _)? = try difference(f) else { return XCTFail("not detected") }
        XCTAssertEqual([table, key, column], ["hall_codes", "cycle_id='2026-spring', badge='A002'", "hash"])
    }

    func testForgedHallKeyIsDetected() throws {
        let f = try fixture()
        _ = try f.sqlite(
            "INSERT INTO hall_keys (badge, fingerprint, public_key, added_ms, event_seq) VALUES ('A004', 'SHA256:evil', 'ssh-ed25519 AAAAevil', 0, 1)")
        XCTAssertEqual(try difference(f), .extraRow(table: "hall_keys", key: "badge='A004', fingerprint='SHA256:evil'"))
    }

    func testExemptionDeletionIsDetected() throws {
        let f = try fixture()
        _ = try f.sqlite("DELETE FROM exemptions WHERE badge = 'A002'")
        XCTAssertEqual(try difference(f), .missingRow(table: "exemptions", key: "cycle_id='2026-spring', badge='A002'"))
    }

    func testRevokedExemptionReinsertedIsDetected() throws {
        let f = try fixture()
        _ = try f.sqlite("INSERT INTO exemptions VALUES ('2026-autumn', 'A004', '借调', '王科长', 0, 1)")
        XCTAssertEqual(try difference(f), .extraRow(table: "exemptions", key: "cycle_id='2026-autumn', badge='A004'"))
    }

    func testCycleScopeWideningIsDetected() throws {
        let f = try fixture()
        _ = try f.sqlite("UPDATE cycles SET departments = '[]', roles = '[]' WHERE id = '2026-spring'")
        guard case let .cell(table, key, column, _, _)? = try difference(f) else { return XCTFail("not detected") }
        XCTAssertEqual([table, key, column], ["cycles", "id='2026-spring'", "departments"])
        // The window too.
        let g = try fixture()
        _ = try g.sqlite("UPDATE cycles SET due = '2099-12-31' WHERE id = '2026-spring'")
        guard case let .cell(_, _, c, stored, replayed)? = try difference(g) else { return XCTFail("not detected") }
        XCTAssertEqual([c, stored, replayed], ["due", "'2099-12-31'", "'2026-02-10'"])
    }

    func testSpotCheckSelectionDeletionIsDetected() throws {
        let f = try fixture()
        _ = try f.sqlite("DELETE FROM spot_check_selections WHERE badge = 'A002'")
        XCTAssertEqual(try difference(f), .missingRow(table: "spot_check_selections", key: "spot_check_id=1, badge='A002'"))
    }

    func testAttemptDetailsAndPaperAreChecked() throws {
        for (sql, column) in [
            ("UPDATE attempts SET seed = '43' WHERE id = 1", "seed"),
            ("UPDATE attempts SET paper = CAST('{}' AS BLOB) WHERE id = 1", "paper"),
            ("UPDATE attempts SET question_ids = '[\"q9\"]' WHERE id = 1", "question_ids"),
            ("UPDATE attempts SET bank_hash = 'other' WHERE id = 1", "bank_hash"),
            ("UPDATE attempts SET blueprint_version = 2 WHERE id = 1", "blueprint_version"),
            ("UPDATE attempts SET submitted_ms = submitted_ms - 1 WHERE id = 1", "submitted_ms"),
            ("UPDATE grades SET report = CAST('{}' AS BLOB) WHERE attempt_id = 1 AND ordinal = 2", "report"),
            ("UPDATE staff SET joined_ms = 0 WHERE badge = 'A001'", "joined_ms"),
            ("UPDATE staff SET left_ms = NULL WHERE badge = 'B001'", "left_ms"),
            ("UPDATE departments SET name = '别处' WHERE path = '示例省'", "name"),
        ] {
            let f = try fixture()
            _ = try f.sqlite(sql)
            guard case let .cell(_, _, c, _, _)? = try difference(f) else {
                XCTFail("not detected: \(sql)")
                continue
            }
            XCTAssertEqual(c, column, sql)
        }
    }

    func testTextEditsAreComparedByBytes() throws {
        let f = try fixture()
        // '张三丰' with a combining sequence elsewhere would compare equal as Swift Strings; a
        // trailing zero-width joiner is a different row all the same.
        _ = try f.sqlite("UPDATE staff SET name = name || char(8205) WHERE badge = 'A001'")
        guard case .cell(_, _, "name", _, _)? = try difference(f) else { return XCTFail("not detected") }
    }

    // MARK: Exemptions (issue 9 §4)

    func testExemptionClosesTheOpenAttempt() throws {
        let f = try fixture()
        // A001 has attempt 2 open in 2026-spring.
        XCTAssertNotNil(try f.store.openAttempt(badge: "A001", cycleID: "2026-spring"))
        try f.store.exempt(
            cycleID: "2026-spring", badge: "A001", reason: "调岗", grantedBy: "王科长", at: StoreFixture.date("2026-01-27T00:00:00Z"))
        XCTAssertNil(try f.store.openAttempt(badge: "A001", cycleID: "2026-spring"))
        let closed = try XCTUnwrap(f.store.attempt(id: 2))
        XCTAssertEqual(closed.state, .submitted)
        XCTAssertEqual(closed.endReason, .exempted)
        XCTAssertTrue(closed.grades.isEmpty)
        XCTAssertThrowsError(
            try f.store.saveAnswer(attemptID: 2, questionKey: "q4", response: Data("{}".utf8), at: StoreFixture.date("2026-01-27T00:01:00Z"))
        ) { XCTAssertEqual($0 as? StoreError, .attemptNotOpen(2)) }
        XCTAssertThrowsError(
            try f.store.regradeAttempt(
                attemptID: 2, report: Data("{}".utf8), score: 1, maxScore: 1, passed: true, reason: "x", at: Date()))
        let types = try f.sqlite("SELECT type FROM events ORDER BY seq DESC LIMIT 2").split(separator: "\n")
        XCTAssertEqual(types, ["exemption.granted", "attempt.closed"])
        XCTAssertNil(try f.store.verifyChain().problem)
    }

    func testExemptingSomeoneOutsideThePopulationIsRefused() throws {
        let f = try fixture()
        // 2026-spring: officers under the department. A003 is an assistant, B001 elsewhere and inactive.
        for badge in ["A003", "B001"] {
            XCTAssertThrowsError(
                try f.store.exempt(cycleID: "2026-spring", badge: badge, reason: "r", grantedBy: "g", at: Date())
            ) { XCTAssertEqual($0 as? StoreError, .notInPopulation(badge: badge, cycleID: "2026-spring")) }
        }
        XCTAssertThrowsError(
            try f.store.revokeExemption(cycleID: "2026-spring", badge: "A001", reason: "r", revokedBy: "g", at: Date())
        ) { XCTAssertEqual($0 as? StoreError, .notExempt(badge: "A001", cycleID: "2026-spring")) }
        XCTAssertNil(try f.store.exemption(cycleID: "2026-autumn", badge: "A004"))
        XCTAssertEqual(try f.store.exemption(cycleID: "2026-autumn", badge: "A003")?.reason, "借调")
    }

    // MARK: Files

    func testDatabaseAndItsCompanionsAreCreatedOwnerOnly() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let f = try fixture()
        for suffix in ["", "-wal", "-shm", ".migrate-lock"] {
            let attrs = try FileManager.default.attributesOfItem(atPath: f.path + suffix)
            XCTAssertEqual((attrs[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o600, suffix)
        }
        XCTAssertNil(f.sqliteStore.exposedMode())
        chmod(f.path, 0o644)
        XCTAssertEqual(f.sqliteStore.exposedMode(), 0o644)
    }

    // MARK: Old databases

    static var oldDatabase: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/main-f92bd8e.sqlite")
    }

    func testDatabaseFromBeforeCompleteEventsMigratesKeepingItsHistory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("records-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        try FileManager.default.copyItem(atPath: Self.oldDatabase.path, toPath: path)

        var store: SQLiteEducationStore? = try SQLiteEducationStore(path: path)
        let v = try store!.verifyChain()
        XCTAssertNil(v.problem, v.message.description)
        // The 35 old events are kept as they were; the upgrade is event 36.
        XCTAssertEqual(v.eventCount, 36)
        XCTAssertTrue(try store!.event(seq: 35, hasHash: "43890760c5198fe30f19a009553bae0bfc3078c3d647e3e9e2df97bf9972cd4b"))
        // The synthetic seeder's events lacked the attempt's details: said once, clearly.
        let legacy = try XCTUnwrap(v.legacy)
        XCTAssertEqual(legacy.upgradedAtSeq, 36)
        XCTAssertEqual(legacy.firstSeq, 33)
        XCTAssertEqual(legacy.firstType, "attempt.started")
        XCTAssertEqual(legacy.incompleteEvents, 2)
        XCTAssertTrue(legacy.message.en.contains("lack fields replay needs"), legacy.message.en)

        // Opening again does not upgrade again; new writes verify; the note stays a note.
        store = nil
        store = try SQLiteEducationStore(path: path)
        try store!.saveAnswer(attemptID: 2, questionKey: "q.s1.001", response: Data("{\"choice\":{\"_0\":[0]}}".utf8), at: StoreFixture.date("2026-03-05T03:10:00Z"))
        try store!.exempt(cycleID: "2026-spring", badge: "SL0002", reason: "借调", grantedBy: "王科长", at: StoreFixture.date("2026-03-12T00:00:00Z"))
        let again = try store!.verifyChain()
        XCTAssertNil(again.problem, again.message.description)
        XCTAssertEqual(again.eventCount, 39)  // answer, attempt closed, exemption
        XCTAssertEqual(try store!.attempt(id: 2)?.endReason, .exempted)

        // Old events that carried everything are checked in full: an edited old row is caught.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "DELETE FROM exemptions WHERE badge = 'SL0006'"]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        guard case .projection(.missingRow("exemptions", _))? = try store!.verifyChain().problem else {
            return XCTFail("old exemption deletion not detected")
        }
    }
}
