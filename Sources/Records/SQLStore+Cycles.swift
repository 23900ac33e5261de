import Foundation

/// Cycles, exemptions, study progress and spot checks, once for both backends: every check
/// that precedes an event is made here, after the write transaction has locked the chain.
extension SQLStore {
    static var cycleColumns: String { "id, title, course_id, blueprint_id, departments, roles, opens, due, time_zone, created_ms" }

    static func cycle(_ r: [Cell]) -> TrainingCycle {
        TrainingCycle(
            id: r[0].textValue ?? "", title: r[1].textValue ?? "", courseID: r[2].textValue ?? "",
            blueprintID: r[3].textValue ?? "", departments: r[4].jsonStrings,
            roles: r[5].jsonStrings.compactMap(StaffRole.init(rawValue:)),
            opens: r[6].textValue.flatMap(CalendarDay.init) ?? CalendarDay(year: 1970, month: 1, day: 1),
            due: r[7].textValue.flatMap(CalendarDay.init) ?? CalendarDay(year: 1970, month: 1, day: 1),
            timeZoneID: r[8].textValue ?? "UTC", createdAt: Millis.date(r[9].intValue ?? 0))
    }

    static func fetchCycle(_ sql: some SQLReader, _ id: String) throws -> TrainingCycle? {
        try sql.row("SELECT \(cycleColumns) FROM cycles WHERE id = $1", [.text(id)]).map(cycle)
    }

    static func exemption(_ r: [Cell]) -> Exemption {
        Exemption(
            cycleID: r[0].textValue ?? "", badge: r[1].textValue ?? "", reason: r[2].textValue ?? "",
            grantedBy: r[3].textValue ?? "", grantedAt: Millis.date(r[4].intValue ?? 0))
    }

    static var exemptionColumns: String { "SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions" }

    public func createCycle(_ cycle: TrainingCycle) throws {
        let c = try cycle.preparedForCreation()
        try writing { sql, records in
            if try sql.exists("SELECT 1 FROM cycles WHERE id = $1", [.text(c.id)]) { throw StoreError.duplicateCycle(c.id) }
            try records.record(.cycleCreated, at: c.createdAt, badge: nil, cycleID: c.id, payload: c.eventPayload)
        }
    }

    public func cycle(id: String) throws -> TrainingCycle? {
        try reading { try Self.fetchCycle($0, id) }
    }

    public func cycles() throws -> [TrainingCycle] {
        try reading { try $0.rows("SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id", []).map(Self.cycle) }
    }

    /// The predicate selecting the cycle's current population from `staff`.
    static func populationFilter(_ cycle: TrainingCycle, department: String?, binds: inout [Cell]) -> String {
        var clauses = ["status = 'active'"]
        if !cycle.roles.isEmpty {
            clauses.append("role IN (" + cycle.roles.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")")
        }
        if !cycle.departments.isEmpty { clauses.append(subtree("department", cycle.departments, binds: &binds)) }
        if let department { clauses.append(subtree("department", [DepartmentPath.normalize(department)], binds: &binds)) }
        return clauses.joined(separator: " AND ")
    }

    public func population(cycleID: String, department: String?) throws -> [StaffMember] {
        try reading { sql in
            guard let cycle = try Self.fetchCycle(sql, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            var binds: [Cell] = []
            let filter = Self.populationFilter(cycle, department: department, binds: &binds)
            let people = try sql.rows("SELECT \(Self.staffColumns) FROM staff WHERE \(filter) ORDER BY department, badge", binds)
                .map(Self.staffMember)
            return DepartmentOrder.regrouped(people) { $0.department }
        }
    }

    /// The trimmed `value`, or `StoreError.invalid` naming `field` when it is empty.
    private static func required(_ value: String, _ field: String) throws -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else { throw StoreError.invalid(field: field, detail: "empty / 为空") }
        return v
    }

    public func exempt(cycleID: String, badge: String, reason: String, grantedBy: String, at: Date) throws {
        let reason = try Self.required(reason, "--reason"), grantedBy = try Self.required(grantedBy, "--by")
        try writing { sql, records in
            guard let cycle = try Self.fetchCycle(sql, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            guard let staff = try Self.fetchStaff(sql, badge: badge) else { throw StoreError.unknownBadge(badge) }
            // Only someone the cycle requires can be excused from it. (A leaver is no longer in
            // the population; exempting them would change nothing.)
            guard cycle.covers(department: staff.department, role: staff.role), staff.status == .active else {
                throw StoreError.notInPopulation(badge: badge, cycleID: cycleID)
            }
            // An attempt in progress ends with the exemption: it can no longer be resumed or submitted.
            if let open = try sql.value(
                "SELECT id FROM attempts WHERE cycle_id = $1 AND badge = $2 AND state = 'open'", [.text(cycleID), .text(badge)]
            ).intValue {
                try records.record(
                    .attemptClosed, at: at, badge: badge, cycleID: cycleID,
                    payload: .object(["attempt": .int(open), "reason": .string(AttemptEndReason.exempted.rawValue)]))
            }
            // A second exemption replaces the reason in the table; both stay in the chain.
            try records.record(
                .exemptionGranted, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "grantedBy": .string(grantedBy)]))
        }
    }

    /// Withdraws an exemption: the person is back in the cycle's population as before.
    public func revokeExemption(cycleID: String, badge: String, reason: String, revokedBy: String, at: Date) throws {
        let reason = try Self.required(reason, "--reason"), revokedBy = try Self.required(revokedBy, "--by")
        try writing { sql, records in
            guard try Self.fetchCycle(sql, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard try sql.exists("SELECT 1 FROM exemptions WHERE cycle_id = $1 AND badge = $2", [.text(cycleID), .text(badge)])
            else { throw StoreError.notExempt(badge: badge, cycleID: cycleID) }
            try records.record(
                .exemptionRevoked, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "revokedBy": .string(revokedBy)]))
        }
    }

    public func exemption(cycleID: String, badge: String) throws -> Exemption? {
        try reading { sql in
            try sql.row(Self.exemptionColumns + " WHERE cycle_id = $1 AND badge = $2", [.text(cycleID), .text(badge)])
                .map(Self.exemption)
        }
    }

    public func exemptions(cycleID: String) throws -> [Exemption] {
        try reading { sql in
            try sql.rows(Self.exemptionColumns + " WHERE cycle_id = $1 ORDER BY badge", [.text(cycleID)]).map(Self.exemption)
        }
    }

    // MARK: Study progress

    @discardableResult
    public func recordItemFinished(badge: String, cycleID: String, itemID: String, at: Date) throws -> Bool {
        try writing { sql, records in
            guard try Self.fetchCycle(sql, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard try sql.exists("SELECT 1 FROM staff WHERE badge = $1", [.text(badge)]) else {
                throw StoreError.unknownBadge(badge)
            }
            if try sql.exists(
                "SELECT 1 FROM progress WHERE cycle_id = $1 AND badge = $2 AND item_id = $3",
                [.text(cycleID), .text(badge), .text(itemID)])
            {
                return false
            }
            try records.record(.itemFinished, at: at, badge: badge, cycleID: cycleID, payload: .object(["item": .string(itemID)]))
            return true
        }
    }

    public func finishedItems(badge: String, cycleID: String) throws -> [FinishedItem] {
        try reading { try Self.finished($0, badge: badge, cycleID: cycleID) }
    }

    static func finished(_ sql: some SQLReader, badge: String, cycleID: String) throws -> [FinishedItem] {
        try sql.rows(
            "SELECT item_id, finished_ms FROM progress WHERE cycle_id = $1 AND badge = $2 ORDER BY finished_ms, item_id",
            [.text(cycleID), .text(badge)]
        ).map { FinishedItem(itemID: $0[0].textValue ?? "", finishedAt: Millis.date($0[1].intValue ?? 0)) }
    }

    // MARK: Spot checks

    @discardableResult
    public func recordSpotCheck(
        cycleID: String, seed: UInt64, percent: Double, selected: [String], inspectors: [String], at: Date
    ) throws -> SpotCheck {
        try writing { sql, records in
            guard try Self.fetchCycle(sql, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            let id = try sql.nextID("spot_checks")
            try records.record(
                .spotCheckDrawn, at: at, badge: nil, cycleID: cycleID,
                payload: .object([
                    "id": .int(id), "seed": .string(String(seed)), "percent": .double(percent),
                    "selected": .array(selected.map { .string($0) }), "inspectors": .array(inspectors.map { .string($0) }),
                ]))
            return SpotCheck(
                id: id, cycleID: cycleID, seed: seed, percent: percent, selected: selected, inspectors: inspectors, drawnAt: at)
        }
    }

    public func spotChecks(cycleID: String) throws -> [SpotCheck] {
        try reading { try Self.fetchSpotChecks($0, where: "s.cycle_id = $1", [.text(cycleID)]) }
    }

    static func fetchSpotChecks(_ sql: some SQLReader, where clause: String, _ binds: [Cell]) throws -> [SpotCheck] {
        let checks = try sql.rows(
            "SELECT s.id, s.cycle_id, s.seed, s.percent, s.inspectors, s.drawn_ms FROM spot_checks s WHERE \(clause) ORDER BY s.id",
            binds)
        return try checks.map { r in
            let id = r[0].intValue ?? 0
            let selected = try sql.rows(
                "SELECT badge FROM spot_check_selections WHERE spot_check_id = $1 ORDER BY badge", [.int(id)]
            ).compactMap { $0[0].textValue }
            return SpotCheck(
                id: id, cycleID: r[1].textValue ?? "", seed: UInt64(r[2].textValue ?? "") ?? 0, percent: r[3].realValue ?? 0,
                selected: selected, inspectors: r[4].jsonStrings, drawnAt: Millis.date(r[5].intValue ?? 0))
        }
    }
}

extension TrainingCycle {
    /// The `cycle.created` payload: everything the cycles row holds (one definition for every backend).
    var eventPayload: CanonicalJSON {
        .object([
            "title": .string(title), "course": .string(courseID), "blueprint": .string(blueprintID),
            "departments": .array(departments.map { .string($0) }), "roles": .array(roles.map { .string($0.rawValue) }),
            "opens": .string(opens.description), "due": .string(due.description), "timeZone": .string(timeZoneID),
        ])
    }
}
