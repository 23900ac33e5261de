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

/// Writes copied rows as multi-row INSERTs of up to ~1,000 rows (bounded by the protocol's
/// 65,535 parameters), all inside the copy's one transaction.
final class PostgresCopySink: CopySink {
    private let s: PostgresSession
    private var pending: [String: (columns: [String], rows: [[Cell]])] = [:]
    private var order: [String] = []
    /// The head `finish` wrote.
    private(set) var head: (seq: Int64, hash: String)?
    private static let eventColumns = ["seq", "at_ms", "type", "badge", "cycle_id", "payload", "prev_hash", "hash"]

    init(s: PostgresSession) { self.s = s }

    func event(_ row: [Cell]) throws { try add("events", Self.eventColumns, row) }

    func row(_ t: ProjectedTable, _ row: [Cell]) throws {
        // Events first (all of them), then each table: flush the events before the first row.
        try add(t.name, t.columns, row)
    }

    private func add(_ table: String, _ columns: [String], _ row: [Cell]) throws {
        if pending[table] == nil {
            pending[table] = (columns, [])
            order.append(table)
        }
        pending[table]!.rows.append(row)
        if pending[table]!.rows.count >= max(1, 60_000 / columns.count) { try flush(table) }
    }

    private func flush(_ table: String) throws {
        guard let p = pending[table], !p.rows.isEmpty else { return }
        var binds: [Cell] = []
        binds.reserveCapacity(p.rows.count * p.columns.count)
        var values: [String] = []
        values.reserveCapacity(p.rows.count)
        for row in p.rows {
            let base = binds.count
            values.append("(" + (1...p.columns.count).map { "$\(base + $0)" }.joined(separator: ", ") + ")")
            binds += row
        }
        try s.execute("INSERT INTO \(table) (\(p.columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", "), binds)
        pending[table]!.rows.removeAll(keepingCapacity: true)
    }

    func flushAll() throws {
        for t in order { try flush(t) }
    }

    func finish(headSeq: Int64, headHash: String) throws {
        try flushAll()
        try s.execute("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1", [.int(headSeq), .text(headHash)])
        head = (headSeq, headHash)
    }
}
