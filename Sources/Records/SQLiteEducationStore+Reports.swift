import Foundation
import GRDB

extension SQLiteEducationStore {
    /// Streams the roster through two cursors read in step: the people (with their progress
    /// figures, exemption and spot-check flag from correlated subqueries on the tables' keys) and
    /// their attempts, both ordered by the department's position in `DepartmentOrder`, then badge.
    /// SQLite sorts (spilling to its temporary files as needed); this side holds one person.
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
            guard let cycle = try Self.fetchCycle(db, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let (filter, filterArgs) = Self.populationFilter(cycle, department: department)
            let stream = RosterStream(rule: rule, windowEnd: cycle.windowEnd, now: now)
            // The sort key: each department's position in `DepartmentOrder`, from a function
            // over the population's few hundred paths (SQLite's sorter spills to temporary files).
            let paths = try String.fetchAll(db, sql: "SELECT DISTINCT department FROM staff WHERE \(filter)", arguments: filterArgs)
            let rank = RosterStream.departmentRanks(paths)
            db.add(
                function: DatabaseFunction("academy_department_rank", argumentCount: 1, pure: true) { values in
                    String.fromDatabaseValue(values[0]).flatMap { rank[$0] } ?? Int.max
                })
            let windowEndMs = Millis.from(cycle.windowEnd)
            // `+x.cycle_id`: look selections up by badge, not by scanning the cycle's.
            let people = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.badge, s.name, s.department, s.role,
                      (SELECT count(*) FROM progress p WHERE p.cycle_id = ? AND p.badge = s.badge AND p.finished_ms < ?
                         AND p.item_id IN (SELECT value FROM json_each(?))),
                      (SELECT max(p.finished_ms) FROM progress p WHERE p.cycle_id = ? AND p.badge = s.badge AND p.finished_ms < ?
                         AND p.item_id IN (SELECT value FROM json_each(?))),
                      EXISTS (SELECT 1 FROM progress p WHERE p.cycle_id = ? AND p.badge = s.badge),
                      (SELECT e.reason FROM exemptions e WHERE e.cycle_id = ? AND e.badge = s.badge),
                      EXISTS (SELECT 1 FROM spot_check_selections x WHERE x.badge = s.badge AND +x.cycle_id = ?)
                    FROM staff s
                    WHERE \(filter) ORDER BY academy_department_rank(s.department), s.badge
                    """,
                arguments: [cycleID, windowEndMs, stream.requiredJSON, cycleID, windowEndMs, stream.requiredJSON, cycleID, cycleID, cycleID]
                    + filterArgs)
            let attempts = try Row.fetchCursor(
                db,
                sql: """
                    SELECT a.badge, a.number, a.started_ms, a.submitted_ms, a.score, a.passed, a.max_score
                    FROM attempts a JOIN staff s ON s.badge = a.badge
                    WHERE a.cycle_id = ? AND \(filter) ORDER BY academy_department_rank(s.department), s.badge, a.number
                    """, arguments: [cycleID] + filterArgs)
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

    public func standing(badge: String, cycleID: String, rule: CompletionRule, now: Date) throws -> CycleStanding {
        try read { db in
            guard let cycle = try Self.fetchCycle(db, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            return try Self.standing(db, badge: badge, cycle: cycle, rule: rule, now: now)
        }
    }

    static func standing(_ db: Database, badge: String, cycle: TrainingCycle, rule: CompletionRule, now: Date) throws
        -> CycleStanding
    {
        let finished = try Row.fetchAll(
            db, sql: "SELECT item_id, finished_ms FROM progress WHERE cycle_id = ? AND badge = ?",
            arguments: [cycle.id, badge]
        )
        .map { FinishedItem(itemID: $0[0], finishedAt: Millis.date($0[1] as Int64)) }
        let attempts = try Row.fetchAll(
            db,
            sql: """
                SELECT number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = ? AND badge = ?
                """, arguments: [cycle.id, badge]
        ).map {
            AttemptOutcome(
                number: $0[0], startedAt: Millis.date($0[1] as Int64), submittedAt: Millis.date($0[2] as Int64?),
                score: $0[3], passed: $0[4], maxScore: $0[5])
        }
        let reason = try String.fetchOne(
            db, sql: "SELECT reason FROM exemptions WHERE cycle_id = ? AND badge = ?",
            arguments: [cycle.id, badge])
        return CycleStatusRules.standing(
            requiredItemIDs: rule.requiredItemIDs, finished: finished, attempts: attempts,
            maxAttempts: rule.maxAttempts, counting: rule.counting,
            exemptionReason: reason, windowEnd: cycle.windowEnd, now: now)
    }

    public func educationRecord(badge: String, rules: [String: CompletionRule], now: Date) throws -> EducationRecord {
        try read { db in
            guard
                let staff = try Row.fetchOne(
                    db, sql: "SELECT \(Self.staffColumns) FROM staff WHERE badge = ?",
                    arguments: [badge]
                ).map(Self.staffMember)
            else {
                throw StoreError.unknownBadge(badge)
            }
            let changes = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, at_ms, type, payload FROM events WHERE badge = ? AND type IN ('staff.added', 'staff.updated', 'staff.inactivated')
                    ORDER BY seq
                    """, arguments: [badge]
            ).map { row in
                StaffChange.from(eventSeq: row[0], atMillis: row[1], type: row[2], payload: row[3])
            }
            let attempts = try Self.fetchAttempts(db, where: "badge = ?", [badge])
            var cycleIDs = Set(attempts.map(\.cycleID))
            cycleIDs.formUnion(
                try String.fetchAll(db, sql: "SELECT DISTINCT cycle_id FROM progress WHERE badge = ?", arguments: [badge]))
            cycleIDs.formUnion(
                try String.fetchAll(db, sql: "SELECT cycle_id FROM exemptions WHERE badge = ?", arguments: [badge]))
            cycleIDs.formUnion(
                try String.fetchAll(db, sql: "SELECT cycle_id FROM spot_check_selections WHERE badge = ?", arguments: [badge]))
            let allCycles = try Row.fetchAll(db, sql: "SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id").map(
                Self.cycle)
            var histories: [CycleHistory] = []
            for cycle in allCycles {
                let inPopulation = staff.status == .active && cycle.covers(department: staff.department, role: staff.role)
                guard inPopulation || cycleIDs.contains(cycle.id) else { continue }
                let finished = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT item_id, finished_ms FROM progress WHERE cycle_id = ? AND badge = ? ORDER BY finished_ms, item_id
                        """, arguments: [cycle.id, badge]
                ).map { FinishedItem(itemID: $0[0], finishedAt: Millis.date($0[1] as Int64)) }
                let exemption = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = ? AND badge = ?
                        """, arguments: [cycle.id, badge]
                ).map(Self.exemption)
                let checks = try Self.fetchSpotChecks(
                    db,
                    where: """
                        s.cycle_id = ? AND s.id IN (SELECT spot_check_id FROM spot_check_selections WHERE badge = ?)
                        """, [cycle.id, badge])
                let standing = try rules[cycle.id].map { try Self.standing(db, badge: badge, cycle: cycle, rule: $0, now: now) }
                histories.append(
                    CycleHistory(
                        cycle: cycle, inPopulation: inPopulation, finished: finished,
                        attempts: attempts.filter { $0.cycleID == cycle.id }, exemption: exemption,
                        spotChecks: checks, standing: standing))
            }
            return EducationRecord(staff: staff, staffChanges: changes, cycles: histories)
        }
    }
}
