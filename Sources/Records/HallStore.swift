import Foundation
import GRDB

/// A stored exam-hall code: only its slow salted hash (the code itself is never stored).
public struct HallCodeHash: Sendable, Hashable {
    public var cycleID: String
    public var badge: String
    public var salt: Data
    public var hash: Data
    public var rounds: Int
    public var issuedAt: Date

    public init(cycleID: String, badge: String, salt: Data, hash: Data, rounds: Int, issuedAt: Date) {
        self.cycleID = cycleID
        self.badge = badge
        self.salt = salt
        self.hash = hash
        self.rounds = rounds
        self.issuedAt = issuedAt
    }
}

/// An SSH public key allowed to log in as a badge.
public struct HallKey: Sendable, Hashable {
    public var badge: String
    /// `SHA256:…` as OpenSSH prints it.
    public var fingerprint: String
    /// The `ssh-ed25519 AAAA…` line, without its comment.
    public var publicKey: String
    public var addedAt: Date

    public init(badge: String, fingerprint: String, publicKey: String, addedAt: Date) {
        self.badge = badge
        self.fingerprint = fingerprint
        self.publicKey = publicKey
        self.addedAt = addedAt
    }
}

/// One failed login, as the invigilator sees it.
public struct HallFailure: Sendable, Hashable {
    public var at: Date
    /// What the client sent as the user name (cut to 64 characters).
    public var badge: String
    public var source: String
    /// Why, for the invigilator only (the client is only ever told the generic refusal).
    public var reason: String
}

/// The live state of one officer's hall session, written by the server, read by `hall status`.
public struct HallSessionRow: Sendable, Hashable {
    public enum State: String, Sendable { case connected, disconnected, finished, kicked }
    public var badge: String
    public var cycleID: String?
    public var source: String
    public var serverPID: Int32
    public var connectedAt: Date
    public var updatedAt: Date
    public var state: State
    /// 1-based current question, when in the exam.
    public var question: Int?
    public var questionCount: Int?
    public var answered: Int?
    public var deadline: Date?
    /// Set by `hall kick`; the server ends the session when it sees it.
    public var kickAt: Date?

    public init(
        badge: String, cycleID: String?, source: String, serverPID: Int32, connectedAt: Date, updatedAt: Date,
        state: State, question: Int? = nil, questionCount: Int? = nil, answered: Int? = nil, deadline: Date? = nil,
        kickAt: Date? = nil
    ) {
        self.badge = badge
        self.cycleID = cycleID
        self.source = source
        self.serverPID = serverPID
        self.connectedAt = connectedAt
        self.updatedAt = updatedAt
        self.state = state
        self.question = question
        self.questionCount = questionCount
        self.answered = answered
        self.deadline = deadline
        self.kickAt = kickAt
    }
}

/// What the exam hall keeps in the store: codes and keys (each change an event in the chain, the
/// rows its projection, rebuilt and compared by `audit verify`), failed logins and live sessions
/// (operational rows outside the record, shared between the server and `hall status`).
public protocol HallStore: Sendable {
    /// Replaces the codes of the given badges in one transaction, one `hall.code.issued` event each.
    func issueHallCodes(_ codes: [HallCodeHash], reissue: Bool, at: Date) throws
    /// Removes the codes of `badges` (all of the cycle's when nil); one `hall.code.revoked` event
    /// each. Returns the badges whose code was revoked.
    @discardableResult
    func revokeHallCodes(cycleID: String, badges: [String]?, at: Date) throws -> [String]
    func hallCodes(badge: String) throws -> [HallCodeHash]
    func hallCodeCount(cycleID: String) throws -> Int

    /// Adds a key (a `staff.key.added` event); false when that key was already there.
    @discardableResult
    func addHallKey(_ key: HallKey) throws -> Bool
    func hallKeys(badge: String) throws -> [HallKey]

    func recordHallFailure(badge: String, source: String, reason: String, at: Date) throws
    func hallFailureCount(badge: String, since: Date) throws -> Int
    func hallFailures(since: Date) throws -> [HallFailure]

    /// Writes session rows in one transaction (the server batches them: one commit for many
    /// officers' progress). A pending kick survives unless the row is a new connection.
    func upsertHallSessions(_ rows: [HallSessionRow]) throws
    func hallSessions() throws -> [HallSessionRow]
    func hallSession(badge: String) throws -> HallSessionRow?
    /// Asks the server to end the badge's session. False when no session is connected.
    func requestHallKick(badge: String, at: Date) throws -> Bool
    /// Marks every connected session disconnected (a server starting anew after a crash, or stopping).
    func closeHallSessions(at: Date) throws
}

extension SQLiteEducationStore: HallStore {
    public func issueHallCodes(_ codes: [HallCodeHash], reissue: Bool, at: Date) throws {
        try write { db in
            var records = try RecordWriter(db)
            for c in codes {
                // The row (salt, hash, rounds; issued at the event's time) is the event's projection.
                try records.record(
                    .hallCodeIssued, at: at, badge: c.badge, cycleID: c.cycleID,
                    payload: .object([
                        "kdf": .string(HallCodeKDF.name), "rounds": .int(Int64(c.rounds)),
                        "salt": .string(HallCodeKDF.hex(c.salt)), "hash": .string(HallCodeKDF.hex(c.hash)),
                        "reissue": .bool(reissue),
                    ]))
            }
            try records.finish()
        }
    }

    @discardableResult
    public func revokeHallCodes(cycleID: String, badges: [String]?, at: Date) throws -> [String] {
        try write { db in
            let existing = try String.fetchAll(
                db, sql: "SELECT badge FROM hall_codes WHERE cycle_id = ? ORDER BY badge", arguments: [cycleID])
            let targets = badges.map { wanted in existing.filter { Set(wanted).contains($0) } } ?? existing
            var records = try RecordWriter(db)
            for badge in targets {
                try records.record(.hallCodeRevoked, at: at, badge: badge, cycleID: cycleID, payload: .object([:]))
            }
            try records.finish()
            return targets
        }
    }

    public func hallCodes(badge: String) throws -> [HallCodeHash] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT cycle_id, badge, salt, hash, rounds, issued_ms FROM hall_codes WHERE badge = ? ORDER BY cycle_id",
                arguments: [badge]
            ).map { r in
                HallCodeHash(
                    cycleID: r[0], badge: r[1], salt: r[2], hash: r[3], rounds: r[4], issuedAt: Millis.date(r[5] as Int64))
            }
        }
    }

    public func hallCodeCount(cycleID: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM hall_codes WHERE cycle_id = ?", arguments: [cycleID]) ?? 0
        }
    }

    @discardableResult
    public func addHallKey(_ key: HallKey) throws -> Bool {
        try write { db in
            let exists =
                try Int.fetchOne(
                    db, sql: "SELECT 1 FROM hall_keys WHERE badge = ? AND fingerprint = ?",
                    arguments: [key.badge, key.fingerprint]) != nil
            if exists { return false }
            var records = try RecordWriter(db)
            try records.record(
                .staffKeyAdded, at: key.addedAt, badge: key.badge, cycleID: nil,
                payload: .object(["fingerprint": .string(key.fingerprint), "key": .string(key.publicKey)]))
            try records.finish()
            return true
        }
    }

    public func hallKeys(badge: String) throws -> [HallKey] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT badge, fingerprint, public_key, added_ms FROM hall_keys WHERE badge = ? ORDER BY added_ms",
                arguments: [badge]
            ).map { r in HallKey(badge: r[0], fingerprint: r[1], publicKey: r[2], addedAt: Millis.date(r[3] as Int64)) }
        }
    }

    public func recordHallFailure(badge: String, source: String, reason: String, at: Date) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO hall_failures (at_ms, badge, source, reason) VALUES (?, ?, ?, ?)",
                arguments: [Millis.from(at), String(badge.prefix(64)), source, reason])
        }
    }

    public func hallFailureCount(badge: String, since: Date) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM hall_failures WHERE badge = ? AND at_ms >= ?",
                arguments: [String(badge.prefix(64)), Millis.from(since)]) ?? 0
        }
    }

    public func hallFailures(since: Date) throws -> [HallFailure] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT at_ms, badge, source, reason FROM hall_failures WHERE at_ms >= ? ORDER BY at_ms, id",
                arguments: [Millis.from(since)]
            ).map { r in HallFailure(at: Millis.date(r[0] as Int64), badge: r[1], source: r[2], reason: r[3]) }
        }
    }

    public func upsertHallSessions(_ rows: [HallSessionRow]) throws {
        guard !rows.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO hall_sessions (badge, cycle_id, source, server_pid, connected_ms, updated_ms, state,
                        question, question_count, answered, deadline_ms, kick_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                    ON CONFLICT (badge) DO UPDATE SET cycle_id = excluded.cycle_id, source = excluded.source,
                        server_pid = excluded.server_pid, connected_ms = excluded.connected_ms,
                        updated_ms = excluded.updated_ms, state = excluded.state, question = excluded.question,
                        question_count = excluded.question_count, answered = excluded.answered,
                        deadline_ms = excluded.deadline_ms,
                        kick_ms = CASE WHEN excluded.connected_ms = hall_sessions.connected_ms
                            THEN hall_sessions.kick_ms ELSE NULL END
                    """)
            for s in rows {
                try statement.execute(arguments: [
                    s.badge, s.cycleID, s.source, s.serverPID, Millis.from(s.connectedAt), Millis.from(s.updatedAt),
                    s.state.rawValue, s.question, s.questionCount, s.answered, s.deadline.map(Millis.from),
                ])
            }
        }
    }

    static func hallSession(_ r: Row) -> HallSessionRow {
        HallSessionRow(
            badge: r[0], cycleID: r[1], source: r[2], serverPID: r[3], connectedAt: Millis.date(r[4] as Int64),
            updatedAt: Millis.date(r[5] as Int64), state: HallSessionRow.State(rawValue: r[6]) ?? .disconnected,
            question: r[7], questionCount: r[8], answered: r[9], deadline: Millis.date(r[10] as Int64?),
            kickAt: Millis.date(r[11] as Int64?))
    }

    private static let sessionColumns = """
        SELECT badge, cycle_id, source, server_pid, connected_ms, updated_ms, state, question, question_count,
            answered, deadline_ms, kick_ms FROM hall_sessions
        """

    public func hallSessions() throws -> [HallSessionRow] {
        try read { db in try Row.fetchAll(db, sql: Self.sessionColumns + " ORDER BY badge").map(Self.hallSession) }
    }

    public func hallSession(badge: String) throws -> HallSessionRow? {
        try read { db in
            try Row.fetchOne(db, sql: Self.sessionColumns + " WHERE badge = ?", arguments: [badge]).map(Self.hallSession)
        }
    }

    public func requestHallKick(badge: String, at: Date) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE hall_sessions SET kick_ms = ? WHERE badge = ? AND state = 'connected'",
                arguments: [Millis.from(at), badge])
            return db.changesCount > 0
        }
    }

    public func closeHallSessions(at: Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE hall_sessions SET state = 'disconnected', updated_ms = ? WHERE state = 'connected'",
                arguments: [Millis.from(at)])
        }
    }
}
