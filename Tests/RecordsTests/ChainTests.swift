import Foundation
import XCTest
@testable import Records

/// Tampering through the sqlite3 CLI, as an auditor would fear it.
final class ChainTests: XCTestCase {
    func fixtureWithEvents() throws -> StoreFixture {
        let f = try StoreFixture()
        try f.seedStaff() // events 1-4
        try f.seedCycle() // event 5
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        for item in ["l1", "l2", "l3"] { // events 6-8
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
        XCTAssertThrowsError(try f.store.queue.write { try $0.execute(sql: "UPDATE events SET payload = '{}' WHERE seq = 3") })
        XCTAssertThrowsError(try f.store.queue.write { try $0.execute(sql: "DELETE FROM events WHERE seq = 3") })
    }

    func testEditedPayloadIsNamed() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(dropTriggers + "UPDATE events SET payload = replace(payload, 'l2', 'l9') WHERE seq = 7;")
        XCTAssertEqual(try f.store.verifyChain().problem, .edited(seq: 7))
    }

    func testEditedWithRecomputedHashIsStillCaughtByTheNextLink() throws {
        let f = try fixtureWithEvents()
        let row = try f.sqlite("SELECT seq, prev_hash, type, at_ms, badge, cycle_id, payload FROM events WHERE seq = 4",
                               options: ["-separator", "\u{1F}"])
        let c = row.components(separatedBy: "\u{1F}")
        let forged = c[6].replacingOccurrences(of: "赵六", with: "赵七")
        let hash = EventHash.compute(seq: 4, prevHash: c[1], type: c[2], atMillis: Int64(c[3])!, badge: c[4],
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
        _ = try f.sqlite(dropTriggers + """
            UPDATE events SET seq = -1 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 5;
            UPDATE events SET seq = 5 WHERE seq = -1;
            """)
        XCTAssertEqual(try f.store.verifyChain().problem, .reordered(seq: 3))
    }

    func testAdjacentSwapIsNamedAsReordered() throws {
        let f = try fixtureWithEvents()
        _ = try f.sqlite(dropTriggers + """
            UPDATE events SET seq = -1 WHERE seq = 6; UPDATE events SET seq = 6 WHERE seq = 7;
            UPDATE events SET seq = 7 WHERE seq = -1;
            """)
        XCTAssertEqual(try f.store.verifyChain().problem, .reordered(seq: 6))
    }

    func testHashIsOverCanonicalFields() {
        let a = EventHash.compute(seq: 1, prevHash: EventHash.genesis, type: "t", atMillis: 5, badge: "b", cycleID: nil, payload: "{}")
        let b = EventHash.compute(seq: 1, prevHash: EventHash.genesis, type: "t", atMillis: 5, badge: "", cycleID: "b", payload: "{}")
        XCTAssertNotEqual(a, b, "fields must not bleed into each other")
        XCTAssertEqual(CanonicalJSON.object(["b": .int(1), "a": .string("x\"y\n"), "c": .array([.bool(true), .null, .double(1.5)])]).text,
                       "{\"a\":\"x\\\"y\\n\",\"b\":1,\"c\":[true,null,1.5]}")
        XCTAssertEqual(CanonicalJSON.parse("{\"a\":[1,true,\"x\"]}"), .object(["a": .array([.int(1), .bool(true), .string("x")])]))
    }
}

