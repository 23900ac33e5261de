import Foundation

/// The exam hall's store, once for both backends: codes and keys are events (their rows the
/// projection), failures and live sessions plain rows shared by the server and `hall status`.
extension SQLStore {
    public func issueHallCodes(_ codes: [HallCodeHash], reissue: Bool, at: Date) throws {
        try writing { _, records in
            for c in codes {
                // The row (salt, hash, rounds; issued at the event's time) is the event's projection.
                try records.record(
                    .hallCodeIssued, at: at, badge: c.badge, cycleID: c.cycleID,
                    payload: .object([
                        "kdf": .string(HallCodeKDF.name), "rounds": .int(Int64(c.rounds)),
                        "salt": .string(HallCodeKDF.hex(c.salt)), "hash": .string(HallCodeKDF.hex(c.hash)),
                        "reissue": .bool(reissue),
                    ]))
            }
        }
    }

    @discardableResult
    public func revokeHallCodes(cycleID: String, badges: [String]?, at: Date) throws -> [String] {
        try writing { sql, records in
            let existing = try sql.rows("SELECT badge FROM hall_codes WHERE cycle_id = $1 ORDER BY badge", [.text(cycleID)])
                .compactMap { $0[0].textValue }
            let targets = badges.map { wanted in existing.filter { Set(wanted).contains($0) } } ?? existing
            for badge in targets {
                try records.record(.hallCodeRevoked, at: at, badge: badge, cycleID: cycleID, payload: .object([:]))
            }
            return targets
        }
    }

    public func hallCodes(badge: String) throws -> [HallCodeHash] {
        try reading { sql in
            try sql.rows(
                "SELECT cycle_id, badge, salt, hash, rounds, issued_ms FROM hall_codes WHERE badge = $1 ORDER BY cycle_id",
                [.text(badge)]
            ).map { r in
                HallCodeHash(
                    cycleID: r[0].textValue ?? "", badge: r[1].textValue ?? "", salt: r[2].dataValue ?? Data(),
                    hash: r[3].dataValue ?? Data(), rounds: Int(r[4].intValue ?? 0), issuedAt: Millis.date(r[5].intValue ?? 0))
            }
        }
    }

    public func hallCodeCount(cycleID: String) throws -> Int {
        try reading { sql in
            Int(try sql.value("SELECT count(*) FROM hall_codes WHERE cycle_id = $1", [.text(cycleID)]).intValue ?? 0)
        }
    }

    @discardableResult
    public func addHallKey(_ key: HallKey) throws -> Bool {
        try writing { sql, records in
            if try sql.exists(
                "SELECT 1 FROM hall_keys WHERE badge = $1 AND fingerprint = $2", [.text(key.badge), .text(key.fingerprint)])
            {
                return false
            }
            try records.record(
                .staffKeyAdded, at: key.addedAt, badge: key.badge, cycleID: nil,
                payload: .object(["fingerprint": .string(key.fingerprint), "key": .string(key.publicKey)]))
            return true
        }
    }

    public func hallKeys(badge: String) throws -> [HallKey] {
        try reading { sql in
            try sql.rows(
                "SELECT badge, fingerprint, public_key, added_ms FROM hall_keys WHERE badge = $1 ORDER BY added_ms, fingerprint",
                [.text(badge)]
            ).map { r in
                HallKey(
                    badge: r[0].textValue ?? "", fingerprint: r[1].textValue ?? "", publicKey: r[2].textValue ?? "",
                    addedAt: Millis.date(r[3].intValue ?? 0))
            }
        }
    }

    // MARK: Operational rows (outside the chain)

    public func recordHallFailure(badge: String, source: String, reason: String, at: Date) throws {
        try writingRows { sql in
            _ = try sql.change(
                "INSERT INTO hall_failures (at_ms, badge, source, reason) VALUES ($1, $2, $3, $4)",
                [.int(Millis.from(at)), .text(String(badge.prefix(64))), .text(source), .text(reason)])
        }
    }

    public func hallFailureCount(badge: String, since: Date) throws -> Int {
        try reading { sql in
            Int(
                try sql.value(
                    "SELECT count(*) FROM hall_failures WHERE badge = $1 AND at_ms >= $2",
                    [.text(String(badge.prefix(64))), .int(Millis.from(since))]
                ).intValue ?? 0)
        }
    }

    public func hallFailures(since: Date) throws -> [HallFailure] {
        try reading { sql in
            try sql.rows(
                "SELECT at_ms, badge, source, reason FROM hall_failures WHERE at_ms >= $1 ORDER BY at_ms, id",
                [.int(Millis.from(since))]
            ).map { r in
                HallFailure(
                    at: Millis.date(r[0].intValue ?? 0), badge: r[1].textValue ?? "", source: r[2].textValue ?? "",
                    reason: r[3].textValue ?? "")
            }
        }
    }

    public func upsertHallSessions(_ rows: [HallSessionRow]) throws {
        // One row per badge (the last given wins): a statement may not update a row twice.
        var latest: [String: HallSessionRow] = [:]
        for r in rows { latest[r.badge] = r }
        let unique = latest.values.sorted { $0.badge < $1.badge }
        guard !unique.isEmpty else { return }
        try writingRows { sql in
            // Multi-row statements (11 values a row, within both engines' parameter limits):
            // one round trip for a few hundred officers' progress on a server.
            for start in stride(from: 0, to: unique.count, by: 500) {
                let chunk = unique[start..<min(unique.count, start + 500)]
                var binds: [Cell] = []
                binds.reserveCapacity(chunk.count * 11)
                var values: [String] = []
                for s in chunk {
                    let n = binds.count
                    values.append("(" + (1...11).map { "$\(n + $0)" }.joined(separator: ", ") + ", NULL)")
                    binds += [
                        .text(s.badge), s.cycleID.map(Cell.text) ?? .null, .text(s.source), .int(Int64(s.serverPID)),
                        .int(Millis.from(s.connectedAt)), .int(Millis.from(s.updatedAt)), .text(s.state.rawValue),
                        .optionalInt(s.question.map(Int64.init)), .optionalInt(s.questionCount.map(Int64.init)),
                        .optionalInt(s.answered.map(Int64.init)), .optionalInt(s.deadline.map(Millis.from)),
                    ]
                }
                _ = try sql.change(
                    """
                    INSERT INTO hall_sessions (badge, cycle_id, source, server_pid, connected_ms, updated_ms, state,
                        question, question_count, answered, deadline_ms, kick_ms)
                    VALUES \(values.joined(separator: ", "))
                    ON CONFLICT (badge) DO UPDATE SET cycle_id = excluded.cycle_id, source = excluded.source,
                        server_pid = excluded.server_pid, connected_ms = excluded.connected_ms,
                        updated_ms = excluded.updated_ms, state = excluded.state, question = excluded.question,
                        question_count = excluded.question_count, answered = excluded.answered,
                        deadline_ms = excluded.deadline_ms,
                        kick_ms = CASE WHEN excluded.connected_ms = hall_sessions.connected_ms
                            THEN hall_sessions.kick_ms ELSE NULL END
                    """, binds)
            }
        }
    }

    private static var sessionColumns: String {
        """
        SELECT badge, cycle_id, source, server_pid, connected_ms, updated_ms, state, question, question_count,
            answered, deadline_ms, kick_ms FROM hall_sessions
        """
    }

    private static func hallSession(_ r: [Cell]) -> HallSessionRow {
        HallSessionRow(
            badge: r[0].textValue ?? "", cycleID: r[1].textValue, source: r[2].textValue ?? "",
            serverPID: Int32(truncatingIfNeeded: r[3].intValue ?? 0), connectedAt: Millis.date(r[4].intValue ?? 0),
            updatedAt: Millis.date(r[5].intValue ?? 0),
            state: r[6].textValue.flatMap(HallSessionRow.State.init(rawValue:)) ?? .disconnected,
            question: r[7].intValue.map(Int.init), questionCount: r[8].intValue.map(Int.init),
            answered: r[9].intValue.map(Int.init), deadline: Millis.date(r[10].intValue), kickAt: Millis.date(r[11].intValue))
    }

    public func hallSessions() throws -> [HallSessionRow] {
        try reading { sql in try sql.rows(Self.sessionColumns + " ORDER BY badge", []).map(Self.hallSession) }
    }

    public func hallSession(badge: String) throws -> HallSessionRow? {
        try reading { sql in try sql.row(Self.sessionColumns + " WHERE badge = $1", [.text(badge)]).map(Self.hallSession) }
    }

    public func requestHallKick(badge: String, at: Date) throws -> Bool {
        try writingRows { sql in
            try sql.change(
                "UPDATE hall_sessions SET kick_ms = $1 WHERE badge = $2 AND state = 'connected'",
                [.int(Millis.from(at)), .text(badge)]) > 0
        }
    }

    public func closeHallSessions(at: Date) throws {
        try writingRows { sql in
            _ = try sql.change(
                "UPDATE hall_sessions SET state = 'disconnected', updated_ms = $1 WHERE state = 'connected'",
                [.int(Millis.from(at))])
        }
    }
}
