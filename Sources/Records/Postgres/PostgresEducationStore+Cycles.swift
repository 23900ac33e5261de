import Foundation

extension PostgresEducationStore {
    static let cycleColumns = "id, title, course_id, blueprint_id, departments, roles, opens, due, time_zone, created_ms"

    static func cycle(_ r: [Cell]) -> TrainingCycle {
        func strings(_ c: Cell) -> [String] {
            guard let t = c.textValue, case let .array(a)? = CanonicalJSON.parse(t) else { return [] }
            return a.compactMap(\.stringValue)
        }
        return TrainingCycle(
            id: r[0].textValue ?? "", title: r[1].textValue ?? "", courseID: r[2].textValue ?? "",
            blueprintID: r[3].textValue ?? "", departments: strings(r[4]),
            roles: strings(r[5]).compactMap(StaffRole.init(rawValue:)),
            opens: r[6].textValue.flatMap(CalendarDay.init) ?? CalendarDay(year: 1970, month: 1, day: 1),
            due: r[7].textValue.flatMap(CalendarDay.init) ?? CalendarDay(year: 1970, month: 1, day: 1),
            timeZoneID: r[8].textValue ?? "UTC", createdAt: Millis.date(r[9].intValue ?? 0))
    }

    static func fetchCycle(_ s: PostgresSession, _ id: String) throws -> TrainingCycle? {
        try s.one("SELECT \(cycleColumns) FROM cycles WHERE id = $1", [.text(id)]).map(cycle)
    }

    static func exemption(_ r: [Cell]) -> Exemption {
        Exemption(
            cycleID: r[0].textValue ?? "", badge: r[1].textValue ?? "", reason: r[2].textValue ?? "",
            grantedBy: r[3].textValue ?? "", grantedAt: Millis.date(r[4].intValue ?? 0))
    }

    public func createCycle(_ cycle: TrainingCycle) throws {
        let c = try cycle.preparedForCreation()
        try write { s, records in
            if try s.scalar("SELECT EXISTS (SELECT 1 FROM cycles WHERE id = $1)", [.text(c.id)]) == .int(1) {
                throw StoreError.duplicateCycle(c.id)
            }
            try records.record(.cycleCreated, at: c.createdAt, badge: nil, cycleID: c.id, payload: c.eventPayload)
        }
    }

    public func cycle(id: String) throws -> TrainingCycle? {
        try read { try Self.fetchCycle($0, id) }
    }

    public func cycles() throws -> [TrainingCycle] {
        try read { try $0.query("SELECT \(Self.cycleColumns) FROM cycles ORDER BY opens, id").map(Self.cycle) }
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
        try read { s in
            guard let cycle = try Self.fetchCycle(s, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            var binds: [Cell] = []
            let filter = Self.populationFilter(cycle, department: department, binds: &binds)
            return try s.query("SELECT \(Self.staffColumns) FROM staff WHERE \(filter) ORDER BY department, badge", binds)
                .map(Self.staffMember)
        }
    }

    public func exempt(cycleID: String, badge: String, reason: String, grantedBy: String, at: Date) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let grantedBy = grantedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid(field: "--reason", detail: "empty / 为空") }
        guard !grantedBy.isEmpty else { throw StoreError.invalid(field: "--by", detail: "empty / 为空") }
        try write { s, records in
            guard let cycle = try Self.fetchCycle(s, cycleID) else { throw StoreError.unknownCycle(cycleID) }
            guard let staff = try s.one("SELECT \(Self.staffColumns) FROM staff WHERE badge = $1", [.text(badge)]).map(Self.staffMember)
            else { throw StoreError.unknownBadge(badge) }
            guard cycle.covers(department: staff.department, role: staff.role), staff.status == .active else {
                throw StoreError.notInPopulation(badge: badge, cycleID: cycleID)
            }
            if let open = try s.scalar(
                "SELECT id FROM attempts WHERE cycle_id = $1 AND badge = $2 AND state = 'open'", [.text(cycleID), .text(badge)]
            ).intValue {
                try records.record(
                    .attemptClosed, at: at, badge: badge, cycleID: cycleID,
                    payload: .object(["attempt": .int(open), "reason": .string(AttemptEndReason.exempted.rawValue)]))
            }
            try records.record(
                .exemptionGranted, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "grantedBy": .string(grantedBy)]))
        }
    }

    public func revokeExemption(cycleID: String, badge: String, reason: String, revokedBy: String, at: Date) throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        let revokedBy = revokedBy.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw StoreError.invalid(field: "--reason", detail: "empty / 为空") }
        guard !revokedBy.isEmpty else { throw StoreError.invalid(field: "--by", detail: "empty / 为空") }
        try write { s, records in
            guard try Self.fetchCycle(s, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard
                try s.scalar(
                    "SELECT EXISTS (SELECT 1 FROM exemptions WHERE cycle_id = $1 AND badge = $2)", [.text(cycleID), .text(badge)])
                    == .int(1)
            else { throw StoreError.notExempt(badge: badge, cycleID: cycleID) }
            try records.record(
                .exemptionRevoked, at: at, badge: badge, cycleID: cycleID,
                payload: .object(["reason": .string(reason), "revokedBy": .string(revokedBy)]))
        }
    }

    public func exemption(cycleID: String, badge: String) throws -> Exemption? {
        try read { s in
            try s.one(
                "SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = $1 AND badge = $2",
                [.text(cycleID), .text(badge)]
            ).map(Self.exemption)
        }
    }

    public func exemptions(cycleID: String) throws -> [Exemption] {
        try read { s in
            try s.query(
                "SELECT cycle_id, badge, reason, granted_by, granted_ms FROM exemptions WHERE cycle_id = $1 ORDER BY badge",
                [.text(cycleID)]
            ).map(Self.exemption)
        }
    }

    // MARK: Study progress

    @discardableResult
    public func recordItemFinished(badge: String, cycleID: String, itemID: String, at: Date) throws -> Bool {
        try write { s, records in
            guard try Self.fetchCycle(s, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            guard try s.scalar("SELECT EXISTS (SELECT 1 FROM staff WHERE badge = $1)", [.text(badge)]) == .int(1) else {
                throw StoreError.unknownBadge(badge)
            }
            if try s.scalar(
                "SELECT EXISTS (SELECT 1 FROM progress WHERE cycle_id = $1 AND badge = $2 AND item_id = $3)",
                [.text(cycleID), .text(badge), .text(itemID)]) == .int(1)
            {
                return false
            }
            try records.record(.itemFinished, at: at, badge: badge, cycleID: cycleID, payload: .object(["item": .string(itemID)]))
            return true
        }
    }

    public func finishedItems(badge: String, cycleID: String) throws -> [FinishedItem] {
        try read { s in
            try Self.finished(s, badge: badge, cycleID: cycleID)
        }
    }

    static func finished(_ s: PostgresSession, badge: String, cycleID: String) throws -> [FinishedItem] {
        try s.query(
            "SELECT item_id, finished_ms FROM progress WHERE cycle_id = $1 AND badge = $2 ORDER BY finished_ms, item_id",
            [.text(cycleID), .text(badge)]
        ).map { FinishedItem(itemID: $0[0].textValue ?? "", finishedAt: Millis.date($0[1].intValue ?? 0)) }
    }

    // MARK: Spot checks

    @discardableResult
    public func recordSpotCheck(
        cycleID: String, seed: UInt64, percent: Double, selected: [String], inspectors: [String], at: Date
    ) throws -> SpotCheck {
        try write { s, records in
            guard try Self.fetchCycle(s, cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
            let id = (try s.scalar("SELECT academy_max_id('spot_checks')").intValue ?? 0) + 1
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
        try read { s in try Self.fetchSpotChecks(s, where: "s.cycle_id = $1", [.text(cycleID)]) }
    }

    static func fetchSpotChecks(_ s: PostgresSession, where clause: String, _ binds: [Cell]) throws -> [SpotCheck] {
        // Selections in insertion order in badge order, as SQLite's json_group_array over its key gives.
        let rows = try s.query(
            """
            SELECT s.id, s.cycle_id, s.seed, s.percent, s.inspectors, s.drawn_ms,
                   (SELECT coalesce(string_agg(badge, E'\\n' ORDER BY badge), '') FROM spot_check_selections x WHERE x.spot_check_id = s.id)
            FROM spot_checks s WHERE \(clause) ORDER BY s.id
            """, binds)
        return rows.map { r in
            let inspectors: [String]
            if let t = r[4].textValue, case let .array(a)? = CanonicalJSON.parse(t) { inspectors = a.compactMap(\.stringValue) } else {
                inspectors = []
            }
            let selected = (r[6].textValue ?? "").split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            return SpotCheck(
                id: r[0].intValue ?? 0, cycleID: r[1].textValue ?? "", seed: UInt64(r[2].textValue ?? "") ?? 0,
                percent: r[3].realValue ?? 0, selected: selected, inspectors: inspectors, drawnAt: Millis.date(r[5].intValue ?? 0))
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

extension Cell {
    var realValue: Double? {
        switch self {
        case let .real(d): d
        case let .int(i): Double(i)
        default: nil
        }
    }
}
