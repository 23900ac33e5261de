import Foundation
import GRDB

extension SQLiteEducationStore {
    public func importStaff(
        _ rows: [StaffInput], markMissingInactive: Bool, source: String,
        at: Date
    ) throws -> StaffImportSummary {
        let atMs = Millis.from(at)
        return try write { db in
            var existing: [String: StaffMember] = [:]
            existing.reserveCapacity(rows.count)
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT badge, name, department, role, status, joined_ms, left_ms FROM staff")
            while let row = try cursor.next() {
                let m = Self.staffMember(row)
                existing[m.badge] = m
            }
            var records = try RecordWriter(db)
            var plan = StaffImportPlan(rows: rows, existing: existing, markMissingInactive: markMissingInactive, source: source)
            while let e = plan.next() {
                try records.record(e.type, atMillis: atMs, badge: e.badge, cycleID: nil, payload: e.payload)
            }
            try records.finish()
            return plan.summary
        }
    }

    static func staffMember(_ row: Row) -> StaffMember {
        StaffMember(
            badge: row[0], name: row[1], department: row[2],
            role: StaffRole(rawValue: row[3]) ?? .officer,
            status: StaffStatus(rawValue: row[4]) ?? .inactive,
            joinedAt: Millis.date(row[5] as Int64), leftAt: Millis.date(row[6] as Int64?))
    }

    static let staffColumns = "badge, name, department, role, status, joined_ms, left_ms"

    public func staffMember(badge: String) throws -> StaffMember? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.staffColumns) FROM staff WHERE badge = ?", arguments: [badge])
                .map(Self.staffMember)
        }
    }

    public func staffList(department: String?) throws -> [StaffMember] {
        try read { db in
            var sql = "SELECT \(Self.staffColumns) FROM staff"
            var args = StatementArguments()
            if let department {
                let d = DepartmentPath.normalize(department)
                sql += " WHERE " + Self.subtreeClause(column: "department", count: 1)
                args += Self.subtreeArguments([d])
            }
            sql += " ORDER BY department, badge"
            let staff = try Row.fetchAll(db, sql: sql, arguments: args).map(Self.staffMember)
            return DepartmentOrder.regrouped(staff) { $0.department }
        }
    }

    /// All department paths known (every ancestor of a staff member's department).
    public func departments() throws -> [String] {
        try read { try String.fetchAll($0, sql: "SELECT path FROM departments ORDER BY path") }
    }

    /// `(col = ? OR (col >= 'p/' AND col < 'p0'))` for each subtree, OR-ed. Under the binary
    /// collation every path strictly below `p` sorts in ['p/', 'p0') ('0' follows '/'), so the
    /// match is component-wise (`A/B` does not contain `A/BC`) and can use the index.
    static func subtreeClause(column: String, count: Int) -> String {
        "("
            + Array(repeating: "(\(column) = ? OR (\(column) >= ? AND \(column) < ?))", count: count)
            .joined(separator: " OR ") + ")"
    }

    static func subtreeArguments(_ paths: [String]) -> StatementArguments {
        var args = StatementArguments()
        for p in paths {
            args += [p, p + "/", p + "0"]
        }
        return args
    }
}
