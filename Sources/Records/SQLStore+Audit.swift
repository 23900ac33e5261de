import Foundation

/// The chain's head and `audit verify`, once for both backends.
extension SQLStore {
    public func verifyChain() throws -> ChainVerification { try verifyChain(replay: true) }

    /// With `replay` false only the hashes are recomputed (`audit verify --chain-only`).
    public func verifyChain(replay: Bool) throws -> ChainVerification {
        try reading { try ChainVerifier.verify(SQLChainSource(sql: $0), replay: replay) }
    }

    public func chainHead() throws -> ChainHead {
        try reading { sql in
            let row = try sql.row("SELECT h.seq, h.hash, e.at_ms FROM chain_head h LEFT JOIN events e ON e.seq = h.seq WHERE h.id = 1")
            return ChainHead(
                seq: row?[0].intValue ?? 0, hash: row?[1].textValue ?? EventHash.genesis, at: Millis.date(row?[2].intValue))
        }
    }

    public func event(seq: Int64, hasHash hash: String) throws -> Bool {
        try reading { try $0.exists("SELECT 1 FROM events WHERE seq = $1 AND hash = $2", [.int(seq), .text(hash.lowercased())]) }
    }

    /// The whole store as `audit verify` and `db copy` read it, in one snapshot.
    func readAll(_ body: (any ChainSource) throws -> Void) throws {
        try reading { try body(SQLChainSource(sql: $0)) }
    }
}

/// What `audit verify` and `db copy` read, from either backend.
struct SQLChainSource<SQL: SQLReader>: ChainSource {
    let sql: SQL

    func recordedHead() throws -> (seq: Int64, hash: String)? {
        guard let row = try sql.row("SELECT seq, hash FROM chain_head WHERE id = 1") else { return nil }
        // Checked, not assumed: a retyped head (an edit with sqlite3) must be reported, not crash.
        guard let seq = row[0].intValue, let hash = row[1].textValue else {
            throw StoreError.corrupt(path: sql.location, detail: "chain_head row has the wrong types")
        }
        return (seq, hash)
    }

    func upgradeMarkerSeq() throws -> Int64? {
        try sql.value("SELECT min(seq) FROM events WHERE type = $1", [.text(EventType.storeUpgraded.rawValue)]).intValue
    }

    func forEachEvent(_ body: ([Cell]) throws -> Bool) throws {
        try sql.forEachRow("SELECT seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash FROM events ORDER BY seq", [], body)
    }

    func hasEvent(hash: String) throws -> Bool {
        try sql.exists("SELECT 1 FROM events WHERE hash = $1", [.text(hash)])
    }

    func eventCount() throws -> Int64 { try sql.value("SELECT count(*) FROM events").intValue ?? 0 }

    func forEachStoredRow(_ table: ProjectedTable, _ body: ([Cell]) throws -> Bool) throws {
        try sql.forEachRow(
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY \(table.keyColumns.joined(separator: ", "))",
            [], body)
    }
}
