import Foundation
import GRDB
import Localization

/// Copies a whole store between backends (SQLite file ⇄ PostgreSQL database), byte for byte:
/// every event as stored (so every hash, and the head, is the same) and every projected row.
///
/// The source must verify (replay included) before anything is written; the target must be
/// empty; the copy is one transaction on the target, so it is all or nothing; the target is
/// verified (replay included) after it commits and its head must equal the source's.
public enum StoreCopy {
    public struct Progress: Sendable {
        public var events: Int64
        public var totalEvents: Int64

        /// `copied N/M events (P%)`, for a progress line.
        public var message: BilingualText {
            let share = totalEvents > 0 ? Double(events) * 100 / Double(totalEvents) : 100
            let pct = String(format: "%.0f", share)
            return BilingualText(zh: "已复制 \(events)/\(totalEvents) 个事件（\(pct)%）", en: "copied \(events)/\(totalEvents) events (\(pct)%)")
        }
    }

    /// What a finished copy says: the events, the head, and how long it took.
    public static func summary(_ head: ChainHead, elapsed: Duration) -> BilingualText {
        let s = String(format: "%.1f", elapsed.inSeconds)
        return BilingualText(
            zh: "复制完成：\(head.seq) 个事件，链头 \(head.hash)，目标库校验通过（\(s) 秒）",
            en: "copied: \(head.seq) events, head \(head.hash), target verified (\(s) s)")
    }

    /// Returns the target's head. `progress` is called every `every` events and at the end.
    @discardableResult
    public static func copy(
        from source: any EducationStore, to target: any EducationStore, every: Int64 = 50_000,
        progress: (Progress) -> Void = { _ in }
    ) throws -> ChainHead {
        guard let from = source as? any CopyEndpoint, let to = target as? any CopyEndpoint else {
            throw StoreError.invalid(field: "db copy", detail: "unsupported store / 不支持的存储")
        }
        let check = try source.verifyChain()
        if check.problem != nil { throw StoreError.notVerified(detail: check.message) }
        let total = check.eventCount
        try from.readAll { src in
            try to.writeAll(label: to.label) { sink in
                var copied: Int64 = 0
                try src.forEachEvent { row in
                    try sink.event(row)
                    copied += 1
                    if copied % every == 0 { progress(Progress(events: copied, totalEvents: total)) }
                    return true
                }
                for table in ProjectedTable.all {
                    try src.forEachStoredRow(table) { row in
                        try sink.row(table, row)
                        return true
                    }
                }
                guard let head = try src.recordedHead() else { throw StoreError.sqlite(detail: "source has no chain head") }
                try sink.finish(headSeq: head.seq, headHash: head.hash)
                progress(Progress(events: copied, totalEvents: total))
            }
        }
        let after = try target.verifyChain()
        if after.problem != nil { throw StoreError.notVerified(detail: after.message) }
        guard after.head.hash == check.head.hash, after.head.seq == check.head.seq else {
            throw StoreError.sqlite(detail: "copied head \(after.head.hash) differs from the source's \(check.head.hash)")
        }
        return after.head
    }
}

/// A backend a copy can read from and write to.
protocol CopyEndpoint {
    var label: String { get }
    /// Runs `body` over one consistent read of the whole store.
    func readAll(_ body: (any ChainSource) throws -> Void) throws
    /// Runs `body` in one write transaction on an empty store (refused otherwise), committed
    /// when it returns.
    func writeAll(label: String, _ body: (any CopySink) throws -> Void) throws
}

protocol CopySink {
    func event(_ row: [Cell]) throws
    func row(_ table: ProjectedTable, _ row: [Cell]) throws
    func finish(headSeq: Int64, headHash: String) throws
}

extension SQLiteEducationStore: CopyEndpoint {
    var label: String { path }

    func writeAll(label: String, _ body: (any CopySink) throws -> Void) throws {
        try write { db in
            let events = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            var rows: Int64 = 0
            for t in ProjectedTable.all { rows += try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(t.name)") ?? 0 }
            if events > 0 || rows > 0 { throw StoreError.targetNotEmpty(target: label, events: events) }
            try body(SQLiteCopySink(db: db))
        }
    }
}

final class SQLiteCopySink: CopySink {
    let db: Database
    private var statements: [String: RawStatement] = [:]

    init(db: Database) { self.db = db }

    private func run(_ sql: String, _ cells: [Cell]) throws {
        let stmt: RawStatement
        if let s = statements[sql] { stmt = s } else {
            stmt = try RawStatement(db, sql: sql)
            statements[sql] = stmt
        }
        for (i, c) in cells.enumerated() { try stmt.bind(Int32(i + 1), c, blobs: [:]) }
        try stmt.run()
    }

    func event(_ row: [Cell]) throws {
        try run(
            "INSERT INTO events (seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
    }

    func row(_ t: ProjectedTable, _ row: [Cell]) throws {
        try run(
            "INSERT INTO \(t.name) (\(t.columns.joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: t.columns.count).joined(separator: ", ") + ")", row)
    }

    func finish(headSeq: Int64, headHash: String) throws {
        try db.execute(sql: "UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1", arguments: [headSeq, headHash])
    }
}
