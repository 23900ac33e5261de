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

    // MARK: Audit

    public func verifyChain() throws -> ChainVerification { try verifyChain(replay: true) }

    public func verifyChain(replay: Bool) throws -> ChainVerification {
        try read { try ChainVerifier.verify(PostgresChainSource(s: $0), replay: replay) }
    }

    public func chainHead() throws -> ChainHead {
        try read { s in
            let row = try s.one("SELECT h.seq, h.hash, e.at_ms FROM chain_head h LEFT JOIN events e ON e.seq = h.seq WHERE h.id = 1")
            return ChainHead(
                seq: row?[0].intValue ?? 0, hash: row?[1].textValue ?? EventHash.genesis,
                at: Millis.date(row?[2].intValue))
        }
    }

    public func event(seq: Int64, hasHash hash: String) throws -> Bool {
        try read { s in
            try s.scalar("SELECT EXISTS (SELECT 1 FROM events WHERE seq = $1 AND hash = $2)", [.int(seq), .text(hash.lowercased())])
                == .int(1)
        }
    }

    /// All department paths known (every ancestor of a staff member's department).
    public func departments() throws -> [String] {
        try read { try $0.query("SELECT path FROM departments ORDER BY path").compactMap { $0[0].textValue } }
    }

    /// Appends `count` synthetic events in transactions of `batch` (benchmark and tests only).
    public func appendBenchmarkEvents(count: Int, batch: Int = 10_000, badge: String? = nil) throws {
        var remaining = count
        while remaining > 0 {
            let n = min(batch, remaining)
            try write { _, w in
                let now = Millis.from(Date())
                for i in 0..<n {
                    try w.appendRaw(
                        EventType.benchmark.rawValue, atMillis: now, badge: badge, cycleID: nil,
                        payload: "{\"i\":\(i),\"note\":\"benchmark event\"}")
                }
            }
            remaining -= n
        }
    }

    static func sha256(_ data: Data) -> String { EventHash.hex(SHA256.hash(data: data)) }
}

/// Appends events and applies their projection inside a write transaction. Takes the chain's
/// lock when created (`academy_lock_chain`), computes each hash as SQLite does, and hands the
/// events, one array per column, to `academy_append_arrays`, which recomputes every hash on the
/// server, checks a county role's events against its subtree, inserts them in one statement and
/// moves the head.
struct PostgresRecordWriter {
    private let s: PostgresSession
    private(set) var seq: Int64
    private(set) var hash: String
    private var pending = EventColumns()
    let state: PostgresProjection
    /// Events per round trip (a staff import of 100,000 people is five).
    static let batch = 20_000

    /// The pending events, column by column.
    struct EventColumns {
        var at = CellColumn(.int8), type = CellColumn(.text), badge = CellColumn(.text), cycle = CellColumn(.text)
        var payload = CellColumn(.text), hash = CellColumn(.text)
        var count: Int { hash.cells.count }
        var all: [CellColumn] { [at, type, badge, cycle, payload, hash] }
    }

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
        for b in blobs { byHash[PostgresEducationStore.sha256(b)] = b }
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
        pending.at.cells.append(.int(atMillis))
        pending.type.cells.append(.text(type))
        pending.badge.cells.append(badge.map(Cell.text) ?? .null)
        pending.cycle.cells.append(cycleID.map(Cell.text) ?? .null)
        pending.payload.cells.append(.text(payload))
        pending.hash.cells.append(.text(newHash))
        seq = next
        hash = newHash
        if flushWhenFull, pending.count >= Self.batch { try finish() }
        return next
    }

    private mutating func flush() throws {
        guard pending.count > 0 else { return }
        let row = try s.query("SELECT o_seq, o_hash FROM academy_append_arrays($1, $2, $3, $4, $5, $6)", arrays: pending.all).first
        guard row?[0].intValue == seq, row?[1].textValue == hash else {
            throw StoreError.sqlite(detail: "the server's head after appending differs from the client's")
        }
        pending = EventColumns()
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
            pending[last].rows.count < 20_000
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
            try s.insertArrays(
                b.table.name, columns: b.table.columns, rows: b.rows, blobs: b.blobs, suffix: b.ignore ? "ON CONFLICT DO NOTHING" : "")
        }
    }

    private static func insertSQL(_ t: ProjectedTable, rows: Int) -> String {
        let n = t.columns.count
        let values = (0..<rows).map { r in "(" + (1...n).map { "$\(r * n + $0)" }.joined(separator: ", ") + ")" }
        return "INSERT INTO \(t.name) (\(t.columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", ")
    }
}

/// What `audit verify` reads, from the server.
struct PostgresChainSource: ChainSource {
    let s: PostgresSession

    func recordedHead() throws -> (seq: Int64, hash: String)? {
        guard let row = try s.one("SELECT seq, hash FROM chain_head WHERE id = 1"), let seq = row[0].intValue,
            let hash = row[1].textValue
        else { return nil }
        return (seq, hash)
    }

    func upgradeMarkerSeq() throws -> Int64? {
        try s.scalar("SELECT min(seq) FROM events WHERE type = $1", [.text(EventType.storeUpgraded.rawValue)]).intValue
    }

    func forEachEvent(_ body: ([Cell]) throws -> Bool) throws {
        try s.forEachRow(
            "SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events ORDER BY seq", batch: 10_000, body)
    }

    func hasEvent(hash: String) throws -> Bool {
        try s.scalar("SELECT EXISTS (SELECT 1 FROM events WHERE hash = $1)", [.text(hash)]) == .int(1)
    }

    func eventCount() throws -> Int64 { try s.scalar("SELECT count(*) FROM events").intValue ?? 0 }

    func forEachStoredRow(_ table: ProjectedTable, _ body: ([Cell]) throws -> Bool) throws {
        try s.forEachRow(
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.keyColumns.joined(separator: ", "))",
            batch: 5_000, body)
    }
}
