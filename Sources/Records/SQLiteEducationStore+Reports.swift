import Foundation
import GRDB

extension SQLiteEducationStore {
    /// One row per person in the current population, from five set-based queries (population,
    /// progress aggregate, attempts, exemptions, spot-check selections) joined in memory.
    public func roster(cycleID: String, department: String?, rule: CompletionRule, now: Date) throws -> [RosterRow] {
        try read { db in
            guard let cycle = try Self.fetchCycle(db, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let (filter, filterArgs) = Self.populationFilter(cycle, department: department)
            let windowEnd = cycle.windowEnd
            let windowEndMs = Millis.from(windowEnd)
            let required = CanonicalJSON.array(Array(Set(rule.requiredItemIDs)).sorted().map { .string($0) }).text

            struct Progress { var done = 0; var last: Int64?; var any = false }
            var progress: [String: Progress] = [:]
            let progressRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT badge,
                           count(CASE WHEN req AND finished_ms < ? THEN 1 END),
                           max(CASE WHEN req AND finished_ms < ? THEN finished_ms END)
                    FROM (SELECT badge, finished_ms, item_id IN (SELECT value FROM json_each(?)) AS req
                          FROM progress WHERE cycle_id = ?)
                    GROUP BY badge
                    """, arguments: [windowEndMs, windowEndMs, required, cycleID])
            while let row = try progressRows.next() {
                progress[row[0]] = Progress(done: row[1], last: row[2], any: true)
            }

            var attempts: [String: [AttemptOutcome]] = [:]
            let attemptRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT badge, number, started_ms, submitted_ms, score, passed, max_score FROM attempts WHERE cycle_id = ?
                    ORDER BY badge, number
                    """, arguments: [cycleID])
            while let row = try attemptRows.next() {
                let submitted: Int64? = row[3]
                attempts[row[0], default: []].append(
                    AttemptOutcome(
                        number: row[1], startedAt: Millis.date(row[2] as Int64), submittedAt: Millis.date(submitted),
                        score: row[4], passed: row[5], maxScore: row[6]))
            }

            let exemptions = try Dictionary(
                Row.fetchAll(db, sql: "SELECT badge, reason FROM exemptions WHERE cycle_id = ?", arguments: [cycleID])
                    .map { ($0[0] as String, $0[1] as String) }, uniquingKeysWith: { a, _ in a })
            let spot = try String.fetchSet(
                db, sql: "SELECT DISTINCT badge FROM spot_check_selections WHERE cycle_id = ?",
                arguments: [cycleID])

            var rows: [RosterRow] = []
            let total = Set(rule.requiredItemIDs).count
            let people = try Row.fetchCursor(
                db,
                sql: """
                    SELECT badge, name, department, role FROM staff WHERE \(filter) ORDER BY department, badge
                    """, arguments: filterArgs)
            while let row = try people.next() {
                let badge: String = row[0]
                let p = progress[badge] ?? Progress()
                let a = attempts[badge] ?? []
                let s = CycleStatusRules.standing(
                    requiredDone: p.done, requiredTotal: total, lastRequiredAt: Millis.date(p.last), anyActivity: p.any,
                    attempts: a, maxAttempts: rule.maxAttempts, counting: rule.counting,
                    exemptionReason: exemptions[badge], windowEnd: windowEnd, now: now)
                rows.append(
                    RosterRow(
                        badge: badge, name: row[1], department: row[2],
                        role: StaffRole(rawValue: row[3]) ?? .officer, status: s.status,
                        itemsDone: s.itemsDone, itemsTotal: s.itemsTotal, attemptsUsed: s.attemptsUsed,
                        countingScore: s.countingScore, maxScore: s.countingMaxScore, passed: s.passed,
                        completedAt: s.completedAt, exemptionReason: exemptions[badge],
                        spotChecked: spot.contains(badge)))
            }
            return DepartmentOrder.regrouped(rows) { $0.department }
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
