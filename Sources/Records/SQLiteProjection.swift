import Foundation
import GRDB
import GRDBSQLite

/// The projection's state over the store's own tables, inside the write transaction: what an
/// event changes is applied here in the same transaction that appends it.
final class SQLiteProjection: ProjectionState {
    private let db: Database
    private var staffIDs: Int64?
    private var statements: [String: RawStatement] = [:]
    /// The insert, insert-or-ignore and upsert statements by table ordinal (each event looks one up).
    private var inserts = Array(repeating: RawStatement?.none, count: ProjectedTable.all.count)
    private var insertsIfAbsent = Array(repeating: RawStatement?.none, count: ProjectedTable.all.count)
    private var upserts = Array(repeating: RawStatement?.none, count: ProjectedTable.all.count)
    /// Rows already known present in this transaction (departments repeat across a bulk import).
    private var present = Array(repeating: Set<RowKey>(), count: ProjectedTable.all.count)
    private let departments = DepartmentRowsCache()

    init(_ db: Database) { self.db = db }

    func row(_ table: ProjectedTable, key: [Cell]) throws -> [Cell]? {
        let stmt = try statement("select " + table.name) {
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(Self.keyMatch(table))"
        }
        for (i, k) in key.enumerated() { try stmt.bind(Int32(i + 1), k, blobs: [:]) }
        return try stmt.fetchRow(columns: table.columns.count)
    }

    func nextStaffID() throws -> Int64 {
        if staffIDs == nil { staffIDs = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM staff") ?? 0 }
        return staffIDs! + 1
    }

    /// Each path's rows once per transaction (a bulk import repeats a few hundred paths).
    func departmentRows(_ department: Cell) -> [RowChange] { departments.unwritten(department) }

    func nextGradeOrdinal(attemptID: Int64) throws -> Int64 {
        (try Int64.fetchOne(
            db, sql: "SELECT coalesce(max(ordinal), 0) FROM grades WHERE attempt_id = ?", arguments: [attemptID]) ?? 0)
            + 1
    }

    /// Applies an event's changes; `blobs` holds the bytes of every `.digest` cell by its hash.
    func apply(_ changes: [RowChange], blobs: [String: Data]) throws {
        for change in changes {
            switch change {
            case let .insert(t, row):
                try run(&inserts, t, { Self.insertSQL(t, verb: "INSERT") }, row, blobs)
                if t.ordinal == ProjectedTable.staff.ordinal { staffIDs = (try nextStaffID()) }
            case let .insertIfAbsent(t, row):
                let key = RowKey(row[..<t.keyCount])
                if present[t.ordinal].contains(key) { continue }
                try run(&insertsIfAbsent, t, { Self.insertSQL(t, verb: "INSERT OR IGNORE") }, row, blobs)
                present[t.ordinal].insert(key)
            case let .upsert(t, row):
                try run(
                    &upserts, t,
                    {
                        let values = t.columns[t.keyCount...].map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
                        return Self.insertSQL(t, verb: "INSERT")
                            + " ON CONFLICT (\(t.keyColumns.joined(separator: ", "))) DO UPDATE SET \(values)"
                    }, row, blobs)
            case let .update(t, key, set):
                try run(
                    "update " + t.name + set.map { " \($0.column)" }.joined(),
                    {
                        let sets = set.map { "\(t.columns[$0.column]) = ?" }.joined(separator: ", ")
                        return "UPDATE \(t.name) SET \(sets) WHERE \(Self.keyMatch(t))"
                    }, set.map(\.value) + key, blobs)
                if db.changesCount != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to update") }
            case let .delete(t, key):
                try run("delete " + t.name, { "DELETE FROM \(t.name) WHERE \(Self.keyMatch(t))" }, key, blobs)
                if db.changesCount != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to delete") }
            }
        }
    }

    private static func keyMatch(_ t: ProjectedTable) -> String {
        t.keyColumns.map { "\($0) = ?" }.joined(separator: " AND ")
    }

    private static func insertSQL(_ t: ProjectedTable, verb: String) -> String {
        "\(verb) INTO \(t.name) (\(t.columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: t.columns.count).joined(separator: ", ") + ")"
    }

    /// The prepared statement for `name`, built from `sql()` the first time in this transaction.
    private func statement(_ name: String, _ sql: () -> String) throws -> RawStatement {
        if let s = statements[name] { return s }
        let s = try RawStatement(db, sql: sql())
        statements[name] = s
        return s
    }

    private func run(_ name: String, _ sql: () -> String, _ cells: [Cell], _ blobs: [String: Data]) throws {
        try run(try statement(name, sql), cells, blobs)
    }

    /// Runs the statement `slots` holds for `t`, prepared from `sql()` the first time.
    private func run(
        _ slots: inout [RawStatement?], _ t: ProjectedTable, _ sql: () -> String, _ cells: [Cell], _ blobs: [String: Data]
    ) throws {
        if slots[t.ordinal] == nil { slots[t.ordinal] = try RawStatement(db, sql: sql()) }
        try run(slots[t.ordinal]!, cells, blobs)
    }

    private func run(_ stmt: RawStatement, _ cells: [Cell], _ blobs: [String: Data]) throws {
        for (i, c) in cells.enumerated() { try stmt.bind(Int32(i + 1), c, blobs: blobs) }
        try stmt.run()
    }
}

extension RawStatement {
    func bind(_ index: Int32, _ cell: Cell, blobs: [String: Data]) throws {
        switch cell {
        case .null: sqlite3_bind_null(handle, index)
        case let .int(i): sqlite3_bind_int64(handle, index, i)
        case let .real(d): sqlite3_bind_double(handle, index, d)
        case let .text(s): bind(index, s)
        case let .bytes(b): bind(index, b)
        case let .digest(h):
            guard let b = blobs[h] else { throw StoreError.sqlite(detail: "blob \(h) was not supplied with its event") }
            bind(index, b)
        case .unknown: throw StoreError.sqlite(detail: "an unrecorded value cannot be written")
        }
    }

    func bind(_ index: Int32, _ data: Data) {
        _ = data.withUnsafeBytes { buf in
            sqlite3_bind_blob(handle, index, buf.baseAddress ?? UnsafeRawPointer(Self.emptyPointer), Int32(buf.count), Self.transientDestructor)
        }
    }

    /// Steps once and reads one row of `columns` cells (blobs as `.bytes`), or nil; resets.
    func fetchRow(columns: Int) throws -> [Cell]? {
        defer { reset() }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw error(rc) }
        return Self.cells(handle, columns)
    }

    /// Steps through every row, handing each to `body` until it returns false; resets.
    func forEachRow(columns: Int, _ body: ([Cell]) throws -> Bool) throws {
        defer { reset() }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw error(rc) }
            if try !body(Self.cells(handle, columns)) { return }
        }
    }

    static func cells(_ handle: OpaquePointer, _ columns: Int) -> [Cell] {
        var row: [Cell] = []
        row.reserveCapacity(columns)
        for c in 0..<Int32(columns) {
            switch sqlite3_column_type(handle, c) {
            case SQLITE_INTEGER: row.append(.int(sqlite3_column_int64(handle, c)))
            case SQLITE_FLOAT: row.append(.real(sqlite3_column_double(handle, c)))
            case SQLITE_TEXT:
                let n = Int(sqlite3_column_bytes(handle, c))
                let p = sqlite3_column_text(handle, c)!
                row.append(.text(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
            case SQLITE_BLOB:
                let n = Int(sqlite3_column_bytes(handle, c))
                if n == 0 {
                    row.append(.bytes(Data()))
                } else {
                    row.append(.bytes(Data(bytes: sqlite3_column_blob(handle, c)!, count: n)))
                }
            default: row.append(.null)
            }
        }
        return row
    }
}
