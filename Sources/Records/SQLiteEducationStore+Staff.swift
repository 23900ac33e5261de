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
            var events = try EventWriter(db)
            let insert = try RawStatement(
                db,
                sql: """
                    INSERT INTO staff (badge, name, department, role, status, joined_ms, left_ms, event_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let update = try db.cachedStatement(
                sql: """
                    UPDATE staff SET name = ?, department = ?, role = ?, status = ?, left_ms = ?, event_seq = ? WHERE badge = ?
                    """)
            // Every staff event carries the resulting state, so `audit verify` can compare each
            // staff row with the last event that wrote it.
            func state(_ name: String, _ department: String, _ role: StaffRole, _ status: StaffStatus) -> [String: CanonicalJSON]
            {
                [
                    "name": .string(name), "department": .string(department), "role": .string(role.rawValue),
                    "status": .string(status.rawValue),
                ]
            }
            var departments = Set<ByteKey>()
            var seen = Set<String>()
            seen.reserveCapacity(rows.count)
            for input in rows {
                seen.insert(input.badge)
                departments.insert(ByteKey(input.department))
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
                    let leftMs: Int64? =
                        status == .inactive ? (old.status == .inactive ? old.leftAt.map(Millis.from) : atMs) : nil
                    let type: EventType = (status == .inactive && old.status == .active) ? .staffInactivated : .staffUpdated
                    var payload = state(input.name, input.department, input.role, status)
                    payload["changes"] = .object(changes)
                    payload["source"] = .string(source)
                    payload["line"] = .int(Int64(input.line))
                    let seq = try events.append(type, at: at, badge: input.badge, cycleID: nil, payload: .object(payload))
                    try update.execute(arguments: [
                        input.name, input.department, input.role.rawValue,
                        status.rawValue, leftMs, seq, input.badge,
                    ])
                    summary.updated += 1
                } else {
                    let status = input.status ?? .active
                    var payload = CanonicalObjectWriter()
                    payload.add("department", input.department)
                    payload.add("line", Int64(input.line))
                    payload.add("name", input.name)
                    payload.add("role", input.role.rawValue)
                    payload.add("source", source)
                    payload.add("status", status.rawValue)
                    let seq = try events.append(
                        EventType.staffAdded.rawValue, atMillis: atMs, badge: input.badge, cycleID: nil,
                        payload: payload.finish())
                    insert.bind(1, input.badge)
                    insert.bind(2, input.name)
                    insert.bind(3, input.department)
                    insert.bind(4, input.role.rawValue)
                    insert.bind(5, status.rawValue)
                    insert.bind(6, atMs)
                    insert.bind(7, status == .inactive ? atMs : nil)
                    insert.bind(8, seq)
                    try insert.run()
                    summary.added += 1
                }
            }
            for (badge, old) in existing where !seen.contains(badge) {
                if markMissingInactive, old.status == .active {
                    var payload = state(old.name, old.department, old.role, .inactive)
                    payload["changes"] = .object(["status": .array([.string("active"), .string("inactive")])])
                    payload["source"] = .string(source)
                    payload["reason"] = .string("missing-from-import")
                    let seq = try events.append(.staffInactivated, at: at, badge: badge, cycleID: nil, payload: .object(payload))
                    try update.execute(arguments: [
                        old.name, old.department, old.role.rawValue,
                        StaffStatus.inactive.rawValue, atMs, seq, badge,
                    ])
                    summary.markedInactive += 1
                } else {
                    summary.missingKept += 1
                }
            }
            try Self.insertDepartments(db, departments)
            try events.finish()
            summary.events = summary.added + summary.updated + summary.markedInactive
            return summary
        }
    }

    static func insertDepartments(_ db: Database, _ paths: Set<ByteKey>) throws {
        var all = Set<String>()
        for p in paths { all.formUnion(DepartmentPath.ancestors(p.string)) }
        let stmt = try db.cachedStatement(sql: "INSERT OR IGNORE INTO departments (path, parent, name) VALUES (?, ?, ?)")
        for p in all.sorted() {
            let parts = p.split(separator: "/")
            let parent = parts.count > 1 ? parts.dropLast().joined(separator: "/") : nil
            try stmt.execute(arguments: [p, parent, String(parts.last!)])
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
