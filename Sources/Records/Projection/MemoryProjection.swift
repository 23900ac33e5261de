import Crypto
import Foundation
import Localization

/// The projected tables held in memory: what `audit verify` rebuilds from the chain alone.
public final class MemoryProjection: ProjectionState {
    /// Per table, key → the row encoded by `CellCoding`.
    private var tables: [[RowKey: [UInt8]]]
    private var staffCount: Int64 = 0
    private var gradeCounts: [Int64: Int64] = [:]
    private let departments = DepartmentRowsCache()
    /// Legacy events that lacked a field replay needs, and the fields, for the one-line note.
    public private(set) var incompleteEvents: Int64 = 0
    public private(set) var firstIncomplete: (seq: Int64, type: String, fields: [String])?

    public init() {
        tables = Array(repeating: [:], count: ProjectedTable.all.count)
    }

    public func row(_ table: ProjectedTable, key: [Cell]) -> [Cell]? {
        tables[table.ordinal][RowKey(key)].map(CellCoding.decode)
    }

    public func nextStaffID() -> Int64 { staffCount + 1 }

    public func departmentRows(_ department: Cell) -> [RowChange] { departments.rows(department) }

    public func nextGradeOrdinal(attemptID: Int64) -> Int64 { (gradeCounts[attemptID] ?? 0) + 1 }

    public func rowCount(_ table: ProjectedTable) -> Int { tables[table.ordinal].count }

    /// Projects one event and applies it.
    public func apply(_ event: RecordedEvent, legacy: Bool) throws {
        let p = try Projector.project(event, state: self, legacy: legacy)
        if !p.missing.isEmpty {
            incompleteEvents += 1
            if firstIncomplete == nil { firstIncomplete = (event.seq, event.type, p.missing) }
        }
        try apply(p.changes, seq: event.seq)
    }

    func apply(_ changes: [RowChange], seq: Int64) throws {
        for change in changes {
            switch change {
            case let .insert(t, row):
                let key = RowKey(row[..<t.keyCount])
                if let old = tables[t.ordinal].updateValue(CellCoding.encode(row[...]), forKey: key) {
                    tables[t.ordinal][key] = old
                    throw ProjectionError(seq: seq, detail: "\(t.name) row \(Self.describe(t, Array(row[..<t.keyCount]))) written twice")
                }
                counted(t, row)
            case let .insertIfAbsent(t, row):
                let key = RowKey(row[..<t.keyCount])
                if tables[t.ordinal].index(forKey: key) == nil {
                    tables[t.ordinal][key] = CellCoding.encode(row[...])
                    counted(t, row)
                }
            case let .upsert(t, row):
                tables[t.ordinal][RowKey(row[..<t.keyCount])] = CellCoding.encode(row[...])
            case let .update(t, key, set):
                let k = RowKey(key)
                guard let index = tables[t.ordinal].index(forKey: k) else {
                    throw ProjectionError(seq: seq, detail: "\(t.name) row \(Self.describe(t, key)) does not exist")
                }
                var row = CellCoding.decode(tables[t.ordinal].values[index])
                for (column, value) in set { row[column] = value }
                tables[t.ordinal].values[index] = CellCoding.encode(row[...])
            case let .delete(t, key):
                guard tables[t.ordinal].removeValue(forKey: RowKey(key)) != nil else {
                    throw ProjectionError(seq: seq, detail: "\(t.name) row \(Self.describe(t, key)) does not exist")
                }
            }
        }
    }

    private func counted(_ t: ProjectedTable, _ row: [Cell]) {
        if t.ordinal == ProjectedTable.staff.ordinal { staffCount += 1 }
        if t.ordinal == ProjectedTable.grades.ordinal, let a = row[0].intValue { gradeCounts[a, default: 0] += 1 }
    }

    static func describe(_ t: ProjectedTable, _ key: [Cell]) -> String {
        zip(t.keyColumns, key).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    // MARK: Comparison

    /// Compares the stored rows of `table` (in key order) with the replayed ones; the first
    /// difference, or nil. Consumes the replayed table. `unverifiable` counts `.unknown` cells.
    public func compare(
        _ table: ProjectedTable, stored: (_ body: ([Cell]) throws -> Bool) throws -> Void,
        unverifiable: inout Int64
    ) throws -> ReplayDifference? {
        let i = table.ordinal
        var difference: ReplayDifference?
        var unknown: Int64 = 0
        var matched = 0
        // Look up, never delete: removing 1,000,000 entries one by one cost more than the lookups.
        try stored { row in
            let key = RowKey(row[..<table.keyCount])
            guard let encoded = tables[i][key] else {
                difference = .extraRow(table: table.name, key: Self.describe(table, Array(row[..<table.keyCount])))
                return false
            }
            matched += 1
            // Fast path: the stored row, its blobs replaced by their hashes, encodes to the same bytes.
            var storedCells = row
            for c in table.digestColumns {
                if case let .bytes(b) = storedCells[c] { storedCells[c] = .digest(EventHash.hex(SHA256.hash(data: b))) }
            }
            if CellCoding.encode(storedCells[...]) == encoded { return true }
            let replayed = CellCoding.decode(encoded)
            for c in table.keyCount..<table.columns.count {
                let r = replayed[c], s = row[c]
                if case .unknown = r {
                    unknown += 1
                    continue
                }
                if !Self.matches(stored: s, replayed: r) {
                    difference = .cell(
                        table: table.name, key: Self.describe(table, Array(row[..<table.keyCount])), column: table.columns[c],
                        stored: Self.show(stored: s, replayed: r), replayed: r.description)
                    return false
                }
            }
            return true
        }
        unverifiable += unknown
        if difference == nil, matched < tables[i].count {
            // Some replayed rows are not stored: name the first in key order.
            var seen = Set<RowKey>()
            try stored { row in
                seen.insert(RowKey(row[..<table.keyCount]))
                return true
            }
            if let missing = tables[i].lazy.filter({ !seen.contains($0.key) })
                .map({ Array(CellCoding.decode($0.value)[..<table.keyCount]) })
                .min(by: Self.keyOrder)
            {
                difference = .missingRow(table: table.name, key: Self.describe(table, missing))
            }
        }
        tables[i] = [:]
        return difference
    }

    static func matches(stored: Cell, replayed: Cell) -> Bool {
        if case let .digest(h) = replayed {
            guard case let .bytes(b) = stored else { return false }
            return EventHash.hex(SHA256.hash(data: b)) == h
        }
        return stored == replayed
    }

    private static func show(stored: Cell, replayed: Cell) -> String {
        if case .digest = replayed, case let .bytes(b) = stored {
            return "blob sha256:" + EventHash.hex(SHA256.hash(data: b))
        }
        return stored.description
    }

    /// The order SQLite's binary collation gives keys, so "first" means the same on both sides.
    static func keyOrder(_ a: [Cell], _ b: [Cell]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case let (.int(p), .int(q)) where p != q: return p < q
            case let (.text(p), .text(q)) where !p.utf8.elementsEqual(q.utf8):
                return p.utf8.lexicographicallyPrecedes(q.utf8)
            default: continue
            }
        }
        return false
    }
}

/// The first way the stored tables differ from the replayed chain.
public enum ReplayDifference: Sendable, Hashable {
    /// A column of a row differs.
    case cell(table: String, key: String, column: String, stored: String, replayed: String)
    /// A stored row no event wrote.
    case extraRow(table: String, key: String)
    /// A row the events wrote is not stored.
    case missingRow(table: String, key: String)
    /// The chain itself does not describe a valid history (e.g. an answer to an unknown attempt).
    case invalidEvent(seq: Int64, detail: String)

    public var message: BilingualText {
        switch self {
        case let .cell(table, key, column, stored, replayed):
            BilingualText(
                zh: "表 \(table) 中 \(key) 的列 \(column) 与事件链不符：存储值 \(stored)，重放值 \(replayed)",
                en: "table \(table), row \(key), column \(column) disagrees with the chain: stored \(stored), replayed \(replayed)")
        case let .extraRow(table, key):
            BilingualText(
                zh: "表 \(table) 中的行 \(key) 没有任何事件写入（在链外被添加）",
                en: "table \(table) has row \(key) that no event wrote (added behind the chain's back)")
        case let .missingRow(table, key):
            BilingualText(
                zh: "表 \(table) 缺少事件写入的行 \(key)（在链外被删除）",
                en: "table \(table) lacks row \(key) that the events wrote (deleted behind the chain's back)")
        case let .invalidEvent(seq, detail):
            BilingualText(zh: "事件 #\(seq) 无法重放：\(detail)", en: "event #\(seq) cannot be replayed: \(detail)")
        }
    }
}
