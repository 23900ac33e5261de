import Foundation

extension PostgresEducationStore {
    /// Streams the roster through one server-side cursor: each person with their progress
    /// figures, exemption, spot-check flag and attempts (aggregated as text; PostgreSQL prints a
    /// float8 so that it reads back exactly), ordered by the department's position in
    /// `DepartmentOrder`, then badge. The server sorts; this side holds one fetch batch.
    public func forEachRosterRow(
        cycleID: String, department: String?, rule: CompletionRule, now: Date, _ body: (RosterRow) throws -> Void
    ) throws {
        try read { s in
            guard let cycle = try Self.fetchCycle(s, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let stream = RosterStream(rule: rule, windowEnd: cycle.windowEnd, now: now)
            var binds: [Cell] = [.text(cycleID), .int(Millis.from(cycle.windowEnd)), .text(stream.requiredJSON)]
            let filter = Self.populationFilter(cycle, department: department, binds: &binds)
            var pathBinds: [Cell] = []
            let pathFilter = Self.populationFilter(cycle, department: department, binds: &pathBinds)
            let order = RosterStream.departmentOrderJSON(
                try s.query("SELECT DISTINCT department FROM staff WHERE \(pathFilter)", pathBinds).compactMap { $0[0].textValue })
            binds.append(.text(order))
            let orderBind = binds.count
            // Set-based: each person's figures come from one aggregate per table joined by badge
            // (hash joins; the server spills to disk past work_mem), not a lookup per person.
            // No JIT: compiling the plan costs more than this query saves by it.
            // A cursor is planned for its first 10 % by default; this one is read to the end.
            try s.execute("SET LOCAL jit = off")
            try s.execute("SET LOCAL cursor_tuple_fraction = 1.0")
            try s.forEachRow(
                """
                SELECT s.badge, s.name, s.department, s.role, p.done, p.last, p.badge IS NOT NULL, e.reason,
                  x.badge IS NOT NULL, a.list
                FROM json_array_elements_text($\(orderBind)::json) WITH ORDINALITY AS d(path, ord)
                JOIN staff s ON s.department = d.path
                LEFT JOIN (
                  SELECT badge, count(*) FILTER (WHERE req AND finished_ms < $2) AS done,
                         max(finished_ms) FILTER (WHERE req AND finished_ms < $2) AS last
                  FROM (SELECT badge, finished_ms, item_id IN (SELECT json_array_elements_text($3::json)) AS req
                        FROM progress WHERE cycle_id = $1) q
                  GROUP BY badge) p ON p.badge = s.badge
                LEFT JOIN exemptions e ON e.cycle_id = $1 AND e.badge = s.badge
                LEFT JOIN (SELECT DISTINCT badge FROM spot_check_selections WHERE cycle_id = $1) x ON x.badge = s.badge
                LEFT JOIN (
                  SELECT badge, string_agg(number || ',' || started_ms || ',' || coalesce(submitted_ms::text, '') || ','
                           || coalesce(score::text, '') || ',' || coalesce(passed::text, '') || ','
                           || coalesce(max_score::text, ''), ';' ORDER BY number) AS list
                  FROM attempts WHERE cycle_id = $1 GROUP BY badge) a ON a.badge = s.badge
                WHERE \(filter) ORDER BY d.ord, s.badge
                """, binds, batch: 20_000
            ) { r in
                try body(
                    stream.row(
                        badge: r[0].textValue ?? "", name: r[1].textValue ?? "", department: r[2].textValue ?? "",
                        role: r[3].textValue ?? "", requiredDone: Int(r[4].intValue ?? 0), lastRequiredMillis: r[5].intValue,
                        anyActivity: r[6].intValue == 1, attempts: Self.outcomes(r[9].textValue),
                        exemptionReason: r[7].textValue, spotChecked: r[8].intValue == 1))
                return true
            }
        }
    }

    /// The roster cursor's attempts text: `number,started,submitted,score,passed,max` joined by
    /// `;` (empty field = NULL). Read byte by byte: this runs for every attempt of a roster.
    static func outcomes(_ text: String?) -> [AttemptOutcome] {
        guard let text, !text.isEmpty else { return [] }
        var out: [AttemptOutcome] = []
        var fields: [Substring] = []
        fields.reserveCapacity(6)
        let utf8 = text.utf8
        var start = utf8.startIndex
        func field(_ end: String.UTF8View.Index) { fields.append(Substring(utf8[start..<end])) }
        func attempt() {
            guard fields.count == 6 else { fields.removeAll(keepingCapacity: true); return }
            out.append(
                AttemptOutcome(
                    number: Int(fields[0]) ?? 0, startedAt: Millis.date(Int64(fields[1]) ?? 0),
                    submittedAt: Millis.date(Int64(fields[2])), score: Double(fields[3]),
                    passed: Int64(fields[4]).map { $0 == 1 }, maxScore: Double(fields[5])))
            fields.removeAll(keepingCapacity: true)
        }
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: ",") || b == UInt8(ascii: ";") {
                field(i)
                start = utf8.index(after: i)
                if b == UInt8(ascii: ";") { attempt() }
            }
            i = utf8.index(after: i)
        }
        field(utf8.endIndex)
        attempt()
        return out
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
