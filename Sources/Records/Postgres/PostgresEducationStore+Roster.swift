import Foundation

extension PostgresEducationStore {
    /// Streams the roster through one server-side cursor: each person with their progress
    /// figures, exemption, spot-check flag and attempts (`attemptOutcomes`), ordered by the
    /// department's position in `DepartmentOrder`, then badge. The server sorts; this side holds
    /// one fetch batch.
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
                  SELECT badge, array_agg(ARRAY[number, started_ms, submitted_ms, score, passed, max_score]::float8[]) AS list
                  FROM attempts WHERE cycle_id = $1 GROUP BY badge) a ON a.badge = s.badge
                WHERE \(filter) ORDER BY d.ord, s.badge
                """, binds, batch: 20_000
            ) { r in
                try body(
                    stream.row(
                        badge: r[0].textValue ?? "", name: r[1].textValue ?? "", department: r[2].textValue ?? "",
                        role: r[3].textValue ?? "", requiredDone: Int(r[4].intValue ?? 0), lastRequiredMillis: r[5].intValue,
                        anyActivity: r[6].intValue == 1, attempts: try Self.attemptOutcomes(r[9]),
                        exemptionReason: r[7].textValue, spotChecked: r[8].intValue == 1))
                return true
            }
        }
    }

    /// The roster cursor's attempts of one person: a `float8[][]` in PostgreSQL's binary array
    /// format, one `[number, started_ms, submitted_ms, score, passed, max_score]` per attempt
    /// (NULL where the attempt has none yet), in any order; here in attempt order. Every value is
    /// exact as a float8 (numbers, 0/1 and milliseconds are far below 2^53). Sent in binary, an
    /// aggregate with no text to print, order or parse: this runs for every attempt of a roster.
    /// No attempts is NULL (or an empty array); anything of another shape is refused, never read
    /// as no attempts.
    static func attemptOutcomes(_ cell: Cell) throws(StoreError) -> [AttemptOutcome] {
        if case .null = cell { return [] }
        guard case .bytes(let data) = cell, var out = Self.decodeAttempts(data) else {
            throw StoreError.sqlite(detail: "the roster's attempts list is not a float8[][] of six columns: \(cell)")
        }
        out.sort { $0.number < $1.number }
        return out
    }

    /// `attemptOutcomes`' reading of the bytes; nil when they are not that array.
    private static func decodeAttempts(_ data: Data) -> [AttemptOutcome]? {
        data.withUnsafeBytes { raw -> [AttemptOutcome]? in
            var at = 0
            func int32() -> Int32? {
                guard at + 4 <= raw.count else { return nil }
                defer { at += 4 }
                return Int32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self))
            }
            // Header: dimensions (0 for an empty array), has-nulls flag, element type (701 = float8),
            // then size and lower bound per dimension.
            let dimensions = int32()
            if dimensions == 0, raw.count == 12 { return [] }
            guard dimensions == 2, int32() != nil, int32() == 701, let rows = int32(), rows >= 0, int32() != nil,
                int32() == 6, int32() != nil
            else { return nil }
            var out: [AttemptOutcome] = []
            out.reserveCapacity(Int(rows))
            var v: (Double?, Double?, Double?, Double?, Double?, Double?) = (nil, nil, nil, nil, nil, nil)
            for _ in 0..<rows {
                for c in 0..<6 {
                    guard let length = int32() else { return nil }
                    var x: Double? = nil
                    if length == 8, at + 8 <= raw.count {
                        x = Double(bitPattern: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
                        at += 8
                    } else if length != -1 {
                        return nil
                    }
                    switch c {
                    case 0: v.0 = x
                    case 1: v.1 = x
                    case 2: v.2 = x
                    case 3: v.3 = x
                    case 4: v.4 = x
                    default: v.5 = x
                    }
                }
                func ms(_ d: Double?) -> Int64? { d.flatMap { Int64(exactly: $0) } }
                out.append(
                    AttemptOutcome(
                        number: Int(ms(v.0) ?? 0), startedAt: Millis.date(ms(v.1) ?? 0), submittedAt: Millis.date(ms(v.2)),
                        score: v.3, passed: v.4.map { $0 == 1 }, maxScore: v.5))
            }
            return at == raw.count ? out : nil
        }
    }
}
