import Foundation

/// Standings and the education record, once for both backends. The roster streams through each
/// backend's own cursor (`forEachRosterRow`: SQLiteEducationStore+Roster, PostgresEducationStore+Roster).
extension SQLStore {
    /// `number, started_ms, submitted_ms, score, passed, max_score`.
    static func outcome(_ r: [Cell]) -> AttemptOutcome {
        AttemptOutcome(
            number: Int(r[0].intValue ?? 0), startedAt: Millis.date(r[1].intValue ?? 0), submittedAt: Millis.date(r[2].intValue),
            score: r[3].realValue, passed: r[4].intValue.map { $0 == 1 }, maxScore: r[5].realValue)
    }

    public func standing(badge: String, cycleID: String, rule: CompletionRule, now: Date) throws -> CycleStanding {
        try reading { sql in
            guard let cycle = try Self.fetchCycle(sql, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            return try Self.standing(sql, badge: badge, cycle: cycle, rule: rule, now: now)
        }
    }

    static func standing(_ sql: some SQLReader, badge: String, cycle: TrainingCycle, rule: CompletionRule, now: Date) throws
        -> CycleStanding
    {
        let who: [Cell] = [.text(cycle.id), .text(badge)]
        let attempts = try sql.rows(
            "SELECT number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = $1 AND badge = $2", who
        ).map(outcome)
        let reason = try sql.value("SELECT reason FROM exemptions WHERE cycle_id = $1 AND badge = $2", who).textValue
        return CycleStatusRules.standing(
            requiredItemIDs: rule.requiredItemIDs, finished: try finished(sql, badge: badge, cycleID: cycle.id),
            attempts: attempts, maxAttempts: rule.maxAttempts, counting: rule.counting, exemptionReason: reason,
            windowEnd: cycle.windowEnd, now: now)
    }

    public func educationRecord(badge: String, rules: [String: CompletionRule], now: Date) throws -> EducationRecord {
        try reading { sql in
            guard let staff = try Self.fetchStaff(sql, badge: badge) else { throw StoreError.unknownBadge(badge) }
            let changes = try sql.rows(
                """
                SELECT seq, at_ms, type, payload FROM events WHERE badge = $1 AND type IN ('staff.added', 'staff.updated', 'staff.inactivated')
                ORDER BY seq
                """, [.text(badge)]
            ).map { r in
                StaffChange.from(
                    eventSeq: r[0].intValue ?? 0, atMillis: r[1].intValue ?? 0, type: r[2].textValue ?? "", payload: r[3].textValue ?? "")
            }
            let attempts = try Self.fetchAttempts(sql, where: "badge = $1", [.text(badge)])
            var cycleIDs = Set(attempts.map(\.cycleID))
            for query in [
                "SELECT DISTINCT cycle_id FROM progress WHERE badge = $1", "SELECT cycle_id FROM exemptions WHERE badge = $1",
                "SELECT cycle_id FROM spot_check_selections WHERE badge = $1",
            ] {
                cycleIDs.formUnion(try sql.rows(query, [.text(badge)]).compactMap { $0[0].textValue })
            }
            var histories: [CycleHistory] = []
            for cycle in try sql.rows("SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id", []).map(Self.cycle) {
                let inPopulation = staff.status == .active && cycle.covers(department: staff.department, role: staff.role)
                guard inPopulation || cycleIDs.contains(cycle.id) else { continue }
                let who: [Cell] = [.text(cycle.id), .text(badge)]
                let exemption = try sql.row(Self.exemptionColumns + " WHERE cycle_id = $1 AND badge = $2", who).map(Self.exemption)
                let checks = try Self.fetchSpotChecks(
                    sql, where: "s.cycle_id = $1 AND s.id IN (SELECT spot_check_id FROM spot_check_selections WHERE badge = $2)", who)
                let standing = try rules[cycle.id].map { try Self.standing(sql, badge: badge, cycle: cycle, rule: $0, now: now) }
                histories.append(
                    CycleHistory(
                        cycle: cycle, inPopulation: inPopulation, finished: try Self.finished(sql, badge: badge, cycleID: cycle.id),
                        attempts: attempts.filter { $0.cycleID == cycle.id }, exemption: exemption, spotChecks: checks,
                        standing: standing))
            }
            return EducationRecord(staff: staff, staffChanges: changes, cycles: histories)
        }
    }
}

extension StaffChange {
    /// A staff event as a change in the education record (one reading for every backend).
    static func from(eventSeq: Int64, atMillis: Int64, type: String, payload text: String) -> StaffChange {
        let payload = CanonicalJSON.parse(text) ?? .null
        var fields: [String: [String]] = [:]
        if case let .object(c)? = payload["changes"] {
            for (k, v) in c { if case let .array(pair) = v { fields[k] = pair.compactMap(\.stringValue) } }
        } else if case let .object(d) = payload {
            for k in ["name", "department", "role", "status"] { if let v = d[k]?.stringValue { fields[k] = [v] } }
        }
        return StaffChange(
            eventSeq: eventSeq, at: Millis.date(atMillis), kind: String(type.dropFirst("staff.".count)), changes: fields,
            source: payload["source"]?.stringValue ?? "")
    }
}
