import Foundation

extension PostgresEducationStore: CopyEndpoint {
    var label: String { target.description }

    func writeAll(label: String, _ body: (any CopySink) throws -> Void) throws {
        try write { s, records in
            try records.sendAll()  // earlier jobs' events count as the target's
            let events = try s.scalar("SELECT count(*) FROM events").intValue ?? 0
            var rows: Int64 = 0
            for t in ProjectedTable.all { rows += try s.scalar("SELECT count(*) FROM \(t.name)").intValue ?? 0 }
            if events > 0 || rows > 0 { throw StoreError.targetNotEmpty(target: label, events: events) }
            let sink = PostgresCopySink(s: s)
            try body(sink)
            try sink.flushAll()
            if let head = sink.head { records.batch.adopt(seq: head.seq, hash: head.hash) }
        }
    }
}

/// Writes copied rows in batches of up to 20,000 (or about 32 MiB of cells), each one
/// `COPY … FROM STDIN` for a login that may copy, else `INSERT … SELECT * FROM unnest(…)` with a
/// whole column per parameter (`PostgresSession.insertRows`), sent without waiting, all inside
/// the copy's one transaction. Memory holds one batch per table, and the few in flight.
final class PostgresCopySink: CopySink {
    private let s: PostgresSession
    private var pending: [String: (columns: [String], rows: [[Cell]], bytes: Int)] = [:]
    private var order: [String] = []
    /// The head `finish` wrote.
    private(set) var head: (seq: Int64, hash: String)?
    private static let eventColumns = ["seq", "at_ms", "type", "badge", "cycle_id", "payload", "prev_hash", "hash"]
    static let batchRows = 20_000
    static let batchBytes = 32 << 20

    init(s: PostgresSession) { self.s = s }

    func event(_ row: [Cell]) throws { try add("events", Self.eventColumns, row) }

    func row(_ t: ProjectedTable, _ row: [Cell]) throws {
        // Events first (all of them), then each table: flush the events before the first row.
        try add(t.name, t.columns, row)
    }

    private func add(_ table: String, _ columns: [String], _ row: [Cell]) throws {
        if pending[table] == nil {
            pending[table] = (columns, [], 0)
            order.append(table)
        }
        pending[table]!.rows.append(row)
        pending[table]!.bytes += row.reduce(8 * row.count) { n, c in
            switch c {
            case let .text(t): n + t.utf8.count
            case let .bytes(b): n + b.count
            default: n
            }
        }
        if pending[table]!.rows.count >= Self.batchRows || pending[table]!.bytes >= Self.batchBytes { try flush(table) }
    }

    private func flush(_ table: String) throws {
        guard let p = pending[table], !p.rows.isEmpty else { return }
        try s.insertRows(table, columns: p.columns, rows: p.rows)
        pending[table]!.rows.removeAll(keepingCapacity: true)
        pending[table]!.bytes = 0
    }

    func flushAll() throws {
        for t in order { try flush(t) }
    }

    func finish(headSeq: Int64, headHash: String) throws {
        try flushAll()
        try s.execute("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1", [.int(headSeq), .text(headHash)])
        head = (headSeq, headHash)
        // Fresh statistics for the planner: a copied store is queried at once (rosters, verify).
        try s.execute("ANALYZE")
    }
}
