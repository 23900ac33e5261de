import Foundation

// People on the staff list and what an import did.

/// 人员类别: an enforcement officer (执法人员) or an assistant (协管人员).
public enum StaffRole: String, Sendable, Hashable, Codable, CaseIterable {
    case officer, assistant

    public var chinese: String { self == .officer ? "执法人员" : "协管人员" }

    /// Accepts the English or Chinese spelling used in staff files.
    public init?(spreadsheetValue raw: String) {
        // The common spellings, byte for byte (String's == compares canonical equivalence,
        // which costs more for Chinese text; the general path below keeps it).
        if spelled(raw, "officer", "执法人员") { self = .officer; return }
        if spelled(raw, "assistant", "协管人员") { self = .assistant; return }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "officer", "执法人员": self = .officer
        case "assistant", "协管人员": self = .assistant
        default: return nil
        }
    }
}

/// `raw` is exactly one of the spellings, byte for byte.
private func spelled(_ raw: String, _ english: StaticString, _ chinese: StaticString) -> Bool {
    var raw = raw
    return raw.withUTF8 { bytes in
        english.withUTF8Buffer { bytes.elementsEqual($0) } || chinese.withUTF8Buffer { bytes.elementsEqual($0) }
    }
}

/// 状态: 在岗 (active) or 离岗 (inactive).
public enum StaffStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, inactive

    public var chinese: String { self == .active ? "在岗" : "离岗" }

    public init?(spreadsheetValue raw: String) {
        if spelled(raw, "active", "在岗") { self = .active; return }
        if spelled(raw, "inactive", "离岗") { self = .inactive; return }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "active", "在岗": self = .active
        case "inactive", "离岗": self = .inactive
        default: return nil
        }
    }
}

/// A department path such as `江苏省/南京市/玄武区/城市管理综合行政执法大队`.
public enum DepartmentPath {
    /// Trims each component and the slashes around them; empty components are dropped.
    public static func normalize(_ raw: String) -> String {
        if isNormalized(raw) { return raw }
        return raw.split(separator: "/", omittingEmptySubsequences: true)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: "/")
    }

    /// Fast check used before `normalize`: no empty component and no blank at either end of a
    /// component. Anything unusual (control characters, lead bytes of non-ASCII spaces such as
    /// U+00A0 or U+3000) takes the slow path.
    static func isNormalized(_ raw: String) -> Bool {
        var previous: UInt8 = 0x2F  // as if preceded by '/': a leading '/' or blank fails
        for b in raw.utf8 {
            let blank = b == 0x20 || b == 0x09
            if b == 0x2F, previous == 0x2F || previous == 0x20 || previous == 0x09 { return false }
            if blank, previous == 0x2F { return false }
            if b < 0x20 || b == 0xC2 || (b >= 0xE1 && b <= 0xE3) { return false }
            previous = b
        }
        return !raw.isEmpty && previous != 0x2F && previous != 0x20 && previous != 0x09
    }

    /// True when `path` is `prefix` itself or lies under it (component-wise, so `A/B` does not
    /// contain `A/BC`).
    public static func isWithin(_ path: String, subtree prefix: String) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    /// Every ancestor path including the path itself, root first.
    public static func ancestors(_ path: String) -> [String] {
        var result: [String] = []
        var current = ""
        for part in path.split(separator: "/") {
            current = current.isEmpty ? String(part) : current + "/" + part
            result.append(current)
        }
        return result
    }
}

/// One person on the staff list.
public struct StaffMember: Sendable, Hashable, Codable {
    /// 执法证号, the person's identity across every cycle.
    public var badge: String
    public var name: String
    public var department: String
    public var role: StaffRole
    public var status: StaffStatus
    /// First seen by an import.
    public var joinedAt: Date
    /// When the person was last made inactive; nil while active.
    public var leftAt: Date?

    public init(
        badge: String, name: String, department: String, role: StaffRole,
        status: StaffStatus, joinedAt: Date, leftAt: Date?
    ) {
        self.badge = badge
        self.name = name
        self.department = department
        self.role = role
        self.status = status
        self.joinedAt = joinedAt
        self.leftAt = leftAt
    }
}

/// A row of a staff file after validation; `line` is where it came from.
public struct StaffInput: Sendable, Hashable {
    public var badge: String
    public var name: String
    public var department: String
    public var role: StaffRole
    /// nil when the file has no status column: new people are active, existing keep theirs.
    public var status: StaffStatus?
    public var line: Int

    public init(
        badge: String, name: String, department: String, role: StaffRole,
        status: StaffStatus?, line: Int
    ) {
        self.badge = badge
        self.name = name
        self.department = department
        self.role = role
        self.status = status
        self.line = line
    }
}

/// The rows of a staff import, taken one at a time. A large file's rows are then checked on the
/// thread that prepares their events while earlier ones are written (`EventPipeline`), instead of
/// all of them before the write transaction starts. A row that fails its checks is not given out:
/// the source keeps its problem, and `finish()` refuses the import, which then writes nothing.
public protocol StaffRowSource {
    /// How many rows there are at most (the import chooses its bulk path by size).
    var capacity: Int { get }
    /// The next row that passed its checks, in file order, or nil when there are no more.
    mutating func next() -> StaffInput?
    /// Once `next()` has returned nil: throws if the rows are refused as a whole.
    func finish() throws
}

/// Rows already checked.
public struct StaffRowList: StaffRowSource {
    private let rows: [StaffInput]
    private var index = 0

    public init(_ rows: [StaffInput]) { self.rows = rows }

    public var capacity: Int { rows.count }

    public mutating func next() -> StaffInput? {
        guard index < rows.count else { return nil }
        defer { index += 1 }
        return rows[index]
    }

    public func finish() throws {}
}

/// What an import changed.
public struct StaffImportSummary: Sendable, Hashable, Codable {
    public var added: Int = 0
    public var updated: Int = 0
    public var unchanged: Int = 0
    /// Missing from the file and marked inactive (only with `markMissingInactive`).
    public var markedInactive: Int = 0
    /// Missing from the file and left as they were.
    public var missingKept: Int = 0
    /// Events written; zero for a re-import that changes nothing.
    public var events: Int = 0

    public init() {}
}
