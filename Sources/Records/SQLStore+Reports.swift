import Foundation

/// Rosters, standings and the education record, once for both backends.
extension SQLStore {
    /// One row per person in the current population, from five set-based queries (population,
    /// progress aggregate, attempts, exemptions, spot-check selections) joined in memory; the
    /// people and the large per-cycle tables are streamed, not loaded whole.
    public func roster(cycleID: String, department: String?, rule: CompletionRule, now: Date) throws -> [RosterRow] {
        try reading { sql in
            guard let cycle = try Self.fetchCycle(sql, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let windowEnd = cycle.windowEnd
            let required = Array(Set(rule.requiredItemIDs)).sorted()

            var progress: [String: RosterProgress] = [:]
            var binds: [Cell] = [.int(Millis.from(windowEnd)), .text(cycleID)]
            let isRequired =
                required.isEmpty
                ? "0 = 1"
                : "item_id IN (" + required.map { binds.append(.text($0)); return "$\(binds.count)" }.joined(separator: ", ") + ")"
            try sql.forEachRow(
                """
                SELECT badge, count(CASE WHEN req AND finished_ms < $1 THEN 1 END),
                       max(CASE WHEN req AND finished_ms < $1 THEN finished_ms END)
                FROM (SELECT badge, finished_ms, \(isRequired) AS req FROM progress WHERE cycle_id = $2) p
                GROUP BY badge
                """, binds
            ) { r in
                progress[r[0].textValue ?? ""] = RosterProgress(done: Int(r[1].intValue ?? 0), last: r[2].intValue, any: true)
                return true
            }
            var attempts: [String: [AttemptOutcome]] = [:]
            try sql.forEachRow(
                """
                SELECT badge, number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = $1
                ORDER BY badge, number
                """, [.text(cycleID)]
            ) { r in
                attempts[r[0].textValue ?? "", default: []].append(Self.outcome(Array(r[1...])))
                return true
            }
            var exemptions: [String: String] = [:]
            for r in try sql.rows("SELECT badge, reason FROM exemptions WHERE cycle_id = $1", [.text(cycleID)]) {
                exemptions[r[0].textValue ?? ""] = r[1].textValue ?? ""
            }
            let spot = Set(
                try sql.rows("SELECT DISTINCT badge FROM spot_check_selections WHERE cycle_id = $1", [.text(cycleID)])
                    .compactMap { $0[0].textValue })
            var filterBinds: [Cell] = []
            let filter = Self.populationFilter(cycle, department: department, binds: &filterBinds)
            let total = Set(rule.requiredItemIDs).count
            var rows: [RosterRow] = []
            try sql.forEachRow("SELECT badge, name, department, role FROM staff WHERE \(filter) ORDER BY department, badge", filterBinds) {
                r in
                let badge = r[0].textValue ?? ""
                let p = progress[badge] ?? RosterProgress()
                let st = CycleStatusRules.standing(
                    requiredDone: p.done, requiredTotal: total, lastRequiredAt: Millis.date(p.last), anyActivity: p.any,
                    attempts: attempts[badge] ?? [], maxAttempts: rule.maxAttempts, counting: rule.counting,
                    exemptionReason: exemptions[badge], windowEnd: windowEnd, now: now)
                rows.append(
                    RosterRow(
                        badge: badge, name: r[1].textValue ?? "", department: r[2].textValue ?? "",
                        role: r[3].textValue.flatMap(StaffRole.init(rawValue:)) ?? .officer, status: st.status,
                        itemsDone: st.itemsDone, itemsTotal: st.itemsTotal, attemptsUsed: st.attemptsUsed,
                        countingScore: st.countingScore, maxScore: st.countingMaxScore, passed: st.passed,
                        completedAt: st.completedAt, exemptionReason: exemptions[badge], spotChecked: spot.contains(badge)))
                return true
            }
            return DepartmentOrder.regrouped(rows) { $0.department }
        }
    }

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

/// A person's required lessons done before the window closed, and the last of them.
private struct RosterProgress {
    var done = 0
    var last: Int64?
    var any = false
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
