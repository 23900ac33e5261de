import Foundation
import GRDB

extension SQLiteEducationStore {
    /// Streams the roster through two cursors read in step: the people (with their progress
    /// figures, exemption and spot-check flag from correlated subqueries on the tables' keys) and
    /// their attempts, both ordered by the department's position in `DepartmentOrder`, then badge.
    /// SQLite sorts (spilling to its temporary files as needed); this side holds one person.
    /// The population filter is the one both backends share (`SQLStore.populationFilter`), its
    /// `$n` parameters read as SQLite's numbered `?n`.
    public func forEachRosterRow(
        cycleID: String, department: String?, rule: CompletionRule, now: Date, _ body: (RosterRow) throws -> Void
    ) throws {
        try read { db in
            // SQLite's sorter keeps up to the page cache's size in memory before it spills to
            // temporary files: 16 MiB here (not the 128 MiB imports want), so memory stays flat
            // (set first: the department scan below would fill a larger cache).
            let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA cache_size = -16384")
            defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
            guard let cycle = try Self.fetchCycle(SQLiteSQL(db: db), cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let stream = RosterStream(rule: rule, windowEnd: cycle.windowEnd, now: now)
            var pathBinds: [Cell] = []
            let pathFilter = Self.populationFilter(cycle, department: department, binds: &pathBinds)
            // The sort key: each department's position in `DepartmentOrder`, from a function
            // over the population's few hundred paths.
            var paths: [String] = []
            try SQLiteSQL(db: db).forEachRow("SELECT DISTINCT department FROM staff WHERE \(pathFilter)", pathBinds) {
                paths.append($0[0].textValue ?? "")
                return true
            }
            let rank = RosterStream.departmentRanks(paths)
            db.add(
                function: DatabaseFunction("academy_department_rank", argumentCount: 1, pure: true) { values in
                    String.fromDatabaseValue(values[0]).flatMap { rank[$0] } ?? Int.max
                })
            var peopleBinds: [Cell] = [.text(cycleID), .int(Millis.from(cycle.windowEnd)), .text(stream.requiredJSON)]
            let peopleFilter = Self.populationFilter(cycle, department: department, binds: &peopleBinds)
            // `+x.cycle_id`: look selections up by badge, not by scanning the cycle's.
            let people = try Row.fetchCursor(
                db,
                sql: SQLiteSQL.translate(
                    """
                    SELECT s.badge, s.name, s.department, s.role,
                      (SELECT count(*) FROM progress p WHERE p.cycle_id = $1 AND p.badge = s.badge AND p.finished_ms < $2
                         AND p.item_id IN (SELECT value FROM json_each($3))),
                      (SELECT max(p.finished_ms) FROM progress p WHERE p.cycle_id = $1 AND p.badge = s.badge AND p.finished_ms < $2
                         AND p.item_id IN (SELECT value FROM json_each($3))),
                      EXISTS (SELECT 1 FROM progress p WHERE p.cycle_id = $1 AND p.badge = s.badge),
                      (SELECT e.reason FROM exemptions e WHERE e.cycle_id = $1 AND e.badge = s.badge),
                      EXISTS (SELECT 1 FROM spot_check_selections x WHERE x.badge = s.badge AND +x.cycle_id = $1)
                    FROM staff s
                    WHERE \(peopleFilter) ORDER BY academy_department_rank(s.department), s.badge
                    """),
                arguments: StatementArguments(peopleBinds.map(\.databaseValue)))
            var attemptBinds: [Cell] = [.text(cycleID)]
            let attemptFilter = Self.populationFilter(cycle, department: department, binds: &attemptBinds)
            let attempts = try Row.fetchCursor(
                db,
                sql: SQLiteSQL.translate(
                    """
                    SELECT a.badge, a.number, a.started_ms, a.submitted_ms, a.score, a.passed, a.max_score
                    FROM attempts a JOIN staff s ON s.badge = a.badge
                    WHERE a.cycle_id = $1 AND \(attemptFilter) ORDER BY academy_department_rank(s.department), s.badge, a.number
                    """),
                arguments: StatementArguments(attemptBinds.map(\.databaseValue)))
            var next = try attempts.next()
            while let row = try people.next() {
                let badge: String = row[0]
                var outcomes: [AttemptOutcome] = []
                // Both cursors list the same people in the same order: this person's attempts are next.
                while let a = next, a[0] as String == badge {
                    let submitted: Int64? = a[3]
                    outcomes.append(
                        AttemptOutcome(
                            number: a[1], startedAt: Millis.date(a[2] as Int64), submittedAt: Millis.date(submitted),
                            score: a[4], passed: a[5], maxScore: a[6]))
                    next = try attempts.next()
                }
                try body(
                    stream.row(
                        badge: badge, name: row[1], department: row[2], role: row[3], requiredDone: row[4],
                        lastRequiredMillis: row[5], anyActivity: row[6], attempts: outcomes, exemptionReason: row[7],
                        spotChecked: row[8]))
            }
        }
    }
}

extension Cell {
    /// The value GRDB binds for this cell (blobs by content; a digest or an unknown as its text or NULL).
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let v): v.databaseValue
        case .real(let v): v.databaseValue
        case .text(let v): v.databaseValue
        case .bytes(let v): v.databaseValue
        case .digest(let v): v.databaseValue
        case .unknown: .null
        }
    }
}
