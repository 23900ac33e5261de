import Foundation

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

extension SQLStore {
    /// The event that completed each person's cycle: for each badge in `completedAt`, the last
    /// (highest sequence) lesson or grading event of that person in that cycle at or before the
    /// completion time. One pass over the cycle's events.
    public func completionEvents(cycleID: String, completedAt: [String: Date]) throws -> [String: ChainEvent] {
        try reading { sql in
            var best: [String: ChainEvent] = [:]
            // Events that can complete a person's cycle: a required lesson finished, an attempt graded.
            let types = [EventType.itemFinished, .attemptSubmitted, .attemptRegraded].map { "'\($0.rawValue)'" }
            try sql.forEachRow(
                "SELECT seq, at_ms, type, badge, hash FROM events WHERE cycle_id = $1 AND type IN (\(types.joined(separator: ","))) ORDER BY seq",
                [.text(cycleID)]
            ) { r in
                guard let badge = r[3].textValue, let done = completedAt[badge], let seq = r[0].intValue, let at = r[1].intValue,
                    at <= Millis.from(done)
                else { return true }
                best[badge] = ChainEvent(
                    seq: seq, at: Millis.date(at), type: r[2].textValue ?? "", badge: badge, cycleID: cycleID,
                    hash: r[4].textValue ?? "", linked: true)
                return true
            }
            return best
        }
    }

    /// Events whose hash starts with `prefix` (lowercase hex), each checked against its
    /// neighbours in the chain.
    public func events(hashPrefix prefix: String) throws -> [ChainEvent] {
        try reading { sql in
            let rows = try sql.rows(
                """
                SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events
                WHERE hash >= $1 AND hash < $2 ORDER BY seq
                """, [.text(prefix), .text(prefix + "g")])
            let head = try sql.value("SELECT hash FROM chain_head WHERE id = 1").textValue
            return try rows.map { r in
                let seq = r[0].intValue ?? 0, atMs = r[1].intValue ?? 0
                let type = r[2].textValue ?? "", prev = r[6].textValue ?? "", hash = r[7].textValue ?? ""
                let recomputed = EventHash.compute(
                    seq: seq, prevHash: prev, type: type, atMillis: atMs, badge: r[3].textValue, cycleID: r[4].textValue,
                    payload: r[5].textValue ?? "")
                let before = try sql.value("SELECT hash FROM events WHERE seq = $1", [.int(seq - 1)]).textValue
                let after = try sql.value("SELECT prev_hash FROM events WHERE seq = $1", [.int(seq + 1)]).textValue
                let linked =
                    recomputed == hash && (seq == 1 ? prev == EventHash.genesis : before == prev)
                    && (after.map { $0 == hash } ?? (head == hash))
                return ChainEvent(
                    seq: seq, at: Millis.date(atMs), type: type, badge: r[3].textValue, cycleID: r[4].textValue, hash: hash,
                    linked: linked)
            }
        }
    }
}
