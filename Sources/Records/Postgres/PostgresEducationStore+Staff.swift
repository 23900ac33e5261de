import Foundation

extension PostgresEducationStore {
    static let staffColumns = "badge, name, department, role, status, joined_ms, left_ms"

    static func staffMember(_ r: [Cell]) -> StaffMember {
        StaffMember(
            badge: r[0].textValue ?? "", name: r[1].textValue ?? "", department: r[2].textValue ?? "",
            role: r[3].textValue.flatMap(StaffRole.init(rawValue:)) ?? .officer,
            status: r[4].textValue.flatMap(StaffStatus.init(rawValue:)) ?? .inactive,
            joinedAt: Millis.date(r[5].intValue ?? 0), leftAt: Millis.date(r[6].intValue))
    }

    /// `(col = $n OR (col >= $n+1 AND col < $n+2))` per subtree, OR-ed: the SQLite store's
    /// component-wise subtree match, valid under the "C" collation the schema uses.
    static func subtree(_ column: String, _ paths: [String], binds: inout [Cell]) -> String {
        let parts = paths.map { p -> String in
            let i = binds.count + 1
            binds += [.text(p), .text(p + "/"), .text(p + "0")]
            return "(\(column) = $\(i) OR (\(column) >= $\(i + 1) AND \(column) < $\(i + 2)))"
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    public func importStaff(
        _ rows: [StaffInput], markMissingInactive: Bool, source: String, at: Date
    ) throws -> StaffImportSummary {
        let atMs = Millis.from(at)
        return try write { s, records in
            var existing: [String: StaffMember] = [:]
            try s.forEachRow("SELECT \(Self.staffColumns) FROM staff", batch: 20_000) { r in
                let m = Self.staffMember(r)
                existing[m.badge] = m
                return true
            }
            var plan = StaffImportPlan(rows: rows, existing: existing, markMissingInactive: markMissingInactive, source: source)
            while let e = plan.next() {
                try records.record(e.type, atMillis: atMs, badge: e.badge, cycleID: nil, payload: e.payload)
            }
            return plan.summary
        }
    }

    public func staffMember(badge: String) throws -> StaffMember? {
        try read { s in
            try s.one("SELECT \(Self.staffColumns) FROM staff WHERE badge = $1", [.text(badge)]).map(Self.staffMember)
        }
    }

    public func staffList(department: String?) throws -> [StaffMember] {
        try read { s in
            var binds: [Cell] = []
            var sql = "SELECT \(Self.staffColumns) FROM staff"
            if let department {
                sql += " WHERE " + Self.subtree("department", [DepartmentPath.normalize(department)], binds: &binds)
            }
            return try s.query(sql + " ORDER BY department, badge", binds).map(Self.staffMember)
        }
    }
}
