import Foundation
import GRDB

extension SQLiteEducationStore {
    public func createCycle(_ cycle: TrainingCycle) throws {
        var cycle = cycle
        cycle.departments = cycle.departments.map(DepartmentPath.normalize).filter { !$0.isEmpty }
        guard !cycle.id.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid(field: "id", detail: "empty / 为空")
        }
        guard cycle.opens <= cycle.due else {
            throw StoreError.invalid(field: "due", detail: "\(cycle.due) is before opens \(cycle.opens) / 截止日期早于开始日期")
        }
        let c = cycle
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cycles WHERE id = ?)", arguments: [c.id]) == true {
                throw StoreError.duplicateCycle(c.id)
            }
            let departments = CanonicalJSON.array(c.departments.map { .string($0) })
            let roles = CanonicalJSON.array(c.roles.map { .string($0.rawValue) })
            try db.execute(
                sql: """
                    INSERT INTO cycles (id, title, course_id, blueprint_id, departments, roles, opens, due, time_zone, created_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.id, c.title, c.courseID, c.blueprintID, departments.text, roles.text,
                    c.opens.description, c.due.description, c.timeZoneID, Millis.from(c.createdAt),
                ])
            var events = try EventWriter(db)
            try events.append(
                .cycleCreated, at: c.createdAt, badge: nil, cycleID: c.id,
                payload: .object([
                    "title": .string(c.title), "course": .string(c.courseID), "blueprint": .string(c.blueprintID),
                    "departments": departments, "roles": roles, "opens": .string(c.opens.description),
                    "due": .string(c.due.description), "timeZone": .string(c.timeZoneID),
                ]))
            try events.finish()
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
            guard try Self.fetchCycle(db, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staff WHERE badge = ?)", arguments: [badge]) == true
            else {
                throw StoreError.unknownBadge(badge)
            }
            var events = try EventWriter(db)
            let seq = try events.append(
                .exemptionGranted, at: at, badge: badge, cycleID: cycleID,
                payload: .object([
                    "reason": .string(reason), "grantedBy": .string(grantedBy),
                ]))
            // A second exemption replaces the reason in the derived table; both stay in the chain.
            try db.execute(
                sql: """
                    INSERT INTO exemptions (cycle_id, badge, reason, granted_by, granted_ms, event_seq) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (cycle_id, badge) DO UPDATE SET reason = excluded.reason,
                        granted_by = excluded.granted_by, granted_ms = excluded.granted_ms, event_seq = excluded.event_seq
                    """, arguments: [cycleID, badge, reason, grantedBy, Millis.from(at), seq])
            try events.finish()
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
            var events = try EventWriter(db)
            let seq = try events.append(
                .itemFinished, at: at, badge: badge, cycleID: cycleID, payload: .object(["item": .string(itemID)]))
            try db.execute(
                sql: "INSERT INTO progress (badge, cycle_id, item_id, finished_ms, event_seq) VALUES (?, ?, ?, ?, ?)",
                arguments: [badge, cycleID, itemID, Millis.from(at), seq])
            try events.finish()
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
            try db.execute(
                sql: "INSERT INTO spot_checks (cycle_id, seed, percent, inspectors, drawn_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [cycleID, String(seed), percent, inspectorsJSON.text, Millis.from(at)])
            let id = db.lastInsertedRowID
            let stmt = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO spot_check_selections (spot_check_id, cycle_id, badge) VALUES (?, ?, ?)")
            for badge in selected { try stmt.execute(arguments: [id, cycleID, badge]) }
            var events = try EventWriter(db)
            try events.append(
                .spotCheckDrawn, at: at, badge: nil, cycleID: cycleID,
                payload: .object([
                    "id": .int(id), "seed": .string(String(seed)), "percent": .double(percent),
                    "selected": .array(selected.map { .string($0) }), "inspectors": inspectorsJSON,
                ]))
            try events.finish()
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
