import Foundation
import GRDB

extension SQLiteEducationStore {
    public func createCycle(_ cycle: TrainingCycle) throws {
        let c = try cycle.preparedForCreation()
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cycles WHERE id = ?)", arguments: [c.id]) == true {
                throw StoreError.duplicateCycle(c.id)
            }
            var records = try RecordWriter(db)
            try records.record(.cycleCreated, at: c.createdAt, badge: nil, cycleID: c.id, payload: c.eventPayload)
            try records.finish()
        }
    }

    static func cycle(_ row: Row) -> TrainingCycle {
        let departments =
            CanonicalJSON.parse(row[4]).flatMap { v -> [String]? in
                if case let .array(a) = v { return a.compactMap(\.stringValue) } else { return nil }
            } ?? []
        let roles =
            CanonicalJSON.parse(row[5]).flatMap { v -> [StaffRole]? in
                if case let .array(a) = v {
                    return a.compactMap { $0.stringValue.flatMap(StaffRole.init(rawValue:)) }
                } else {
                    return nil
                }
            } ?? []
        return TrainingCycle(
            id: row[0], title: row[1], courseID: row[2], blueprintID: row[3],
            departments: departments, roles: roles,
            opens: CalendarDay(row[6] as String) ?? CalendarDay(year: 1970, month: 1, day: 1),
            due: CalendarDay(row[7] as String) ?? CalendarDay(year: 1970, month: 1, day: 1),
            timeZoneID: row[8], createdAt: Millis.date(row[9] as Int64))
    }

    static let cycleColumns = "id, title, course_id, blueprint_id, departments, roles, opens, due, time_zone, created_ms"

    static func fetchCycle(_ db: Database, _ id: String) throws -> TrainingCycle? {
        try Row.fetchOne(db, sql: "SELECT \(cycleColumns) FROM cycles WHERE id = ?", arguments: [id]).map(cycle)
    }

    public func cycle(id: String) throws -> TrainingCycle? {
        try read { try Self.fetchCycle($0, id) }
    }

    public func cycles() throws -> [TrainingCycle] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id").map(Self.cycle)
        }
    }

    /// SQL predicate and arguments selecting the cycle's current population from `staff`.
    static func populationFilter(_ cycle: TrainingCycle, department: String?) -> (String, StatementArguments) {
        var clauses = ["status = 'active'"]
        var args = StatementArguments()
        if !cycle.roles.isEmpty {
            clauses.append("role IN (" + cycle.roles.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")")
        }
        if !cycle.departments.isEmpty {
            clauses.append(subtreeClause(column: "department", count: cycle.departments.count))
            args += subtreeArguments(cycle.departments)
        }
        if let department {
            clauses.append(subtreeClause(column: "department", count: 1))
            args += subtreeArguments([DepartmentPath.normalize(department)])
        }
        return (clauses.joined(separator: " AND "), args)
    }

    public func population(cycleID: String, department: String?) throws -> [StaffMember] {
        try read { db in
            guard let cycle = try Self.fetchCycle(db, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            let (filter, args) = Self.populationFilter(cycle, department: department)
            let people = try Row.fetchAll(
                db, sql: "SELECT \(Self.staffColumns) FROM staff WHERE \(filter) ORDER BY department, badge", arguments: args
            ).map(Self.staffMember)
            return DepartmentOrder.regrouped(people) { $0.department }
        }
    }

    public func exempt(cycleID: String, badge: String, reason: String, grantedBy: String, at: Date) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let grantedBy = grantedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid(field: "--reason", detail: "empty / 为空") }
        guard !grantedBy.isEmpty else { throw StoreError.invalid(field: "--by", detail: "empty / 为空") }
        try write { db in
            guard let cycle = try Self.fetchCycle(db, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            guard
                let staff = try Row.fetchOne(
                    db, sql: "SELECT \(Self.staffColumns) FROM staff WHERE badge = ?", arguments: [badge]
                ).map(Self.staffMember)
            else {
                throw StoreError.unknownBadge(badge)
            }
            // Only someone the cycle requires can be excused from it. (A leaver is no longer in
            // the population; exempting them would change nothing.)
            guard cycle.covers(department: staff.department, role: staff.role), staff.status == .active else {
                throw StoreError.notInPopulation(badge: badge, cycleID: cycleID)
            }
            var records = try RecordWriter(db)
            // An attempt in progress ends with the exemption: it can no longer be resumed or submitted.
            if let open = try Int64.fetchOne(
                db, sql: "SELECT id FROM attempts WHERE cycle_id = ? AND badge = ? AND state = 'open'",
                arguments: [cycleID, badge])
            {
                try records.record(
                    .attemptClosed, at: at, badge: badge, cycleID: cycleID,
                    payload: .object(["attempt": .int(open), "reason": .string(AttemptEndReason.exempted.rawValue)]))
            }
            // A second exemption replaces the reason in the table; both stay in the chain.
            try records.record(
                .exemptionGranted, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "grantedBy": .string(grantedBy)]))
            try records.finish()
        }
    }

    /// Withdraws an exemption: the person is back in the cycle's population as before.
    public func revokeExemption(cycleID: String, badge: String, reason: String, revokedBy: String, at: Date) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let revokedBy = revokedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid(field: "--reason", detail: "empty / 为空") }
        guard !revokedBy.isEmpty else { throw StoreError.invalid(field: "--by", detail: "empty / 为空") }
        try write { db in
            guard try Self.fetchCycle(db, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM exemptions WHERE cycle_id = ? AND badge = ?)",
                    arguments: [cycleID, badge]) == true
            else {
                throw StoreError.notExempt(badge: badge, cycleID: cycleID)
            }
            var records = try RecordWriter(db)
            try records.record(
                .exemptionRevoked, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "revokedBy": .string(revokedBy)]))
            try records.finish()
        }
    }

    public func exemption(cycleID: String, badge: String) throws -> Exemption? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = ? AND badge = ?
                    """, arguments: [cycleID, badge]
            ).map(Self.exemption)
        }
    }

    public func exemptions(cycleID: String) throws -> [Exemption] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = ? ORDER BY badge
                    """, arguments: [cycleID]
            ).map(Self.exemption)
        }
    }

    static func exemption(_ row: Row) -> Exemption {
        Exemption(cycleID: row[0], badge: row[1], reason: row[2], grantedBy: row[3], grantedAt: Millis.date(row[4] as Int64))
    }

    // MARK: Study progress

    @discardableResult
    public func recordItemFinished(badge: String, cycleID: String, itemID: String, at: Date) throws -> Bool {
        try write { db in
            guard try Self.fetchCycle(db, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staff WHERE badge = ?)", arguments: [badge]) == true
            else {
                throw StoreError.unknownBadge(badge)
            }
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM progress WHERE cycle_id = ? AND badge = ? AND item_id = ?)",
                arguments: [cycleID, badge, itemID]) == true
            {
                return false
            }
            var records = try RecordWriter(db)
            try records.record(.itemFinished, at: at, badge: badge, cycleID: cycleID, payload: .object(["item": .string(itemID)]))
            try records.finish()
            return true
        }
    }

    public func finishedItems(badge: String, cycleID: String) throws -> [FinishedItem] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT item_id, finished_ms FROM progress WHERE cycle_id = ? AND badge = ? ORDER BY finished_ms, item_id
                    """, arguments: [cycleID, badge]
            ).map { FinishedItem(itemID: $0[0], finishedAt: Millis.date($0[1] as Int64)) }
        }
    }

    // MARK: Spot checks

    @discardableResult
    public func recordSpotCheck(
        cycleID: String, seed: UInt64, percent: Double, selected: [String],
        inspectors: [String], at: Date
    ) throws -> SpotCheck {
        try write { db in
            guard try Self.fetchCycle(db, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            let inspectorsJSON = CanonicalJSON.array(inspectors.map { .string($0) })
            let id = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM spot_checks") ?? 0) + 1
            var records = try RecordWriter(db)
            try records.record(
                .spotCheckDrawn, at: at, badge: nil, cycleID: cycleID,
                payload: .object([
                    "id": .int(id), "seed": .string(String(seed)), "percent": .double(percent),
                    "selected": .array(selected.map { .string($0) }), "inspectors": inspectorsJSON,
                ]))
            try records.finish()
            return SpotCheck(
                id: id, cycleID: cycleID, seed: seed, percent: percent, selected: selected,
                inspectors: inspectors, drawnAt: at)
        }
    }

    public func spotChecks(cycleID: String) throws -> [SpotCheck] {
        try read { db in try Self.fetchSpotChecks(db, where: "s.cycle_id = ?", [cycleID]) }
    }

    static func fetchSpotChecks(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [SpotCheck] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT s.id, s.cycle_id, s.seed, s.percent, s.inspectors, s.drawn_ms,
                       (SELECT json_group_array(badge) FROM spot_check_selections x WHERE x.spot_check_id = s.id)
                FROM spot_checks s WHERE \(clause) ORDER BY s.id
                """, arguments: args)
        return rows.map { row in
            func strings(_ text: String?) -> [String] {
                guard let text, case let .array(a)? = CanonicalJSON.parse(text) else { return [] }
                return a.compactMap(\.stringValue)
            }
            return SpotCheck(
                id: row[0], cycleID: row[1], seed: UInt64(row[2] as String) ?? 0, percent: row[3],
                selected: strings(row[6]), inspectors: strings(row[4]), drawnAt: Millis.date(row[5] as Int64))
        }
    }
}
