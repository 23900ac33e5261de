import Foundation

/// What a staff import writes, decided once for every backend: for each input row in order, an
/// added or updated event (or nothing when unchanged), then, for people absent from the input,
/// an inactivation (with `markMissingInactive`) or nothing. Every staff event carries the
/// resulting state; the projection writes the row (and the department's ancestors) from it.
struct StaffImportPlan<Rows: StaffRowSource> {
    struct Event {
        var type: EventType
        var badge: String
        var payload: CanonicalJSON
    }

    private var rows: Rows
    private let existing: [String: StaffMember]
    private let markMissingInactive: Bool
    private let source: String
    private var seen = Set<String>()
    private var missing: [(String, StaffMember)]?
    private var missingIndex = 0
    private(set) var summary = StaffImportSummary()

    init(rows: Rows, existing: [String: StaffMember], markMissingInactive: Bool, source: String) {
        self.rows = rows
        self.existing = existing
        self.markMissingInactive = markMissingInactive
        self.source = source
        seen.reserveCapacity(rows.capacity)
    }

    private static func state(_ name: String, _ department: String, _ role: StaffRole, _ status: StaffStatus) -> [String: CanonicalJSON] {
        var state = [String: CanonicalJSON](minimumCapacity: 8)  // with line, source and changes or reason
        state["name"] = .string(name)
        state["department"] = .string(department)
        state["role"] = .string(role.rawValue)
        state["status"] = .string(status.rawValue)
        return state
    }

    /// Once `next()` has returned nil: throws if the rows were refused (nothing may be written).
    func finish() throws { try rows.finish() }

    /// The next event to write, or nil when the import is done (then `summary` is final, once
    /// `finish()` has not thrown).
    mutating func next() -> Event? {
        while let input = rows.next() {
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
                var payload = Self.state(input.name, input.department, input.role, status)
                payload["changes"] = .object(changes)
                payload["source"] = .string(source)
                payload["line"] = .int(Int64(input.line))
                summary.updated += 1
                summary.events += 1
                return Event(type: type, badge: input.badge, payload: .object(payload))
            } else {
                let status = input.status ?? .active
                var payload = Self.state(input.name, input.department, input.role, status)
                payload["line"] = .int(Int64(input.line))
                payload["source"] = .string(source)
                summary.added += 1
                summary.events += 1
                return Event(type: .staffAdded, badge: input.badge, payload: .object(payload))
            }
        }
        if missing == nil {
            // Badge order, so the same import writes the same chain on every backend.
            missing = existing.filter { !seen.contains($0.key) }.sorted { $0.key < $1.key }
        }
        while missingIndex < missing!.count {
            let (badge, old) = missing![missingIndex]
            missingIndex += 1
            if markMissingInactive, old.status == .active {
                var payload = Self.state(old.name, old.department, old.role, .inactive)
                payload["changes"] = .object(["status": .array([.string("active"), .string("inactive")])])
                payload["source"] = .string(source)
                payload["reason"] = .string("missing-from-import")
                summary.markedInactive += 1
                summary.events += 1
                return Event(type: .staffInactivated, badge: badge, payload: .object(payload))
            }
            summary.missingKept += 1
        }
        return nil
    }
}
