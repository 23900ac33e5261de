import Foundation
import XCTest

@testable import Records

/// Tampering through the sqlite3 CLI, as an auditor would fear it.
final class ChainTests: XCTestCase {
    func fixtureWithEvents() throws -> StoreFixture {
        let f = try StoreFixture(backend: .sqlite)
        try f.seedStaff()  // events 1-4
        try f.seedCycle()  // event 5
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        for item in ["l1", "l2", "l3"] {  // events 6-8
            try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: item, at: t)
        }
        XCTAssertEqual(try f.store.verifyChain().eventCount, 8)
        return f
    }

    /// The append-only triggers must be dropped first; that is part of what a tamperer does.
    let dropTriggers = "DROP TRIGGER events_append_only_update; DROP TRIGGER events_append_only_delete;"

    func testIntactChainAndHead() throws {
        let f = try fixtureWithEvents()
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        XCTAssertEqual(v.head, try f.store.chainHead())
        XCTAssertEqual(v.head.seq, 8)
        XCTAssertEqual(v.head.hash.count, 64)
    }

    func testTriggersRefuseEditsInPlace() throws {
        let f = try fixtureWithEvents()
        XCTAssertThrowsError(try f.sqliteStore.queue.write { try $0.execute(sql: "UPDATE events SET payload = '{}' WHERE seq = 3") })
        XCTAssertThrowsError(try f.sqliteStore.queue.write { try $0.execute(sql: "DELETE FROM events WHERE seq = 3") })
    }

    func testEditedPayloadIsNamed() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(dropTriggers + "UPDATE events SET payload = replace(payload, 'l2', 'l9') WHERE seq = 7;")
        XCTAssertEqual(try f.store.verifyChain().problem, .edited(seq: 7))
    }

    func testEditedWithRecomputedHashIsStillCaughtByTheNextLink() throws {
        let f = try fixtureWithEvents()
        let row = try f.sqlite(
            "SELECT seq, prev_hash, type, at_ms, badge, cycle_id, payload FROM events WHERE seq = 4",
            options: ["-separator", "\u{1F}"])
        let c = row.components(separatedBy: "\u{1F}")
        let forged = c[6].replacingOccurrences(of: "赵六", with: "赵七")
        let hash = EventHash.compute(
            seq: 4, prevHash: c[1], type: c[2], atMillis: Int64(c[3])!, badge: c[4],
            cycleID: c[5].isEmpty ? nil : c[5], payload: forged)
        _ = try f.sqlite(dropTriggers + "UPDATE events SET payload = '\(forged)', hash = '\(hash)' WHERE seq = 4;")
        XCTAssertEqual(try f.store.verifyChain().problem, .edited(seq: 4))
    }

    func testDeletedRowIsNamed() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(dropTriggers + "DELETE FROM events WHERE seq = 3;")
        XCTAssertEqual(try f.store.verifyChain().problem, .deleted(fromSeq: 3, toSeq: 3))
    }

    func testDeletedTailIsNamed() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(dropTriggers + "DELETE FROM events WHERE seq >= 7;")
        XCTAssertEqual(try f.store.verifyChain().problem, .truncated(headSeq: 8, lastSeq: 6))
    }

    func testSwappedSeqIsNamedAsReordered() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(
            dropTriggers + """
                UPDATE events SET seq = -1 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 5;
                UPDATE events SET seq = 5 WHERE seq = -1;
                """)
        XCTAssertEqual(try f.store.verifyChain().problem, .reordered(seq: 3))
    }

    func testAdjacentSwapIsNamedAsReordered() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(
            dropTriggers + """
                UPDATE events SET seq = -1 WHERE seq = 6; UPDATE events SET seq = 6 WHERE seq = 7;
                UPDATE events SET seq = 7 WHERE seq = -1;
                """)
        XCTAssertEqual(try f.store.verifyChain().problem, .reordered(seq: 6))
    }

    func testHashIsOverCanonicalFields() {
        let a = EventHash.compute(
            seq: 1, prevHash: EventHash.genesis, type: "t", atMillis: 5, badge: "b", cycleID: nil, payload: "{}")
        let b = EventHash.compute(
            seq: 1, prevHash: EventHash.genesis, type: "t", atMillis: 5, badge: "", cycleID: "b", payload: "{}")
        XCTAssertNotEqual(a, b, "fields must not bleed into each other")
        XCTAssertEqual(
            CanonicalJSON.object(["b": .int(1), "a": .string("x\"y\n"), "c": .array([.bool(true), .null, .double(1.5)])]).text,
            "{\"a\":\"x\\\"y\\n\",\"b\":1,\"c\":[true,null,1.5]}")
        XCTAssertEqual(
            CanonicalJSON.parse("{\"a\":[1,true,\"x\"]}"), .object(["a": .array([.int(1), .bool(true), .string("x")])]))
    }
}

/// Edits to the derived tables behind the chain's back (the roster reads them).
final class DerivedTableTamperTests: XCTestCase {
    func fixture() throws -> StoreFixture {
        let f = try StoreFixture(backend: .sqlite)
        try f.seedStaff()
        try f.seedCycle()
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: t)
        let a = try f.store.startAttempt(f.request("A001"))
        try f.store.submitAttempt(
            attemptID: a.id, report: Data("{}".utf8), score: 40, maxScore: 100, passed: false,
            submittedAt: t, reason: .submitted)
        try f.store.regradeAttempt(
            attemptID: a.id, report: Data("{}".utf8), score: 62.5, maxScore: 100, passed: true,
            reason: "key fix", at: t)
        try f.store.exempt(cycleID: "2026-spring", badge: "A002", reason: "病假", grantedBy: "队长", at: t)
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        return f
    }

    func assertDetected(_ sql: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let f = try fixture()
        _ = try f.sqlite(sql)
        let v = try f.store.verifyChain()
        guard case let .projection(difference)? = v.problem else {
            return XCTFail("not detected: \(v.message)", file: file, line: line)
        }
        XCTAssertTrue(difference.message.en.contains(fragment), difference.message.en, file: file, line: line)
    }

    func testScoreRaisedInAttempts() throws {
        try assertDetected("UPDATE attempts SET score = 99", "table attempts, row id=1, column score disagrees with the chain: stored 99.0, replayed 62.5")
    }

    func testGradeEdited() throws {
        try assertDetected("UPDATE grades SET passed = 1 WHERE ordinal = 1", "table grades, row attempt_id=1, ordinal=1, column passed")
    }

    func testLessonDateMoved() throws {
        try assertDetected("UPDATE progress SET finished_ms = finished_ms - 86400000", "item_id='l1', column finished_ms")
    }

    func testLessonAdded() throws {
        try assertDetected("INSERT INTO progress VALUES ('A001', '2026-spring', 'l2', 0, 5)", "table progress has row cycle_id='2026-spring', badge='A001', item_id='l2' that no event wrote")
    }

    func testExemptionReasonChanged() throws {
        try assertDetected("UPDATE exemptions SET reason = '出差'", "badge='A002', column reason disagrees with the chain: stored '出差', replayed '病假'")
    }

    func testAttemptRenumbered() throws {
        try assertDetected("UPDATE attempts SET number = 0", "row id=1, column number")
    }
}

extension DerivedTableTamperTests {
    func testStaffMovedOutOfTheDepartment() throws {
        try assertDetected("UPDATE staff SET department = '别处' WHERE badge = 'A001'", "table staff, row badge='A001', column department")
    }

    func testStaffRowPointedAtAnOlderEvent() throws {
        let f = try fixture()
        try f.store.importStaff([StoreFixture.staff("A001", "张三丰")], markMissingInactive: true, source: "s2", at: Date())
        XCTAssertTrue(try f.store.verifyChain().isIntact)
        // Restore the old name and point the row back at the 'added' event.
        _ = try f.sqlite("UPDATE staff SET name = '张三', status = 'active', event_seq = 1 WHERE badge = 'A001'")
        guard case let .projection(d)? = try f.store.verifyChain().problem else { return XCTFail("not detected") }
        XCTAssertTrue(d.message.en.contains("row badge='A001', column name"), d.message.en)
    }
}
