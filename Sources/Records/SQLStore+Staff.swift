import Foundation

/// People and departments, once for both backends.
extension SQLStore {
    static var staffColumns: String { "badge, name, department, role, status, joined_ms, left_ms" }

    static func staffMember(_ r: [Cell]) -> StaffMember {
        StaffMember(
            badge: r[0].textValue ?? "", name: r[1].textValue ?? "", department: r[2].textValue ?? "",
            role: r[3].textValue.flatMap(StaffRole.init(rawValue:)) ?? .officer,
            status: r[4].textValue.flatMap(StaffStatus.init(rawValue:)) ?? .inactive,
            joinedAt: Millis.date(r[5].intValue ?? 0), leftAt: Millis.date(r[6].intValue))
    }

    static func fetchStaff(_ sql: some SQLReader, badge: String) throws -> StaffMember? {
        try sql.row("SELECT \(staffColumns) FROM staff WHERE badge = $1", [.text(badge)]).map(staffMember)
    }

    /// `(col = $n OR (col >= $n+1 AND col < $n+2))` per subtree, OR-ed. Under the byte-order
    /// collation every path strictly below `p` sorts in ['p/', 'p0') ('0' follows '/'), so the
    /// match is component-wise (`A/B` does not contain `A/BC`) and can use the index.
    static func subtree(_ column: String, _ paths: [String], binds: inout [Cell]) -> String {
        let parts = paths.map { p -> String in
            let i = binds.count + 1
            binds += [.text(p), .text(p + "/"), .text(p + "0")]
            return "(\(column) = $\(i) OR (\(column) >= $\(i + 1) AND \(column) < $\(i + 2)))"
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    public func importStaff(
        _ rows: some StaffRowSource, markMissingInactive: Bool, source: String, at: Date
    ) throws -> StaffImportSummary {
        let atMs = Millis.from(at)
        return try writing { sql, records in
            var existing: [String: StaffMember] = [:]
            existing.reserveCapacity(rows.capacity)
            try sql.forEachRow("SELECT \(Self.staffColumns) FROM staff", []) { r in
                let m = Self.staffMember(r)
                existing[m.badge] = m
                return true
            }
            let plan = PlanBox(StaffImportPlan(rows: rows, existing: existing, markMissingInactive: markMissingInactive, source: source))
            if rows.capacity + existing.count < Self.pipelinedImport {
                while let e = plan.plan.next() {
                    try records.recordEvent(e.type, atMillis: atMs, badge: e.badge, cycleID: nil, payload: e.payload, blobs: [])
                }
                try plan.plan.finish()
                return plan.plan.summary
            }
            // A large import: payloads and hashes are prepared on a second thread meanwhile.
            let pipeline = EventPipeline(head: records.head, atMillis: atMs) {
                plan.plan.next().map { ($0.type, $0.badge, $0.payload) }
            }
            do {
                while let chunk = pipeline.next() {
                    for e in chunk { try records.recordPrepared(e, atMillis: atMs) }
                    pipeline.release(chunk)
                }
            } catch {
                pipeline.cancel()
                throw error
            }
            try plan.plan.finish()
            return plan.plan.summary
        }
    }

    /// Imports of at least this many rows (input plus existing) prepare their events on a second thread.
    static var pipelinedImport: Int { 2_000 }

    public func staffMember(badge: String) throws -> StaffMember? {
        try reading { try Self.fetchStaff($0, badge: badge) }
    }

    public func staffList(department: String?) throws -> [StaffMember] {
        try reading { sql in
            var binds: [Cell] = []
            var query = "SELECT \(Self.staffColumns) FROM staff"
            if let department {
                query += " WHERE " + Self.subtree("department", [DepartmentPath.normalize(department)], binds: &binds)
            }
            let staff = try sql.rows(query + " ORDER BY department, badge", binds).map(Self.staffMember)
            return DepartmentOrder.regrouped(staff) { $0.department }
        }
    }

    /// All department paths known (every ancestor of a staff member's department).
    public func departments() throws -> [String] {
        try reading { try $0.rows("SELECT path FROM departments ORDER BY path", []).compactMap { $0[0].textValue } }
    }
}

/// The import plan, shared with the thread that prepares its events (`EventPipeline`): only that
/// thread calls `next()` until the pipeline has stopped.
private final class PlanBox<Rows: StaffRowSource>: @unchecked Sendable {
    var plan: StaffImportPlan<Rows>
    init(_ plan: StaffImportPlan<Rows>) { self.plan = plan }
}
