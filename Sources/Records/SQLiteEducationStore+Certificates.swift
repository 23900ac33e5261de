import Foundation
import GRDB

/// One event of the chain, as certificates cite it.
public struct ChainEvent: Sendable, Hashable {
    public var seq: Int64
    public var at: Date
    public var type: String
    public var badge: String?
    public var cycleID: String?
    public var hash: String
    /// The stored hash recomputes from the stored fields, follows its predecessor's hash and is
    /// followed by its successor's `prev_hash` (or is the chain head).
    public var linked: Bool
}

extension SQLiteEducationStore {
    /// Events that can complete a person's cycle: a required lesson finished, an attempt graded.
    static let completionEventTypes = [EventType.itemFinished, .attemptSubmitted, .attemptRegraded].map(\.rawValue)

    /// The event that completed each person's cycle: for each badge in `completedAt`, the last
    /// (highest sequence) lesson or grading event of that person in that cycle at or before the
    /// completion time. One pass over the cycle's events.
    public func completionEvents(cycleID: String, completedAt: [String: Date]) throws -> [String: ChainEvent] {
        try read { db in
            var best: [String: ChainEvent] = [:]
            let types = Self.completionEventTypes.map { "'\($0)'" }.joined(separator: ",")
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT seq, at_ms, type, badge, hash FROM events WHERE cycle_id = ? AND type IN (\(types)) ORDER BY seq",
                arguments: [cycleID])
            while let row = try rows.next() {
                guard let badge: String = row[3], let done = completedAt[badge] else { continue }
                let at: Int64 = row[1]
                guard at <= Millis.from(done) else { continue }
                best[badge] = ChainEvent(
                    seq: row[0], at: Millis.date(at), type: row[2], badge: badge, cycleID: cycleID, hash: row[4], linked: true)
            }
            return best
        }
    }

    /// Events whose hash starts with `prefix` (lowercase hex), each checked against its
    /// neighbours in the chain.
    public func events(hashPrefix prefix: String) throws -> [ChainEvent] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events
                    WHERE hash >= ? AND hash < ? ORDER BY seq
                    """, arguments: [prefix, prefix + "g"])
            return try rows.map { row in
                let seq: Int64 = row[0], atMs: Int64 = row[1], prev: String = row[6], hash: String = row[7]
                let recomputed = EventHash.compute(
                    seq: seq, prevHash: prev, type: row[2], atMillis: atMs, badge: row[3], cycleID: row[4], payload: row[5])
                let before = try String.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [seq - 1])
                let after = try String.fetchOne(db, sql: "SELECT prev_hash FROM events WHERE seq = ?", arguments: [seq + 1])
                let head = try String.fetchOne(db, sql: "SELECT hash FROM chain_head WHERE id = 1")
                let linked =
                    recomputed == hash && (seq == 1 ? prev == EventHash.genesis : before == prev)
                    && (after.map { $0 == hash } ?? (head == hash))
                return ChainEvent(
                    seq: seq, at: Millis.date(atMs), type: row[2], badge: row[3], cycleID: row[4], hash: hash, linked: linked)
            }
        }
    }
}
