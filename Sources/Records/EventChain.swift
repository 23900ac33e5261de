import Crypto
import Foundation
import GRDB

/// Kinds of event. The string is stored and hashed; never rename one.
public enum EventType: String, Sendable, CaseIterable {
    case staffAdded = "staff.added"
    case staffUpdated = "staff.updated"
    case staffInactivated = "staff.inactivated"
    case cycleCreated = "cycle.created"
    case exemptionGranted = "exemption.granted"
    case itemFinished = "item.finished"
    case attemptStarted = "attempt.started"
    case answerSaved = "answer.saved"
    case attemptSubmitted = "attempt.submitted"
    case attemptRegraded = "attempt.regraded"
    case spotCheckDrawn = "spotcheck.drawn"
    /// An exam-hall code was issued (or reissued) for a badge in a cycle. The code is never stored.
    case hallCodeIssued = "hall.code.issued"
    /// An exam-hall code was revoked.
    case hallCodeRevoked = "hall.code.revoked"
    /// An SSH public key was allowed to log in to the exam hall as a badge.
    case staffKeyAdded = "staff.key.added"
    /// Written only by the benchmark and the hammer test helper.
    case benchmark = "dev.benchmark"
}

/// The hash chain: each event's SHA-256 covers its sequence number, the previous event's hash,
/// its type, time, subject (badge, cycle) and canonical JSON payload.
public enum EventHash {
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical serialization is a version line followed by each field as
    /// `<byte length>:<bytes>\n`, so no field can bleed into the next.
    public static func compute(
        seq: Int64, prevHash: String, type: String, atMillis: Int64,
        badge: String?, cycleID: String?, payload: String
    ) -> String {
        var hasher = SHA256()
        versionLine.withUTF8Buffer { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var seqText = String(seq), atText = String(atMillis)
        var prev = prevHash, type = type, badge = badge ?? "", cycle = cycleID ?? "", payload = payload
        field(&hasher, &seqText)
        field(&hasher, &prev)
        field(&hasher, &type)
        field(&hasher, &atText)
        field(&hasher, &badge)
        field(&hasher, &cycle)
        field(&hasher, &payload)
        return hex(hasher.finalize())
    }

    private static let versionLine: StaticString = "academy-event-v1\n"

    @inline(__always)
    private static func field(_ hasher: inout SHA256, _ s: inout String) {
        s.withUTF8 { buf in
            // "<count>:" without allocating.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { tmp in
                var n = buf.count
                var digits = 0
                repeat {
                    tmp[23 - digits] = UInt8(48 + n % 10)
                    n /= 10
                    digits += 1
                } while n > 0
                // Copy the digits to the front, then the colon.
                for i in 0..<digits { tmp[i] = tmp[24 - digits + i] }
                tmp[digits] = 0x3A
                hasher.update(bufferPointer: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: tmp[0...digits])))
            }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buf))
            var newline: UInt8 = 0x0A
            withUnsafeBytes(of: &newline) { hasher.update(bufferPointer: $0) }
        }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(64)
        for b in digest {
            bytes.append(digits[Int(b >> 4)])
            bytes.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Appends events inside an open write transaction. Reads the head once and writes it back in
/// `finish()`, so a bulk write costs one head update.
struct EventWriter {
    private let db: Database
    private(set) var seq: Int64
    private(set) var hash: String
    private var written = 0
    private let insert: RawStatement

    init(_ db: Database) throws {
        self.db = db
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM chain_head WHERE id = 1") else {
            throw StoreError.corrupt(path: db.description, detail: "chain_head row missing")
        }
        seq = row[0]
        hash = row[1]
        insert = try RawStatement(
            db,
            sql: """
                INSERT INTO events (seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    @discardableResult
    mutating func append(
        _ type: EventType, at: Date, badge: String?, cycleID: String?,
        payload: CanonicalJSON
    ) throws -> Int64 {
        try append(type.rawValue, atMillis: Millis.from(at), badge: badge, cycleID: cycleID, payload: payload.text)
    }

    @discardableResult
    mutating func append(
        _ type: String, atMillis: Int64, badge: String?, cycleID: String?,
        payload: String
    ) throws -> Int64 {
        let next = seq + 1
        let newHash = EventHash.compute(
            seq: next, prevHash: hash, type: type, atMillis: atMillis,
            badge: badge, cycleID: cycleID, payload: payload)
        insert.bind(1, next)
        insert.bind(2, atMillis)
        insert.bind(3, type)
        insert.bind(4, badge)
        insert.bind(5, cycleID)
        insert.bind(6, payload)
        insert.bind(7, hash)
        insert.bind(8, newHash)
        try insert.run()
        seq = next
        hash = newHash
        written += 1
        return next
    }

    func finish() throws {
        guard written > 0 else { return }
        try db.execute(sql: "UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", arguments: [seq, hash])
    }
}

/// Milliseconds since 1970, the store's time unit.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
    static func date(_ ms: Int64?) -> Date? { ms.map { date($0) } }
}

enum ChainVerifier {
    static func verify(_ db: Database) throws -> ChainVerification {
        let headRow = try Row.fetchOne(db, sql: "SELECT seq, hash FROM chain_head WHERE id = 1")
        let recordedSeq: Int64 = headRow?[0] ?? 0
        var expectedSeq: Int64 = 1
        var prevHash = EventHash.genesis
        var count: Int64 = 0
        var lastAt: Int64?
        var problem: ChainVerification.Problem?
        var perType: [String: Int64] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events ORDER BY seq
                """)
        while let row = try rows.next() {
            let seq: Int64 = row[0]
            let at: Int64 = row[1]
            let type: String = row[2]
            let badge: String? = row[3]
            let cycle: String? = row[4]
            let payload: String = row[5]
            let storedPrev: String = row[6]
            let storedHash: String = row[7]
            if seq != expectedSeq {
                problem = seq > expectedSeq ? .deleted(fromSeq: expectedSeq, toSeq: seq - 1) : .reordered(seq: seq)
                break
            }
            let recomputed = EventHash.compute(
                seq: seq, prevHash: storedPrev, type: type, atMillis: at,
                badge: badge, cycleID: cycle, payload: payload)
            if storedPrev != prevHash {
                // The link is broken. If this event's own link points at another event, the
                // events were moved; otherwise the previous event was replaced wholesale.
                if try linksElsewhere(db, prevHash: storedPrev) {
                    problem = .reordered(seq: seq)
                } else if recomputed == storedHash, seq > 1 {
                    problem = .edited(seq: seq - 1)
                } else {
                    problem = .edited(seq: seq)
                }
                break
            }
            if recomputed != storedHash {
                problem = .edited(seq: seq)
                break
            }
            prevHash = storedHash
            perType[type, default: 0] += 1
            expectedSeq = seq + 1
            count += 1
            lastAt = at
        }
        if problem == nil, recordedSeq != expectedSeq - 1 {
            problem =
                recordedSeq > expectedSeq - 1
                ? .truncated(headSeq: recordedSeq, lastSeq: expectedSeq - 1)
                : .reordered(seq: expectedSeq - 1)
        }
        if problem == nil, let headHash: String = headRow?[1], headHash != prevHash {
            problem = .edited(seq: expectedSeq - 1)
        }
        if problem == nil {
            // The total count guards against rows whose seq was moved beyond the end.
            let total = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            if total != count { problem = .reordered(seq: count + 1) }
        }
        if problem == nil {
            problem = try derivedMismatch(db, perType)
        }
        return ChainVerification(
            eventCount: count,
            head: ChainHead(seq: expectedSeq - 1, hash: prevHash, at: Millis.date(lastAt)),
            problem: problem)
    }

    /// Each derived row is written in the same transaction as its event, so the counts must
    /// agree; a row added to or deleted from a derived table behind the chain's back shows here.
    private static func derivedMismatch(_ db: Database, _ perType: [String: Int64]) throws -> ChainVerification.Problem? {
        func n(_ t: EventType) -> Int64 { perType[t.rawValue] ?? 0 }
        let checks: [(String, Int64)] = [
            ("staff", n(.staffAdded)),
            ("cycles", n(.cycleCreated)),
            ("progress", n(.itemFinished)),
            ("attempts", n(.attemptStarted)),
            ("grades", n(.attemptSubmitted) + n(.attemptRegraded)),
            ("spot_checks", n(.spotCheckDrawn)),
        ]
        for (table, expected) in checks {
            let actual = try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
            if actual != expected {
                return .derivedMismatch(detail: "\(table): \(actual) rows, \(expected) events")
            }
        }
        let submitted = try Int64.fetchOne(db, sql: "SELECT count(*) FROM attempts WHERE state = 'submitted'") ?? 0
        if submitted != n(.attemptSubmitted) {
            return .derivedMismatch(detail: "attempts: \(submitted) submitted, \(n(.attemptSubmitted)) events")
        }
        // Row by row, the fields rosters are computed from must match the event that wrote them.
        let rowChecks: [(String, String)] = [
            (
                "staff",
                """
                SELECT 'badge ' || s.badge || ', event #' || s.event_seq
                FROM staff s LEFT JOIN events e ON e.seq = s.event_seq
                WHERE e.seq IS NULL OR e.type NOT IN ('staff.added', 'staff.updated', 'staff.inactivated')
                   OR e.badge IS NOT s.badge OR json_extract(e.payload, '$.name') IS NOT s.name
                   OR json_extract(e.payload, '$.department') IS NOT s.department
                   OR json_extract(e.payload, '$.role') IS NOT s.role OR json_extract(e.payload, '$.status') IS NOT s.status
                   OR e.seq <> (SELECT max(seq) FROM events x WHERE x.badge = s.badge
                                AND x.type IN ('staff.added', 'staff.updated', 'staff.inactivated'))
                LIMIT 1
                """
            ),
            (
                "progress",
                """
                SELECT 'badge ' || p.badge || ', cycle ' || p.cycle_id || ', item ' || p.item_id || ', event #' || p.event_seq
                FROM progress p LEFT JOIN events e ON e.seq = p.event_seq
                WHERE e.seq IS NULL OR e.type <> 'item.finished' OR e.badge IS NOT p.badge OR e.cycle_id IS NOT p.cycle_id
                   OR e.at_ms <> p.finished_ms OR json_extract(e.payload, '$.item') IS NOT p.item_id
                LIMIT 1
                """
            ),
            (
                "attempts",
                """
                SELECT 'attempt ' || a.id || ', event #' || a.event_seq
                FROM attempts a LEFT JOIN events e ON e.seq = a.event_seq
                WHERE e.seq IS NULL OR e.type <> 'attempt.started' OR e.badge IS NOT a.badge OR e.cycle_id IS NOT a.cycle_id
                   OR json_extract(e.payload, '$.attempt') IS NOT a.id OR json_extract(e.payload, '$.number') IS NOT a.number
                   OR e.at_ms <> a.started_ms
                LIMIT 1
                """
            ),
            (
                "grades",
                """
                SELECT 'attempt ' || g.attempt_id || ' grade ' || g.ordinal || ', event #' || g.event_seq
                FROM grades g LEFT JOIN events e ON e.seq = g.event_seq
                WHERE e.seq IS NULL OR e.type NOT IN ('attempt.submitted', 'attempt.regraded')
                   OR json_extract(e.payload, '$.attempt') IS NOT g.attempt_id
                   OR json_extract(e.payload, '$.score') <> g.score OR json_extract(e.payload, '$.maxScore') <> g.max_score
                   OR json_extract(e.payload, '$.passed') <> g.passed
                LIMIT 1
                """
            ),
            (
                "attempts",
                """
                SELECT 'attempt ' || a.id || ' (score in force)'
                FROM attempts a LEFT JOIN grades g ON g.attempt_id = a.id
                    AND g.ordinal = (SELECT max(ordinal) FROM grades x WHERE x.attempt_id = a.id)
                WHERE (a.state = 'submitted' AND (g.attempt_id IS NULL OR g.score <> a.score OR g.passed <> a.passed
                                                  OR g.max_score <> a.max_score))
                   OR (a.state = 'open' AND (g.attempt_id IS NOT NULL OR a.score IS NOT NULL))
                LIMIT 1
                """
            ),
            (
                "exemptions",
                """
                SELECT 'badge ' || x.badge || ', cycle ' || x.cycle_id || ', event #' || x.event_seq
                FROM exemptions x LEFT JOIN events e ON e.seq = x.event_seq
                WHERE e.seq IS NULL OR e.type <> 'exemption.granted' OR e.badge IS NOT x.badge OR e.cycle_id IS NOT x.cycle_id
                   OR json_extract(e.payload, '$.reason') IS NOT x.reason
                   OR json_extract(e.payload, '$.grantedBy') IS NOT x.granted_by
                LIMIT 1
                """
            ),
        ]
        for (table, sql) in rowChecks {
            if let row = try String.fetchOne(db, sql: sql) {
                return .derivedMismatch(detail: "\(table): \(row)")
            }
        }
        return nil
    }

    private static func linksElsewhere(_ db: Database, prevHash: String) throws -> Bool {
        if prevHash == EventHash.genesis { return true }
        return try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM events WHERE hash = ?)",
            arguments: [prevHash]) ?? false
    }
}
