import Foundation

/// One value of a projected row, with the storage class SQLite (or any backend) keeps it in.
/// Equality is strict: storage class and bytes, so `5` ≠ `5.0` ≠ `'5'`, and two canonically
/// equivalent but differently encoded strings differ (Swift's `String ==` would call them equal).
///
/// This file, like everything in Projection/, is pure Swift: the same replay runs against any
/// backend.
public enum Cell: Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    /// A small blob held in the event itself (a saved answer).
    case bytes(Data)
    /// A large blob stored once beside the row; the event holds only its SHA-256 (lowercase hex).
    case digest(String)
    /// A value an event written before projections (a legacy event) did not record. Never
    /// written; skipped by the comparison and counted in the verification note.
    case unknown

    public var description: String {
        switch self {
        case .null: "NULL"
        case let .int(i): String(i)
        case let .real(d): String(d)
        case let .text(s): "'" + Cell.clip(s) + "'"
        case let .bytes(b): "X'" + Cell.clip(b.map { String(format: "%02X", $0) }.joined()) + "'"
        case let .digest(h): "blob sha256:" + h
        case .unknown: "(not recorded)"
        }
    }

    /// At most 200 characters of a value go into a message.
    static func clip(_ s: String) -> String {
        s.count <= 200 ? s : String(s.prefix(200)) + "…"
    }

    public var intValue: Int64? {
        if case let .int(i) = self { return i }
        return nil
    }

    public var textValue: String? {
        if case let .text(s) = self { return s }
        return nil
    }

    static func bool(_ b: Bool) -> Cell { .int(b ? 1 : 0) }
    static func optionalInt(_ i: Int64?) -> Cell { i.map(Cell.int) ?? .null }
}

extension Cell: Hashable {
    public static func == (a: Cell, b: Cell) -> Bool {
        switch (a, b) {
        case (.null, .null), (.unknown, .unknown): return true
        case let (.int(x), .int(y)): return x == y
        case let (.real(x), .real(y)): return x.bitPattern == y.bitPattern || x == y
        case let (.text(x), .text(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.bytes(x), .bytes(y)): return x == y
        case let (.digest(x), .digest(y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .int(i): hasher.combine(1); hasher.combine(i)
        case let .real(d): hasher.combine(2); hasher.combine(d)
        case let .text(s):
            hasher.combine(3)
            var s = s
            s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        case let .bytes(b): hasher.combine(4); hasher.combine(b)
        case let .digest(h): hasher.combine(5); hasher.combine(h)
        case .unknown: hasher.combine(6)
        }
    }
}

/// A table the events project into: its columns in order, the first `keyCount` forming the key.
/// Column names are the stored ones, so a backend can use them as they are.
///
/// A value is the table's position and key width only (two integers: a `RowChange` that names
/// its table copies no column list); the name and columns are looked up by position.
public struct ProjectedTable: Sendable, Hashable {
    /// Position in `all`.
    public let ordinal: Int
    public let keyCount: Int

    public var name: String { Self.definitions[ordinal].name }
    public var columns: [String] { Self.definitions[ordinal].columns }
    /// Columns holding a large blob whose SHA-256 the event carries (compared by hash).
    public var digestColumns: [Int] { Self.definitions[ordinal].digestColumns }

    private struct Definition: Sendable {
        let name: String
        let columns: [String]
        let keyCount: Int
        let digestColumns: [Int]

        init(_ name: String, key: [String], values: [String], digests: [String] = []) {
            self.name = name
            self.columns = key + values
            self.keyCount = key.count
            self.digestColumns = digests.map { (key + values).firstIndex(of: $0)! }
        }
    }

    private init(_ ordinal: Int) {
        self.ordinal = ordinal
        keyCount = Self.definitions[ordinal].keyCount
    }

    public var keyColumns: ArraySlice<String> { columns[..<keyCount] }

    public func index(_ column: String) -> Int {
        guard let i = columns.firstIndex(of: column) else { preconditionFailure("\(name) has no column \(column)") }
        return i
    }

    /// Every projected table, in the order verification compares them.
    public static let all: [ProjectedTable] = definitions.indices.map(ProjectedTable.init)

    /// The tables by ordinal: `all` and the names below follow this order.
    private static let definitions: [Definition] = [
        Definition("departments", key: ["path"], values: ["parent", "name"]),
        Definition("staff", key: ["badge"], values: ["id", "name", "department", "role", "status", "joined_ms", "left_ms", "event_seq"]),
        Definition(
            "cycles", key: ["id"],
            values: ["title", "course_id", "blueprint_id", "departments", "roles", "opens", "due", "time_zone", "created_ms"]),
        Definition("exemptions", key: ["cycle_id", "badge"], values: ["reason", "granted_by", "granted_ms", "event_seq"]),
        Definition("progress", key: ["cycle_id", "badge", "item_id"], values: ["finished_ms", "event_seq"]),
        Definition(
            "attempts", key: ["id"],
            values: [
                "badge", "cycle_id", "number", "blueprint_id", "blueprint_version", "bank_hash", "seed", "paper", "question_ids",
                "started_ms", "time_limit_s", "state", "submitted_ms", "end_reason", "score", "max_score", "passed", "event_seq",
            ], digests: ["paper"]),
        Definition("answers", key: ["attempt_id", "question_key"], values: ["response", "saved_ms", "revision"]),
        Definition(
            "grades", key: ["attempt_id", "ordinal"],
            values: ["report", "score", "max_score", "passed", "graded_ms", "reason", "is_regrade", "event_seq"], digests: ["report"]),
        Definition("spot_checks", key: ["id"], values: ["cycle_id", "seed", "percent", "inspectors", "drawn_ms"]),
        Definition("spot_check_selections", key: ["spot_check_id", "badge"], values: ["cycle_id"]),
        Definition("hall_codes", key: ["cycle_id", "badge"], values: ["salt", "hash", "rounds", "issued_ms", "event_seq"]),
        Definition("hall_keys", key: ["badge", "fingerprint"], values: ["public_key", "added_ms", "event_seq"]),
    ]

    public static let departments = all[0]
    /// Keyed by badge (unique); `id` is the row id, assigned in the order people were added.
    public static let staff = all[1]
    public static let cycles = all[2]
    public static let exemptions = all[3]
    public static let progress = all[4]
    public static let attempts = all[5]
    public static let answers = all[6]
    public static let grades = all[7]
    public static let spotChecks = all[8]
    public static let spotCheckSelections = all[9]
    /// An exam-hall code's slow salted hash (the code itself is never stored anywhere).
    public static let hallCodes = all[10]
    /// An SSH public key allowed to log in to the hall as a badge.
    public static let hallKeys = all[11]
}

/// Cells as bytes: a storage-class tag, then the value (text and blobs length-prefixed, a digest
/// as its 64 hex digits). Replay keeps every row this way — far smaller than `[Cell]` — and
/// compares a stored row by encoding it the same way.
enum CellCoding {
    static func encode(_ cells: ArraySlice<Cell>, into bytes: inout [UInt8]) {
        for c in cells {
            switch c {
            case .null: bytes.append(0)
            case let .int(i):
                bytes.append(1)
                withUnsafeBytes(of: i.littleEndian) { bytes.append(contentsOf: $0) }
            case let .real(d):
                bytes.append(2)
                withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case let .text(s):
                bytes.append(3)
                var s = s
                s.withUTF8 { buf in
                    withUnsafeBytes(of: UInt32(buf.count).littleEndian) { bytes.append(contentsOf: $0) }
                    bytes.append(contentsOf: buf)
                }
            case let .bytes(d):
                bytes.append(4)
                withUnsafeBytes(of: UInt32(d.count).littleEndian) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: d)
            case let .digest(h):
                bytes.append(5)
                var h = h
                h.withUTF8 { buf in
                    withUnsafeBytes(of: UInt32(buf.count).littleEndian) { bytes.append(contentsOf: $0) }
                    bytes.append(contentsOf: buf)
                }
            case .unknown: bytes.append(6)
            }
        }
    }

    static func encode(_ cells: ArraySlice<Cell>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        encode(cells, into: &bytes)
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> [Cell] {
        var cells: [Cell] = []
        var i = 0
        func fixed() -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[i + k]) << (8 * k) }
            i += 8
            return v
        }
        func counted() -> ArraySlice<UInt8> {
            var n = 0
            for k in 0..<4 { n |= Int(bytes[i + k]) << (8 * k) }
            i += 4
            defer { i += n }
            return bytes[i..<(i + n)]
        }
        while i < bytes.count {
            let tag = bytes[i]
            i += 1
            switch tag {
            case 0: cells.append(.null)
            case 1: cells.append(.int(Int64(bitPattern: fixed())))
            case 2: cells.append(.real(Double(bitPattern: fixed())))
            case 3: cells.append(.text(String(decoding: counted(), as: UTF8.self)))
            case 4: cells.append(.bytes(Data(counted())))
            case 5: cells.append(.digest(String(decoding: counted(), as: UTF8.self)))
            default: cells.append(.unknown)
            }
        }
        return cells
    }
}

/// A row's key as bytes, hashed and compared as bytes: replay looks up a key for every event,
/// and hashing `[Cell]` dominated it.
struct RowKey: Hashable {
    let bytes: [UInt8]

    init(_ cells: ArraySlice<Cell>) { bytes = CellCoding.encode(cells) }
    init(_ cells: [Cell]) { self.init(cells[...]) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// A change to one projected row.
public enum RowChange: Sendable {
    /// A new row; an existing row with the same key is an error.
    case insert(ProjectedTable, [Cell])
    /// A new row unless one with the same key exists (then nothing).
    case insertIfAbsent(ProjectedTable, [Cell])
    /// The whole row, new or replacing the one with the same key.
    case upsert(ProjectedTable, [Cell])
    /// Some columns of an existing row.
    case update(ProjectedTable, key: [Cell], set: [(column: Int, value: Cell)])
    /// Removes an existing row.
    case delete(ProjectedTable, key: [Cell])
}
