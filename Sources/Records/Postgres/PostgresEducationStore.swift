import Crypto
import Foundation

/// The shared-server store: the same education record as `SQLiteEducationStore`, in one
/// PostgreSQL database that many counties write to.
///
/// The chain is the single source of truth here too. Every write transaction first locks the
/// chain's head row (`SELECT … FOR UPDATE`), so appends from any number of processes and machines
/// are serialized and the chain never forks; the events and their projection (`Projector`, the
/// same pure Swift the SQLite store and `audit verify` use) are written in that transaction.
/// Checks that precede an event (is the attempt open? attempts left?) run after the lock, so they
/// see every earlier commit (READ COMMITTED takes a fresh snapshot per statement).
///
/// One connection per store; calls from several threads of one process queue on it.
public final class PostgresEducationStore: EducationStore, @unchecked Sendable {
    public let target: PostgresTarget
    let session: PostgresSession
    let serial = NSRecursiveLock()

    /// Connects (within the target's connect timeout), checks the schema version and migrates.
    /// Refuses, without writing, a database from a newer Academy or another application.
    public convenience init(url: String) throws {
        try self.init(target: PostgresTarget(url: url))
    }

    public init(target: PostgresTarget) throws {
        self.target = target
        session = try PostgresSession(target)
        try PostgresSchema.migrate(session)
    }

    // MARK: Transactions

    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        return try session.transaction(readOnly: true) { try body(session) }
    }

    /// A write transaction holding the chain's head lock from its first statement.
    func write<T>(_ body: (PostgresSession, inout PostgresRecordWriter) throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        return try session.transaction {
            var records = try PostgresRecordWriter(session)
            let value = try body(session, &records)
            try records.finish()
            return value
        }
    }

}

/// Appends events and applies their projection inside a write transaction. Takes the chain's
/// lock when created (`academy_lock_chain`), computes each hash as SQLite does, and hands the
/// events to `academy_append_batch`, which recomputes every hash on the server, checks a county
/// role's events against its subtree, inserts them and moves the head.
struct PostgresRecordWriter {
    private let s: PostgresSession
    private(set) var seq: Int64
    private(set) var hash: String
    private var pending: [CanonicalJSON] = []
    let state: PostgresProjection
    static let batch = 2_000

    init(_ s: PostgresSession) throws {
        self.s = s
        guard let row = try s.one("SELECT o_seq, o_hash FROM academy_lock_chain()"),
            let seq = row[0].intValue, let hash = row[1].textValue
        else {
            throw StoreError.corrupt(path: s.target.description, detail: "chain_head row missing")
        }
        self.seq = seq
        self.hash = hash
        state = PostgresProjection(s)
    }

    @discardableResult
    mutating func record(
        _ type: EventType, at: Date, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data] = []
    ) throws -> Int64 {
        try record(type, atMillis: Millis.from(at), badge: badge, cycleID: cycleID, payload: payload, blobs: blobs)
    }

    @discardableResult
    mutating func record(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data] = []
    ) throws -> Int64 {
        let seq = try appendRaw(
            type.rawValue, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload.text, flushWhenFull: false)
        let event = RecordedEvent(seq: seq, atMillis: atMillis, type: type.rawValue, badge: badge, cycleID: cycleID, payload: payload)
        let p = try Projector.project(event, state: state, legacy: false)
        var byHash: [String: Data] = [:]
        for b in blobs { byHash[RecordWriter.sha256(b)] = b }
        try state.apply(p.changes, blobs: byHash)
        // The rows go first: the server checks a county's events against the rows they wrote.
        if pending.count >= Self.batch { try finish() }
        return seq
    }

    /// Appends one event exactly as given (hash computed from the same canonical bytes as SQLite).
    @discardableResult
    mutating func appendRaw(
        _ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String, flushWhenFull: Bool = true
    ) throws -> Int64 {
        let next = seq + 1
        let newHash = EventHash.compute(
            seq: next, prevHash: hash, type: type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload)
        pending.append(
            .array([
                .int(atMillis), .string(type), badge.map(CanonicalJSON.string) ?? .null, cycleID.map(CanonicalJSON.string) ?? .null,
                .string(payload), .string(newHash),
            ]))
        seq = next
        hash = newHash
        if flushWhenFull, pending.count >= Self.batch { try finish() }
        return next
    }

    private mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let row = try s.one("SELECT o_seq, o_hash FROM academy_append_batch($1)", [.text(CanonicalJSON.array(pending).text)])
        guard row?[0].intValue == seq, row?[1].textValue == hash else {
            throw StoreError.sqlite(detail: "the server's head after appending differs from the client's")
        }
        pending.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        try state.flush()
        try flush()
    }
}

/// The projection's state over the server's tables, inside the write transaction.
///
/// New rows (`insert`, `insertIfAbsent`) are held back and written as multi-row INSERTs, so a
/// bulk import costs a few statements rather than one round trip per row; anything that reads
/// or changes existing rows writes them first, so every lookup sees every earlier event.
final class PostgresProjection: ProjectionState {
    private let s: PostgresSession
    private var staffIDs: Int64?
    private var present = Set<[Cell]>()
    private var pending: [(table: ProjectedTable, ignore: Bool, rows: [[Cell]], blobs: [String: Data])] = []
    private var pendingRows = 0

    init(_ s: PostgresSession) { self.s = s }

    private static func keyWhere(_ t: ProjectedTable, from: Int) -> String {
        t.keyColumns.enumerated().map { "\($1) = $\(from + $0)" }.joined(separator: " AND ")
    }

    func row(_ table: ProjectedTable, key: [Cell]) throws -> [Cell]? {
        try flush()
        return try s.one(
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(Self.keyWhere(table, from: 1))", key)
    }

    func nextStaffID() throws -> Int64 {
        if staffIDs == nil { staffIDs = try s.scalar("SELECT academy_max_id('staff')").intValue ?? 0 }
        return staffIDs! + 1
    }

    func nextGradeOrdinal(attemptID: Int64) throws -> Int64 {
        try flush()
        return (try s.scalar("SELECT coalesce(max(ordinal), 0) FROM grades WHERE attempt_id = $1", [.int(attemptID)]).intValue ?? 0) + 1
    }

    func apply(_ changes: [RowChange], blobs: [String: Data]) throws {
        for change in changes {
            switch change {
            case let .insert(t, row):
                hold(t, ignore: false, row, blobs)
                if t.name == ProjectedTable.staff.name { staffIDs = try nextStaffID() }
            case let .insertIfAbsent(t, row):
                let marker = [Cell.text(t.name)] + row[..<t.keyCount]
                if present.contains(marker) { continue }
                hold(t, ignore: true, row, blobs)
                present.insert(marker)
            case let .upsert(t, row):
                try flush()
                let values = t.columns[t.keyCount...].map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
                try s.execute(
                    Self.insertSQL(t, rows: 1) + " ON CONFLICT (\(t.keyColumns.joined(separator: ", "))) DO UPDATE SET \(values)", row,
                    blobs: blobs)
            case let .update(t, key, set):
                try flush()
                let sets = set.enumerated().map { "\(t.columns[$1.column]) = $\($0 + 1)" }.joined(separator: ", ")
                let n = try s.execute(
                    "UPDATE \(t.name) SET \(sets) WHERE \(Self.keyWhere(t, from: set.count + 1))", set.map(\.value) + key,
                    blobs: blobs)
                if n != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to update") }
            case let .delete(t, key):
                try flush()
                let n = try s.execute("DELETE FROM \(t.name) WHERE \(Self.keyWhere(t, from: 1))", key, blobs: blobs)
                if n != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to delete") }
            }
        }
    }

    private func hold(_ t: ProjectedTable, ignore: Bool, _ row: [Cell], _ blobs: [String: Data]) {
        if let last = pending.indices.last, pending[last].table == t, pending[last].ignore == ignore,
            pending[last].rows.count < 60_000 / t.columns.count
        {
            pending[last].rows.append(row)
            pending[last].blobs.merge(blobs) { a, _ in a }
        } else {
            pending.append((t, ignore, [row], blobs))
        }
        pendingRows += 1
    }

    /// Writes the held-back rows, in the order the events produced them.
    func flush() throws {
        guard pendingRows > 0 else { return }
        let batches = pending
        pending.removeAll()
        pendingRows = 0
        for b in batches {
            try s.execute(
                Self.insertSQL(b.table, rows: b.rows.count) + (b.ignore ? " ON CONFLICT DO NOTHING" : ""),
                b.rows.flatMap { $0 }, blobs: b.blobs)
        }
    }

    private static func insertSQL(_ t: ProjectedTable, rows: Int) -> String {
        let n = t.columns.count
        let values = (0..<rows).map { r in "(" + (1...n).map { "$\(r * n + $0)" }.joined(separator: ", ") + ")" }
        return "INSERT INTO \(t.name) (\(t.columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", ")
    }
}
