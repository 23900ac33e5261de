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
            var summary = StaffImportSummary()
            var records = try RecordWriter(db)
            // Every staff event carries the resulting state; the projection writes the row (and
            // the department's ancestors) from it.
            func state(_ name: String, _ department: String, _ role: StaffRole, _ status: StaffStatus) -> [String: CanonicalJSON]
            {
                [
                    "name": .string(name), "department": .string(department), "role": .string(role.rawValue),
                    "status": .string(status.rawValue),
                ]
            }
            var seen = Set<String>()
            seen.reserveCapacity(rows.count)
            for input in rows {
                seen.insert(input.badge)
                if let old = existing[input.badge] {
                    let status = input.status ?? old.status
                    var changes: [String: CanonicalJSON] = [:]
                    func note(_ field: String, _ a: String, _ b: String) {
                        if a != b { changes[field] = .array([.string(a), .string(b)]) }
                    }
                    note("name", old.name, input.name)
                    note("department", old.department, input.department)
                    note("role", old.role.rawValue, input.role.rawValue)
                    note("status", old.status.rawValue, status.rawValue)
                    if changes.isEmpty {
                        summary.unchanged += 1
                        continue
                    }
                    let type: EventType = (status == .inactive && old.status == .active) ? .staffInactivated : .staffUpdated
                    var payload = state(input.name, input.department, input.role, status)
                    payload["changes"] = .object(changes)
                    payload["source"] = .string(source)
                    payload["line"] = .int(Int64(input.line))
                    try records.record(type, atMillis: atMs, badge: input.badge, cycleID: nil, payload: .object(payload))
                    summary.updated += 1
                } else {
                    let status = input.status ?? .active
                    var payload = state(input.name, input.department, input.role, status)
                    payload["line"] = .int(Int64(input.line))
                    payload["source"] = .string(source)
                    try records.record(.staffAdded, atMillis: atMs, badge: input.badge, cycleID: nil, payload: .object(payload))
                    summary.added += 1
                }
            }
            for (badge, old) in existing where !seen.contains(badge) {
                if markMissingInactive, old.status == .active {
                    var payload = state(old.name, old.department, old.role, .inactive)
                    payload["changes"] = .object(["status": .array([.string("active"), .string("inactive")])])
                    payload["source"] = .string(source)
                    payload["reason"] = .string("missing-from-import")
                    try records.record(.staffInactivated, atMillis: atMs, badge: badge, cycleID: nil, payload: .object(payload))
                    summary.markedInactive += 1
                } else {
                    summary.missingKept += 1
                }
            }
            try records.finish()
            summary.events = summary.added + summary.updated + summary.markedInactive
            return summary
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
            return try Row.fetchAll(db, sql: sql, arguments: args).map(Self.staffMember)
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
