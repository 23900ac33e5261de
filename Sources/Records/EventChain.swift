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
    case exemptionRevoked = "exemption.revoked"
    case itemFinished = "item.finished"
    case attemptStarted = "attempt.started"
    case answerSaved = "answer.saved"
    case attemptSubmitted = "attempt.submitted"
    case attemptRegraded = "attempt.regraded"
    /// An open attempt closed without a grade (the person was exempted).
    case attemptClosed = "attempt.closed"
    case spotCheckDrawn = "spotcheck.drawn"
    /// Written once when a database from before complete events is upgraded; events before it
    /// may lack fields replay needs.
    case storeUpgraded = "store.upgraded"
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
        // One contiguous buffer, hashed in one call (a call per piece cost more than the hashing).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + prevHash.utf8.count + payload.utf8.count)
        versionLine.withUTF8Buffer { bytes.append(contentsOf: $0) }
        field(&bytes, String(seq))
        field(&bytes, prevHash)
        field(&bytes, type)
        field(&bytes, String(atMillis))
        field(&bytes, badge ?? "")
        field(&bytes, cycleID ?? "")
        field(&bytes, payload)
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    private static let versionLine: StaticString = "academy-event-v1\n"

    /// `<byte count>:<bytes>\n`.
    @inline(__always)
    private static func field(_ bytes: inout [UInt8], _ s: String) {
        var n = s.utf8.count
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { tmp in
            var i = tmp.count
            repeat {
                i -= 1
                tmp[i] = UInt8(48 + n % 10)
                n /= 10
            } while n > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: tmp[i...]))
        }
        bytes.append(0x3A)
        bytes.append(contentsOf: s.utf8)
        bytes.append(0x0A)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: raw.count * 2) { out in
                for (i, b) in raw.enumerated() {
                    out[2 * i] = digits[Int(b >> 4)]
                    out[2 * i + 1] = digits[Int(b & 0x0F)]
                }
                return raw.count * 2
            }
        }
    }
}

/// Appends events inside an open write transaction. Reads the head once and writes it back in
/// `finish()`, so a bulk write costs one head update. Events are inserted `batchSize` rows to a
/// statement (the rest one by one in `finish()`): a statement per event cost a quarter of a bulk
/// import's inserting in SQLite's per-statement work. Nothing in a write job reads `events`, so
/// holding them until then changes nothing a job sees; a job that throws before `finish()`
/// writes none of them (its savepoint or transaction is rolled back anyway).
struct EventWriter {
    private let db: Database
    private(set) var seq: Int64
    private(set) var hash: String
    private var written = 0
    private let insert: RawStatement
    private var batchInsert: RawStatement?
    private var held: [Held] = []

    /// One event's columns, as inserted.
    private struct Held {
        var seq: Int64
        var atMillis: Int64
        var type: String
        var badge: String?
        var cycleID: String?
        var payload: String
        var prevHash: String
        var hash: String
    }

    static let batchSize = 64
    private static let columns = "(seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash)"

    init(_ db: Database) throws {
        self.db = db
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM chain_head WHERE id = 1") else {
            throw StoreError.corrupt(path: db.description, detail: "chain_head row missing")
        }
        seq = row[0]
        hash = row[1]
        insert = try RawStatement(db, sql: "INSERT INTO events \(Self.columns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        held.reserveCapacity(Self.batchSize)
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
        try hold(
            Held(seq: next, atMillis: atMillis, type: type, badge: badge, cycleID: cycleID, payload: payload, prevHash: hash, hash: newHash))
        return next
    }

    /// Appends an event whose text and hash were computed ahead (`EventPipeline`), if it follows
    /// this head; otherwise the chain would fork and nothing is written.
    mutating func append(prepared e: PreparedEvent, atMillis: Int64) throws {
        guard e.seq == seq + 1, e.prevHash == hash else {
            throw StoreError.sqlite(detail: "a prepared event #\(e.seq) does not follow the head #\(seq)")
        }
        try hold(
            Held(seq: e.seq, atMillis: atMillis, type: e.type.rawValue, badge: e.badge, cycleID: nil, payload: e.text, prevHash: hash, hash: e.hash))
    }

    private mutating func hold(_ e: Held) throws {
        held.append(e)
        seq = e.seq
        hash = e.hash
        written += 1
        if held.count == Self.batchSize { try insertHeld() }
    }

    /// Inserts the held events: a full batch in one statement, fewer one by one.
    private mutating func insertHeld() throws {
        defer { held.removeAll(keepingCapacity: true) }
        if held.count == Self.batchSize {
            if batchInsert == nil {
                let row = "(?, ?, ?, ?, ?, ?, ?, ?)"
                batchInsert = try RawStatement(
                    db, sql: "INSERT INTO events \(Self.columns) VALUES " + Array(repeating: row, count: Self.batchSize).joined(separator: ", "))
            }
            Self.bind(held, to: batchInsert!)
            try batchInsert!.run()
        } else {
            for e in held {
                Self.bind([e], to: insert)
                try insert.run()
            }
        }
    }

    private static func bind(_ events: [Held], to statement: RawStatement) {
        for (i, e) in events.enumerated() {
            let at = Int32(i * 8)
            statement.bind(at + 1, e.seq)
            statement.bind(at + 2, e.atMillis)
            statement.bind(at + 3, e.type)
            statement.bind(at + 4, e.badge)
            statement.bind(at + 5, e.cycleID)
            statement.bind(at + 6, e.payload)
            statement.bind(at + 7, e.prevHash)
            statement.bind(at + 8, e.hash)
        }
    }

    /// Inserts what is held and moves the head.
    mutating func finish() throws {
        guard written > 0 else { return }
        try insertHeld()
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

    /// The same verification over any backend's events and tables.
    static func verify(_ source: some ChainSource, replay: Bool = true) throws -> ChainVerification {
        let headRow = try source.recordedHead()
        let recordedSeq: Int64 = headRow?.seq ?? 0
        var expectedSeq: Int64 = 1
        var prevHash = EventHash.genesis
        var count: Int64 = 0
        var lastAt: Int64?
        var problem: ChainVerification.Problem?
        // Events before the upgrade marker were written before events were complete.
        let upgradedAt = try source.upgradeMarkerSeq()
        let memory = MemoryProjection()
        var replayProblem: ReplayDifference?
        try source.forEachEvent { row in
            guard case let .int(seq) = row[0], case let .int(at) = row[1], case let .text(type) = row[2],
                case let .text(payload) = row[5], case let .text(storedPrev) = row[6], case let .text(storedHash) = row[7]
            else {
                problem = .edited(seq: row[0].intValue ?? expectedSeq)
                return false
            }
            let badge = row[3].textValue, cycle = row[4].textValue
            if seq != expectedSeq {
                problem = seq > expectedSeq ? .deleted(fromSeq: expectedSeq, toSeq: seq - 1) : .reordered(seq: seq)
                return false
            }
            let recomputed = EventHash.compute(
                seq: seq, prevHash: storedPrev, type: type, atMillis: at,
                badge: badge, cycleID: cycle, payload: payload)
            if storedPrev != prevHash {
                // The link is broken. If this event's own link points at another event, the
                // events were moved; otherwise the previous event was replaced wholesale.
                if try storedPrev == EventHash.genesis || source.hasEvent(hash: storedPrev) {
                    problem = .reordered(seq: seq)
                } else if recomputed == storedHash, seq > 1 {
                    problem = .edited(seq: seq - 1)
                } else {
                    problem = .edited(seq: seq)
                }
                return false
            }
            if recomputed != storedHash {
                problem = .edited(seq: seq)
                return false
            }
            if replay, replayProblem == nil {
                if let parsed = CanonicalJSON.parse(payload) {
                    let event = RecordedEvent(seq: seq, atMillis: at, type: type, badge: badge, cycleID: cycle, payload: parsed)
                    do {
                        try memory.apply(event, legacy: upgradedAt.map { seq < $0 } ?? false)
                    } catch let e as ProjectionError {
                        replayProblem = .invalidEvent(seq: e.seq, detail: e.detail)
                    }
                } else {
                    replayProblem = .invalidEvent(seq: seq, detail: "payload is not JSON")
                }
            }
            prevHash = storedHash
            expectedSeq = seq + 1
            count += 1
            lastAt = at
            return true
        }
        if problem == nil, recordedSeq != expectedSeq - 1 {
            problem =
                recordedSeq > expectedSeq - 1
                ? .truncated(headSeq: recordedSeq, lastSeq: expectedSeq - 1)
                : .reordered(seq: expectedSeq - 1)
        }
        if problem == nil, let headHash = headRow?.hash, headHash != prevHash {
            problem = .edited(seq: expectedSeq - 1)
        }
        if problem == nil {
            // The total count guards against rows whose seq was moved beyond the end.
            let total = try source.eventCount()
            if total != count { problem = .reordered(seq: count + 1) }
        }
        var unverifiable: Int64 = 0
        if problem == nil, replay {
            if let replayProblem {
                problem = .projection(replayProblem)
            } else {
                for table in ProjectedTable.all {
                    if let d = try memory.compare(
                        table, stored: { try source.forEachStoredRow(table, $0) }, unverifiable: &unverifiable)
                    {
                        problem = .projection(d)
                        break
                    }
                }
            }
        }
        var legacy: ChainVerification.LegacyNote?
        if replay, memory.incompleteEvents > 0, let first = memory.firstIncomplete {
            legacy = ChainVerification.LegacyNote(
                upgradedAtSeq: upgradedAt ?? 0, incompleteEvents: memory.incompleteEvents, firstSeq: first.seq,
                firstType: first.type, firstFields: first.fields, uncheckedValues: unverifiable)
        }
        return ChainVerification(
            eventCount: count,
            head: ChainHead(seq: expectedSeq - 1, hash: prevHash, at: Millis.date(lastAt)),
            problem: problem, replayed: replay, legacy: legacy)
    }
}

/// What verification reads from a backend: the recorded head, the events in order, and each
/// projected table's stored rows. Everything else about verifying is backend-neutral.
protocol ChainSource {
    func recordedHead() throws -> (seq: Int64, hash: String)?
    /// The first `store.upgraded` marker's sequence number, if any.
    func upgradeMarkerSeq() throws -> Int64?
    /// Every event in `seq` order as `seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash`,
    /// until `body` returns false.
    func forEachEvent(_ body: ([Cell]) throws -> Bool) throws
    func hasEvent(hash: String) throws -> Bool
    func eventCount() throws -> Int64
    /// The stored rows of `table`, all its columns, in key order.
    func forEachStoredRow(_ table: ProjectedTable, _ body: ([Cell]) throws -> Bool) throws
}
