import Foundation

extension PostgresEducationStore {
    /// One row per person in the current population: the SQLite store's five set-based queries,
    /// with the people streamed through a cursor.
    public func roster(cycleID: String, department: String?, rule: CompletionRule, now: Date) throws -> [RosterRow] {
        try read { s in
            guard let cycle = try Self.fetchCycle(s, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let windowEnd = cycle.windowEnd
            let windowEndMs = Millis.from(windowEnd)
            let required = CanonicalJSON.array(Array(Set(rule.requiredItemIDs)).sorted().map { .string($0) }).text

            struct Progress { var done = 0; var last: Int64?; var any = false }
            var progress: [String: Progress] = [:]
            try s.forEachRow(
                """
                SELECT badge, count(CASE WHEN req AND finished_ms < $1 THEN 1 END),
                       max(CASE WHEN req AND finished_ms < $1 THEN finished_ms END)
                FROM (SELECT badge, finished_ms, item_id IN (SELECT json_array_elements_text($2::json)) AS req
                      FROM progress WHERE cycle_id = $3) p
                GROUP BY badge
                """, [.int(windowEndMs), .text(required), .text(cycleID)]
            ) { r in
                progress[r[0].textValue ?? ""] = Progress(done: Int(r[1].intValue ?? 0), last: r[2].intValue, any: true)
                return true
            }
            var attempts: [String: [AttemptOutcome]] = [:]
            try s.forEachRow(
                """
                SELECT badge, number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = $1
                ORDER BY badge, number
                """, [.text(cycleID)]
            ) { r in
                attempts[r[0].textValue ?? "", default: []].append(Self.outcome(Array(r[1...])))
                return true
            }
            var exemptions: [String: String] = [:]
            for r in try s.query("SELECT badge, reason FROM exemptions WHERE cycle_id = $1", [.text(cycleID)]) {
                exemptions[r[0].textValue ?? ""] = r[1].textValue ?? ""
            }
            let spot = Set(
                try s.query("SELECT DISTINCT badge FROM spot_check_selections WHERE cycle_id = $1", [.text(cycleID)])
                    .compactMap { $0[0].textValue })
            var binds: [Cell] = []
            let filter = Self.populationFilter(cycle, department: department, binds: &binds)
            let total = Set(rule.requiredItemIDs).count
            var rows: [RosterRow] = []
            try s.forEachRow("SELECT badge, name, department, role FROM staff WHERE \(filter) ORDER BY department, badge", binds) { r in
                let badge = r[0].textValue ?? ""
                let p = progress[badge] ?? Progress()
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
            return rows
        }
    }

    /// `number, started_ms, submitted_ms, score, passed, max_score`.
    static func outcome(_ r: [Cell]) -> AttemptOutcome {
        AttemptOutcome(
            number: Int(r[0].intValue ?? 0), startedAt: Millis.date(r[1].intValue ?? 0), submittedAt: Millis.date(r[2].intValue),
            score: r[3].realValue, passed: r[4].intValue.map { $0 == 1 }, maxScore: r[5].realValue)
    }

    public func standing(badge: String, cycleID: String, rule: CompletionRule, now: Date) throws -> CycleStanding {
        try read { s in
            guard let cycle = try Self.fetchCycle(s, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            return try Self.standing(s, badge: badge, cycle: cycle, rule: rule, now: now)
        }
    }

    static func standing(_ s: PostgresSession, badge: String, cycle: TrainingCycle, rule: CompletionRule, now: Date) throws
        -> CycleStanding
    {
        let who: [Cell] = [.text(cycle.id), .text(badge)]
        let finished = try s.query("SELECT item_id, finished_ms FROM progress WHERE cycle_id = $1 AND badge = $2", who)
            .map { FinishedItem(itemID: $0[0].textValue ?? "", finishedAt: Millis.date($0[1].intValue ?? 0)) }
        let attempts = try s.query(
            "SELECT number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = $1 AND badge = $2", who
        ).map(outcome)
        let reason = try s.scalar("SELECT reason FROM exemptions WHERE cycle_id = $1 AND badge = $2", who).textValue
        return CycleStatusRules.standing(
            requiredItemIDs: rule.requiredItemIDs, finished: finished, attempts: attempts, maxAttempts: rule.maxAttempts,
            counting: rule.counting, exemptionReason: reason, windowEnd: cycle.windowEnd, now: now)
    }

    public func educationRecord(badge: String, rules: [String: CompletionRule], now: Date) throws -> EducationRecord {
        try read { s in
            guard let staff = try s.one("SELECT \(Self.staffColumns) FROM staff WHERE badge = $1", [.text(badge)]).map(Self.staffMember)
            else { throw StoreError.unknownBadge(badge) }
            let changes = try s.query(
                """
                SELECT seq, at_ms, type, payload FROM events WHERE badge = $1 AND type IN ('staff.added', 'staff.updated', 'staff.inactivated')
                ORDER BY seq
                """, [.text(badge)]
            ).map { r in
                StaffChange.from(
                    eventSeq: r[0].intValue ?? 0, atMillis: r[1].intValue ?? 0, type: r[2].textValue ?? "", payload: r[3].textValue ?? "")
            }
            let attempts = try Self.fetchAttempts(s, where: "badge = $1", [.text(badge)])
            var cycleIDs = Set(attempts.map(\.cycleID))
            for sql in [
                "SELECT DISTINCT cycle_id FROM progress WHERE badge = $1", "SELECT cycle_id FROM exemptions WHERE badge = $1",
                "SELECT cycle_id FROM spot_check_selections WHERE badge = $1",
            ] {
                cycleIDs.formUnion(try s.query(sql, [.text(badge)]).compactMap { $0[0].textValue })
            }
            var histories: [CycleHistory] = []
            for cycle in try s.query("SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id").map(Self.cycle) {
                let inPopulation = staff.status == .active && cycle.covers(department: staff.department, role: staff.role)
                guard inPopulation || cycleIDs.contains(cycle.id) else { continue }
                let who: [Cell] = [.text(cycle.id), .text(badge)]
                let exemption = try s.one(
                    "SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = $1 AND badge = $2", who
                ).map(Self.exemption)
                let checks = try Self.fetchSpotChecks(
                    s, where: "s.cycle_id = $1 AND s.id IN (SELECT spot_check_id FROM spot_check_selections WHERE badge = $2)", who)
                let standing = try rules[cycle.id].map { try Self.standing(s, badge: badge, cycle: cycle, rule: $0, now: now) }
                histories.append(
                    CycleHistory(
                        cycle: cycle, inPopulation: inPopulation, finished: try Self.finished(s, badge: badge, cycleID: cycle.id),
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
