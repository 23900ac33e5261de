import Foundation

/// An event as stored in the chain, its payload parsed.
public struct RecordedEvent: Sendable {
    public var seq: Int64
    public var atMillis: Int64
    public var type: String
    public var badge: String?
    public var cycleID: String?
    public var payload: CanonicalJSON

    public init(seq: Int64, atMillis: Int64, type: String, badge: String?, cycleID: String?, payload: CanonicalJSON) {
        self.seq = seq
        self.atMillis = atMillis
        self.type = type
        self.badge = badge
        self.cycleID = cycleID
        self.payload = payload
    }
}

/// What the projection may look up while applying an event: the rows as they stand before it.
/// The store implements it over its tables (when writing); replay over memory.
public protocol ProjectionState {
    func row(_ table: ProjectedTable, key: [Cell]) throws -> [Cell]?
    /// The id the next person added gets (ids follow the order people were added).
    func nextStaffID() throws -> Int64
    /// 1 for an attempt's first grade, then 2, 3… for regrades.
    func nextGradeOrdinal(attemptID: Int64) throws -> Int64
    /// `Projector.departmentRows(department)`. They depend on the path alone, so a state that
    /// projects many staff events may keep them per path (`DepartmentRowsCache`), and a state
    /// over a store's tables may leave them out when it has already written them in this
    /// transaction (they are `insertIfAbsent`, and departments are never deleted).
    func departmentRows(_ department: Cell) -> [RowChange]
}

extension ProjectionState {
    public func departmentRows(_ department: Cell) -> [RowChange] { Projector.departmentRows(department) }
}

/// `Projector.departmentRows` kept per path: a bulk import repeats a few hundred departments over
/// its whole population, and splitting and joining each path again dominated its projection.
final class DepartmentRowsCache {
    private var rows: [ByteKey: [RowChange]] = [:]
    /// Paths kept at most (then the cache starts again), so memory stays bounded.
    private let limit: Int

    init(limit: Int = 10_000) { self.limit = limit }

    func rows(_ department: Cell) -> [RowChange] {
        guard let path = department.textValue else { return [] }
        return rows(ByteKey(path), department)
    }

    private func rows(_ key: ByteKey, _ department: Cell) -> [RowChange] {
        if let r = rows[key] { return r }
        if rows.count >= limit { rows.removeAll(keepingCapacity: true) }
        let r = Projector.departmentRows(department)
        rows[key] = r
        return r
    }

    /// Paths whose rows `unwritten` gave out.
    private var given = Set<ByteKey>()

    /// As `rows`, but none for a path this method gave out before: for a state over a store's
    /// tables, inside one write transaction, whose rows of that path are written already. (Past
    /// `limit` paths it starts again: the rows are given out again and found present.)
    func unwritten(_ department: Cell) -> [RowChange] {
        guard let path = department.textValue else { return [] }
        let key = ByteKey(path)
        if given.contains(key) { return [] }
        if given.count >= limit { given.removeAll(keepingCapacity: true) }
        given.insert(key)
        return rows(key, department)
    }
}

/// An event the projection cannot apply: the chain does not describe a valid history.
public struct ProjectionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var seq: Int64
    public var detail: String
    public var description: String { "event #\(seq): \(detail)" }
}

/// The rows an event writes, and which of the fields replay needs the event did not carry.
public struct Projection: Sendable {
    public var changes: [RowChange] = []
    /// Payload fields a legacy event lacks (their cells are `.unknown`).
    public var missing: [String] = []
}

/// Event → row changes: the single definition of what every table holds. The store applies it
/// when it writes an event; `audit verify` applies it to a fresh in-memory state and compares.
/// Pure Swift, so another backend reuses it unchanged.
public enum Projector {
    /// `legacy`: the event predates complete events (written before the `store.upgraded`
    /// marker); a missing field becomes `.unknown` instead of an error.
    public static func project(_ e: RecordedEvent, state: some ProjectionState, legacy: Bool) throws -> Projection {
        var f = Fields(event: e, legacy: legacy)
        var out: [RowChange] = []
        switch EventType(rawValue: e.type) {
        case .staffAdded?:
            let badge = try f.badge()
            let department = try f.text("department")
            let status = try f.text("status")
            let at = Cell.int(e.atMillis)
            out.append(
                .insert(
                    .staff,
                    [
                        .text(badge), .int(try state.nextStaffID()), try f.text("name"), department, try f.text("role"),
                        status, at, status.textValue == "inactive" ? at : .null, .int(e.seq),
                    ]))
            out += state.departmentRows(department)
        case .staffUpdated?, .staffInactivated?:
            let badge = try f.badge()
            let t = ProjectedTable.staff
            guard let old = try state.row(t, key: [.text(badge)]) else {
                throw ProjectionError(seq: e.seq, detail: "\(e.type) for \(badge), who was never added")
            }
            let department = try f.text("department")
            let status = try f.text("status")
            let left: Cell
            if status.textValue == "inactive" {
                left = old[t.index("status")].textValue == "inactive" ? old[t.index("left_ms")] : .int(e.atMillis)
            } else {
                left = .null
            }
            out.append(
                .update(
                    t, key: [.text(badge)],
                    set: [
                        (t.index("name"), try f.text("name")), (t.index("department"), department),
                        (t.index("role"), try f.text("role")), (t.index("status"), status), (t.index("left_ms"), left),
                        (t.index("event_seq"), .int(e.seq)),
                    ]))
            out += state.departmentRows(department)
        case .cycleCreated?:
            out.append(
                .insert(
                    .cycles,
                    [
                        .text(try f.cycle()), try f.text("title"), try f.text("course"), try f.text("blueprint"),
                        try f.json("departments"), try f.json("roles"), try f.text("opens"), try f.text("due"),
                        try f.text("timeZone"), .int(e.atMillis),
                    ]))
        case .exemptionGranted?:
            out.append(
                .upsert(
                    .exemptions,
                    [
                        .text(try f.cycle()), .text(try f.badge()), try f.text("reason"), try f.text("grantedBy"),
                        .int(e.atMillis), .int(e.seq),
                    ]))
        case .exemptionRevoked?:
            out.append(.delete(.exemptions, key: [.text(try f.cycle()), .text(try f.badge())]))
        case .itemFinished?:
            out.append(
                .insert(
                    .progress,
                    [.text(try f.cycle()), .text(try f.badge()), try f.text("item"), .int(e.atMillis), .int(e.seq)]))
        case .attemptStarted?:
            out.append(
                .insert(
                    .attempts,
                    [
                        .int(try f.key("attempt")), .text(try f.badge()), .text(try f.cycle()), try f.int("number"),
                        try f.text("blueprint"), try f.int("blueprintVersion"), try f.text("bankHash"), try f.text("seed"),
                        try f.digest("paperSHA256"), try f.json("questions"), .int(e.atMillis), try f.int("timeLimitSeconds"),
                        .text("open"), .null, .null, .null, .null, .null, .int(e.seq),
                    ]))
        case .answerSaved?:
            let attempt = try f.key("attempt")
            let question = try f.text("question")
            let t = ProjectedTable.answers
            try requireOpen(attempt, e, state)
            let old = try state.row(t, key: [.int(attempt), question])
            let revision = (old?[t.index("revision")].intValue ?? 0) + 1
            out.append(.upsert(t, [.int(attempt), question, try f.bytes("response"), .int(e.atMillis), .int(revision)]))
        case .attemptSubmitted?:
            let attempt = try f.key("attempt")
            try requireOpen(attempt, e, state)
            let t = ProjectedTable.attempts
            let reason = try f.text("reason")
            let score = try f.real("score"), maxScore = try f.real("maxScore"), passed = try f.bool("passed")
            out.append(
                .update(
                    t, key: [.int(attempt)],
                    set: [
                        (t.index("state"), .text("submitted")), (t.index("submitted_ms"), .int(e.atMillis)),
                        (t.index("end_reason"), reason), (t.index("score"), score), (t.index("max_score"), maxScore),
                        (t.index("passed"), passed),
                    ]))
            out.append(
                .insert(
                    .grades,
                    [
                        .int(attempt), .int(try state.nextGradeOrdinal(attemptID: attempt)), try f.digest("reportSHA256"),
                        score, maxScore, passed, .int(e.atMillis), reason, .int(0), .int(e.seq),
                    ]))
        case .attemptRegraded?:
            let attempt = try f.key("attempt")
            let t = ProjectedTable.attempts
            guard let row = try state.row(t, key: [.int(attempt)]) else {
                throw ProjectionError(seq: e.seq, detail: "regrade of attempt \(attempt), which was never started")
            }
            guard row[t.index("state")].textValue == "submitted" else {
                throw ProjectionError(seq: e.seq, detail: "regrade of attempt \(attempt), which is still open")
            }
            let score = try f.real("score"), maxScore = try f.real("maxScore"), passed = try f.bool("passed")
            out.append(
                .update(
                    t, key: [.int(attempt)],
                    set: [(t.index("score"), score), (t.index("max_score"), maxScore), (t.index("passed"), passed)]))
            out.append(
                .insert(
                    .grades,
                    [
                        .int(attempt), .int(try state.nextGradeOrdinal(attemptID: attempt)), try f.digest("reportSHA256"),
                        score, maxScore, passed, .int(e.atMillis), try f.text("reason"), .int(1), .int(e.seq),
                    ]))
        case .attemptClosed?:
            let attempt = try f.key("attempt")
            try requireOpen(attempt, e, state)
            let t = ProjectedTable.attempts
            out.append(
                .update(
                    t, key: [.int(attempt)],
                    set: [
                        (t.index("state"), .text("submitted")), (t.index("submitted_ms"), .int(e.atMillis)),
                        (t.index("end_reason"), try f.text("reason")),
                    ]))
        case .spotCheckDrawn?:
            let id = try f.key("id")
            let cycle = try f.cycle()
            out.append(
                .insert(
                    .spotChecks,
                    [.int(id), .text(cycle), try f.text("seed"), try f.real("percent"), try f.json("inspectors"), .int(e.atMillis)]
                ))
            guard case let .array(selected)? = e.payload["selected"] else {
                throw ProjectionError(seq: e.seq, detail: "spot check without its selection")
            }
            for s in selected {
                guard let badge = s.stringValue else { throw ProjectionError(seq: e.seq, detail: "selection is not a badge") }
                out.append(.insertIfAbsent(.spotCheckSelections, [.int(id), .text(badge), .text(cycle)]))
            }
        case .benchmark?, .storeUpgraded?:
            break
        case .hallCodeIssued?:
            guard case .string(HallCodeKDF.name)? = e.payload["kdf"] else {
                throw ProjectionError(seq: e.seq, detail: "\(e.type): kdf is not \(HallCodeKDF.name)")
            }
            // A reissue replaces the badge's code for the cycle.
            out.append(
                .upsert(
                    .hallCodes,
                    [
                        .text(try f.cycle()), .text(try f.badge()), try f.hex("salt"), try f.hex("hash"),
                        try f.int("rounds"), .int(e.atMillis), .int(e.seq),
                    ]))
        case .hallCodeRevoked?:
            out.append(.delete(.hallCodes, key: [.text(try f.cycle()), .text(try f.badge())]))
        case .staffKeyAdded?:
            out.append(
                .insert(
                    .hallKeys,
                    [.text(try f.badge()), try f.text("fingerprint"), try f.text("key"), .int(e.atMillis), .int(e.seq)]))
        case nil:
            throw ProjectionError(seq: e.seq, detail: "unknown event type \(e.type)")
        }
        return Projection(changes: out, missing: f.missing)
    }

    private static func requireOpen(_ attempt: Int64, _ e: RecordedEvent, _ state: some ProjectionState) throws {
        let t = ProjectedTable.attempts
        guard let row = try state.row(t, key: [.int(attempt)]) else {
            throw ProjectionError(seq: e.seq, detail: "\(e.type) for attempt \(attempt), which was never started")
        }
        guard row[t.index("state")].textValue == "open" else {
            throw ProjectionError(seq: e.seq, detail: "\(e.type) for attempt \(attempt), which is already closed")
        }
    }

    /// Every ancestor of a department path, each with its parent and last component.
    static func departmentRows(_ department: Cell) -> [RowChange] {
        guard let path = department.textValue else { return [] }
        var out: [RowChange] = []
        var current = ""
        for part in path.split(separator: "/") {
            let parent: Cell = current.isEmpty ? .null : .text(current)
            current = current.isEmpty ? String(part) : current + "/" + part
            out.append(.insertIfAbsent(.departments, [.text(current), parent, .text(String(part))]))
        }
        return out
    }

    /// Typed reads of the payload. A missing or mistyped field is an error, except in a legacy
    /// event where it becomes `.unknown` (keys are always required).
    private struct Fields {
        let event: RecordedEvent
        let legacy: Bool
        var missing: [String] = []

        init(event: RecordedEvent, legacy: Bool) {
            self.event = event
            self.legacy = legacy
        }

        private mutating func absent(_ key: String, _ what: String) throws -> Cell {
            if legacy, event.payload[key] == nil {
                missing.append(key)
                return .unknown
            }
            throw ProjectionError(
                seq: event.seq,
                detail: event.payload[key] == nil ? "\(event.type) lacks \(key)" : "\(event.type): \(key) is not \(what)")
        }

        func badge() throws -> String {
            guard let b = event.badge else { throw ProjectionError(seq: event.seq, detail: "\(event.type) without a badge") }
            return b
        }

        func cycle() throws -> String {
            guard let c = event.cycleID else { throw ProjectionError(seq: event.seq, detail: "\(event.type) without a cycle") }
            return c
        }

        func key(_ k: String) throws -> Int64 {
            switch event.payload[k] {
            case let .int(i)?: return i
            default: throw ProjectionError(seq: event.seq, detail: "\(event.type) lacks its \(k) number")
            }
        }

        mutating func text(_ k: String) throws -> Cell {
            if case let .string(s)? = event.payload[k] { return .text(s) }
            return try absent(k, "text")
        }

        mutating func int(_ k: String) throws -> Cell {
            if case let .int(i)? = event.payload[k] { return .int(i) }
            return try absent(k, "an integer")
        }

        mutating func real(_ k: String) throws -> Cell {
            switch event.payload[k] {
            case let .int(i)?: return .real(Double(i))
            case let .double(d)?: return .real(d)
            default: return try absent(k, "a number")
            }
        }

        mutating func bool(_ k: String) throws -> Cell {
            if case let .bool(b)? = event.payload[k] { return .int(b ? 1 : 0) }
            return try absent(k, "true or false")
        }

        /// The canonical JSON text of an array or object field.
        mutating func json(_ k: String) throws -> Cell {
            switch event.payload[k] {
            case let v? where v.isContainer: return .text(v.text)
            default: return try absent(k, "a list")
            }
        }

        mutating func digest(_ k: String) throws -> Cell {
            if case let .string(s)? = event.payload[k], s.utf8.count == 64 { return .digest(s) }
            return try absent(k, "a SHA-256")
        }

        /// Bytes carried as lowercase hex (a code's salt and hash).
        mutating func hex(_ k: String) throws -> Cell {
            if case let .string(s)? = event.payload[k], let b = HallCodeKDF.bytes(hex: s) { return .bytes(b) }
            return try absent(k, "lowercase hex")
        }

        mutating func bytes(_ k: String) throws -> Cell {
            if case let .string(s)? = event.payload[k] { return .bytes(Data(s.utf8)) }
            return try absent(k, "text")
        }
    }
}

/// How a hall code is hashed, and its bytes written in an event.
public enum HallCodeKDF {
    public static let name = "pbkdf2-sha256"

    public static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 2)
        for b in data {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of lowercase hex, or nil (odd length, another character, or empty).
    public static func bytes(hex: String) -> Data? {
        let u = Array(hex.utf8)
        guard !u.isEmpty, u.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out = Data(capacity: u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

extension CanonicalJSON {
    var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }
}
