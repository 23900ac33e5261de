import Foundation
import NIOCore
import PostgresNIO

/// One column of cells bound as a single PostgreSQL array parameter (binary format, NULLs
/// allowed), so that `INSERT … SELECT * FROM unnest($1::bigint[], $2::text[], …)` writes
/// thousands of rows in one statement and one round trip, without the protocol's 65,535-parameter
/// limit. This is the bulk path of a login under row-level security (PostgreSQL refuses it COPY FROM);
/// the city's login copies large batches instead (`PostgresSession.copy`, `CopyText`).
struct CellColumn: PostgresThrowingDynamicTypeEncodable {
    enum Kind: Sendable {
        case int8, float8, text, bytea

        var element: PostgresDataType {
            switch self {
            case .int8: .int8
            case .float8: .float8
            case .text: .text
            case .bytea: .bytea
            }
        }

        var array: PostgresDataType {
            switch self {
            case .int8: .int8Array
            case .float8: .float8Array
            case .text: .textArray
            case .bytea: .byteaArray
            }
        }

        var sqlName: String {
            switch self {
            case .int8: "bigint"
            case .float8: "double precision"
            case .text: "text"
            case .bytea: "bytea"
            }
        }

        /// From `pg_type.oid` of a column.
        init?(typeOID: Int64) {
            switch typeOID {
            case 20, 21, 23: self = .int8
            case 700, 701: self = .float8
            case 25, 1043: self = .text
            case 17: self = .bytea
            default: return nil
            }
        }
    }

    let kind: Kind
    var cells: [Cell] = []
    /// Blobs named by `.digest` cells.
    var blobs: [String: Data] = [:]

    init(_ kind: Kind) { self.kind = kind }

    var psqlType: PostgresDataType { kind.array }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) throws {
        guard !cells.isEmpty else {
            buffer.writeInteger(0, as: Int32.self)
            buffer.writeInteger(0, as: Int32.self)
            buffer.writeInteger(kind.element.rawValue)
            return
        }
        buffer.writeInteger(1, as: Int32.self)  // dimensions
        buffer.writeInteger(cells.contains { if case .null = $0 { true } else { false } } ? 1 : 0, as: Int32.self)
        buffer.writeInteger(kind.element.rawValue)
        buffer.writeInteger(Int32(cells.count))
        buffer.writeInteger(1, as: Int32.self)  // lower bound
        for cell in cells {
            switch (cell, kind) {
            case (.null, _):
                buffer.writeInteger(-1, as: Int32.self)
            case let (.int(i), .int8):
                buffer.writeInteger(8, as: Int32.self)
                buffer.writeInteger(i)
            case let (.int(i), .float8):
                buffer.writeInteger(8, as: Int32.self)
                buffer.writeInteger(Double(i).bitPattern)
            case let (.real(d), .float8):
                buffer.writeInteger(8, as: Int32.self)
                buffer.writeInteger(d.bitPattern)
            case let (.text(s), .text):
                buffer.writeInteger(Int32(s.utf8.count))
                buffer.writeString(s)
            case let (.bytes(d), .bytea):
                buffer.writeInteger(Int32(d.count))
                buffer.writeBytes(d)
            case let (.digest(h), .bytea):
                guard let d = blobs[h] else { throw StoreError.sqlite(detail: "blob \(h) was not supplied with its row") }
                buffer.writeInteger(Int32(d.count))
                buffer.writeBytes(d)
            default:
                throw StoreError.sqlite(detail: "a \(cell) cannot be written to a \(kind.sqlName) column")
            }
        }
    }
}

extension PostgresSession {
    /// The column kinds of `table`, from the catalog (asked once per session and table).
    func columnKinds(_ table: String) throws -> [String: CellColumn.Kind] {
        if let known = kindsLock.withLock({ kindsCache[table] }) { return known }
        var kinds: [String: CellColumn.Kind] = [:]
        for r in try query(
            "SELECT attname::text, atttypid::int8 FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
            [.text(table)])
        {
            guard let name = r[0].textValue, let oid = r[1].intValue, let kind = CellColumn.Kind(typeOID: oid) else { continue }
            kinds[name] = kind
        }
        kindsLock.withLock { kindsCache[table] = kinds }
        return kinds
    }

    /// Inserts `rows` of `table`, sent without waiting (`send`, `copy`): through `COPY … FROM
    /// STDIN` when this login may copy (`copyMinimumRows`), the rows are that many and COPY's text
    /// format carries every value, else as whole-column arrays (`insertArrays`). Rows that may be
    /// there already (`ignoringConflicts`) always go as arrays: COPY has no ON CONFLICT.
    func insertRows(
        _ table: String, columns: [String], rows: [[Cell]], blobs: [String: Data] = [:], ignoringConflicts: Bool = false
    ) throws {
        guard !rows.isEmpty else { return }
        if !ignoringConflicts, blobs.isEmpty, let minimum = copyMinimumRows, rows.count >= minimum {
            let kinds = try columnKinds(table)
            let ordered = try columns.map { c in
                guard let k = kinds[c] else { throw StoreError.sqlite(detail: "\(table).\(c): unknown column type") }
                return k
            }
            if let data = CopyText.rows(rows, kinds: ordered) {
                try copy(table, columns: columns, data: data)
                return
            }
        }
        _ = try insertArrays(
            table, columns: columns, rows: rows, blobs: blobs, suffix: ignoringConflicts ? "ON CONFLICT DO NOTHING" : "", pipelined: true)
    }

    /// `INSERT INTO table (columns) SELECT * FROM unnest($1::…[], …)`: all `rows` in one statement.
    /// `pipelined`: sent without waiting (`send`), the count returned is then 0.
    @discardableResult
    func insertArrays(
        _ table: String, columns: [String], rows: [[Cell]], blobs: [String: Data] = [:], suffix: String = "",
        pipelined: Bool = false
    ) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let kinds = try columnKinds(table)
        var arrays = try columns.map { c -> CellColumn in
            guard let k = kinds[c] else { throw StoreError.sqlite(detail: "\(table).\(c): unknown column type") }
            var a = CellColumn(k)
            a.cells.reserveCapacity(rows.count)
            a.blobs = blobs
            return a
        }
        for row in rows {
            for i in arrays.indices { arrays[i].cells.append(row[i]) }
        }
        let unnest = arrays.enumerated().map { "$\($0.offset + 1)::\($0.element.kind.sqlName)[]" }.joined(separator: ", ")
        let sql =
            "INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT * FROM unnest(\(unnest))"
            + (suffix.isEmpty ? "" : " " + suffix)
        if pipelined {
            try send(sql, arrays: arrays)
            return 0
        }
        return try execute(sql, arrays: arrays)
    }
}
