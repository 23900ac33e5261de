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
}
