import Foundation
import GRDB
import GRDBSQLite

/// What the store's backend-neutral code (`SQLStore+…`) needs of a backend: statements in one
/// transaction, and an event recorder in a write transaction. Everything a store decides (which
/// checks precede an event, which events a change writes, how rows become values) is written
/// once over these; `SQLiteEducationStore` and `PostgresEducationStore` only do the I/O.
///
/// SQL is written once, with PostgreSQL's `$1…` parameters (SQLite reads them as `?1…`), in the
/// subset both engines run the same way (the schema gives text a byte-order collation on both).
protocol SQLReader {
    /// Where the statements go (a file path, a server URL without its password), for messages.
    var location: String { get }
    func rows(_ sql: String, _ binds: [Cell]) throws -> [[Cell]]
    /// Streams the rows to `body` (until it returns false) without holding them all in memory.
    func forEachRow(_ sql: String, _ binds: [Cell], _ body: ([Cell]) throws -> Bool) throws
    /// Runs a statement; the number of rows it changed.
    @discardableResult
    func change(_ sql: String, _ binds: [Cell]) throws -> Int
    /// The next id of `table` (`staff`, `attempts`, `spot_checks`): ids follow the order rows
    /// were added over the whole database, whatever the caller may read.
    func nextID(_ table: String) throws -> Int64
}

extension SQLReader {
    func row(_ sql: String, _ binds: [Cell] = []) throws -> [Cell]? { try rows(sql, binds).first }
    func value(_ sql: String, _ binds: [Cell] = []) throws -> Cell { try rows(sql, binds).first?.first ?? .null }
    func exists(_ sql: String, _ binds: [Cell] = []) throws -> Bool {
        try value("SELECT EXISTS (" + sql + ")", binds) == .int(1)
    }
}

/// Appends events, each applied to the tables by the one `Projector`, in a write transaction.
protocol EventRecorder {
    @discardableResult
    mutating func recordEvent(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data]
    ) throws -> Int64
    /// The chain's head after the events recorded so far in this transaction.
    var head: (seq: Int64, hash: String) { get }
    /// Records an event whose text and hash were computed ahead from `head` (`EventPipeline`),
    /// as `recordEvent` would (no blobs, no cycle); refused if it does not follow the head.
    mutating func recordPrepared(_ e: PreparedEvent, atMillis: Int64) throws
    /// Writes any rows held back, so that the next read sees them.
    mutating func flushRows() throws
    /// Appends one event exactly as given, with no projection (synthetic benchmark events only).
    mutating func appendUnprojected(_ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String) throws
}

extension EventRecorder {
    @discardableResult
    mutating func record(
        _ type: EventType, at: Date, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data] = []
    ) throws -> Int64 {
        try recordEvent(type, atMillis: Millis.from(at), badge: badge, cycleID: cycleID, payload: payload, blobs: blobs)
    }
}

/// A store whose behaviour is written once over `SQLReader` and `EventRecorder`.
protocol SQLStore: EducationStore {
    associatedtype SQL: SQLReader
    associatedtype Recorder: EventRecorder
    /// A read-only transaction (one snapshot).
    func reading<T>(_ body: (SQL) throws -> T) throws -> T
    /// A write transaction holding the chain's lock from its start; the recorder is finished
    /// (events and rows written, head moved) when `body` returns, everything rolled back if it throws.
    func writing<T>(_ body: (SQL, inout Recorder) throws -> T) throws -> T
    /// A write transaction for rows outside the record (the hall's sessions and failures): no
    /// event, so it does not wait for the chain.
    func writingRows<T>(_ body: (SQL) throws -> T) throws -> T
}

// MARK: SQLite

/// The SQLite side of `SQLReader`: GRDB's cached statements, bound and read as `Cell`s.
struct SQLiteSQL: SQLReader {
    let db: Database
    var location: String { db.description }

    /// `$1` → `?1` (SQLite's numbered parameter, the same meaning).
    static func translate(_ sql: String) -> String {
        guard sql.contains("$") else { return sql }
        var out = ""
        out.reserveCapacity(sql.utf8.count)
        var previous: Character = " "
        for c in sql {
            if previous == "$" {
                out.removeLast()
                out.append(c.isNumber ? "?" : "$")
            }
            out.append(c)
            previous = c
        }
        return out
    }

    private func statement(_ sql: String, _ binds: [Cell]) throws -> RawStatement {
        // Short statements recur (cached); long ones are multi-row inserts of varying length.
        let s = try RawStatement(db, sql: Self.translate(sql), cached: sql.utf8.count < 2_000)
        sqlite3_clear_bindings(s.handle)
        for (i, c) in binds.enumerated() { try s.bind(Int32(i + 1), c, blobs: [:]) }
        return s
    }

    func rows(_ sql: String, _ binds: [Cell]) throws -> [[Cell]] {
        var out: [[Cell]] = []
        try forEachRow(sql, binds) { out.append($0); return true }
        return out
    }

    func forEachRow(_ sql: String, _ binds: [Cell], _ body: ([Cell]) throws -> Bool) throws {
        let s = try statement(sql, binds)
        try s.forEachRow(columns: Int(sqlite3_column_count(s.handle)), body)
    }

    func change(_ sql: String, _ binds: [Cell]) throws -> Int {
        try statement(sql, binds).run()
        return db.changesCount
    }

    func nextID(_ table: String) throws -> Int64 {
        (try value("SELECT coalesce(max(id), 0) FROM \(table)").intValue ?? 0) + 1
    }
}

extension RecordWriter: EventRecorder {
    mutating func recordEvent(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data]
    ) throws -> Int64 {
        try record(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload, blobs: blobs)
    }

    mutating func recordPrepared(_ e: PreparedEvent, atMillis: Int64) throws { try record(prepared: e, atMillis: atMillis) }

    mutating func flushRows() throws {}
}

extension SQLiteEducationStore: SQLStore {
    func reading<T>(_ body: (SQLiteSQL) throws -> T) throws -> T {
        try read { try body(SQLiteSQL(db: $0)) }
    }

    func writing<T>(_ body: (SQLiteSQL, inout RecordWriter) throws -> T) throws -> T {
        try write { db in
            var records = try RecordWriter(db)
            let value = try body(SQLiteSQL(db: db), &records)
            try records.finish()
            return value
        }
    }

    func writingRows<T>(_ body: (SQLiteSQL) throws -> T) throws -> T {
        try write { try body(SQLiteSQL(db: $0)) }
    }
}

// MARK: PostgreSQL

extension PostgresSession: SQLReader {
    var location: String { target.description }

    func rows(_ sql: String, _ binds: [Cell]) throws -> [[Cell]] { try query(sql, binds) }

    func forEachRow(_ sql: String, _ binds: [Cell], _ body: ([Cell]) throws -> Bool) throws {
        try forEachRow(sql, binds, batch: 5_000, body)
    }

    func change(_ sql: String, _ binds: [Cell]) throws -> Int { try execute(sql, binds) }

    func nextID(_ table: String) throws -> Int64 {
        (try scalar("SELECT academy_max_id($1)", [.text(table)]).intValue ?? 0) + 1
    }
}

extension PostgresRecordWriter: EventRecorder {
    mutating func recordEvent(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data]
    ) throws -> Int64 {
        try record(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload, blobs: blobs)
    }

    var head: (seq: Int64, hash: String) { (batch.seq, batch.hash) }

    mutating func recordPrepared(_ e: PreparedEvent, atMillis: Int64) throws { try record(prepared: e, atMillis: atMillis) }

    mutating func flushRows() throws { try finish() }

    mutating func appendUnprojected(_ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String) throws {
        try appendRaw(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload)
    }
}

extension PostgresEducationStore: SQLStore {
    func reading<T>(_ body: (PostgresSession) throws -> T) throws -> T { try read(body) }
    func writing<T>(_ body: (PostgresSession, inout PostgresRecordWriter) throws -> T) throws -> T { try write(body) }

    func writingRows<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        return try session.transaction { try body(session) }
    }
}

// MARK: Values

extension Cell {
    var dataValue: Data? {
        if case let .bytes(d) = self { return d }
        return nil
    }

    var realValue: Double? {
        switch self {
        case let .real(d): d
        case let .int(i): Double(i)
        default: nil
        }
    }

    /// Strings of a JSON array held as text (cycle departments, question ids).
    var jsonStrings: [String] {
        guard let t = textValue, case let .array(a)? = CanonicalJSON.parse(t) else { return [] }
        return a.compactMap(\.stringValue)
    }
}
