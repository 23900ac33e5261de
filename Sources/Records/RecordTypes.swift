import Courseware
import Foundation

/// 人员类别: an enforcement officer (执法人员) or an assistant (协管人员).
public enum StaffRole: String, Sendable, Hashable, Codable, CaseIterable {
    case officer, assistant

    public var chinese: String { self == .officer ? "执法人员" : "协管人员" }

    /// Accepts the English or Chinese spelling used in staff files.
    public init?(spreadsheetValue raw: String) {
        switch raw {  // the common spellings, without trimming or case folding
        case "执法人员", "officer": self = .officer; return
        case "协管人员", "assistant": self = .assistant; return
        default: break
        }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "officer", "执法人员": self = .officer
        case "assistant", "协管人员": self = .assistant
        default: return nil
        }
    }
}

/// 状态: 在岗 (active) or 离岗 (inactive).
public enum StaffStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, inactive

    public var chinese: String { self == .active ? "在岗" : "离岗" }

    public init?(spreadsheetValue raw: String) {
        switch raw {
        case "在岗", "active": self = .active; return
        case "离岗", "inactive": self = .inactive; return
        default: break
        }
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

/// A calendar date without a time, `YYYY-MM-DD`.
public struct CalendarDay: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), d >= 1
        else { return nil }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: 1)),
            let range = cal.range(of: .day, in: .month, for: date), range.contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The first instant of this day in `timeZone`.
    public func start(in timeZone: TimeZone) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.date(from: DateComponents(year: year, month: month, day: day))!
    }
}

/// A training cycle: who must study which course and pass which exam, between two dates.
public struct TrainingCycle: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var courseID: String
    public var blueprintID: String
    /// Department subtrees whose staff are in the population; empty means every department.
    public var departments: [String]
    /// Roles in the population; empty means every role.
    public var roles: [StaffRole]
    public var opens: CalendarDay
    public var due: CalendarDay
    /// The zone the window's days are read in, fixed when the cycle is created
    /// (`TZ` of the creating process, else the system zone).
    public var timeZoneID: String
    public var createdAt: Date

    public init(
        id: String, title: String, courseID: String, blueprintID: String,
        departments: [String], roles: [StaffRole], opens: CalendarDay, due: CalendarDay,
        timeZoneID: String = TimeZone.current.identifier, createdAt: Date = Date()
    ) {
        self.id = id
        self.title = title
        self.courseID = courseID
        self.blueprintID = blueprintID
        self.departments = departments
        self.roles = roles
        self.opens = opens
        self.due = due
        self.timeZoneID = timeZoneID
        self.createdAt = createdAt
    }

    public var timeZone: TimeZone { TimeZone(identifier: timeZoneID) ?? .current }

    /// The window is [opens 00:00:00, due 23:59:59.999] in the cycle's zone, i.e. the half-open
    /// interval [start of opens, start of the day after due).
    public var windowStart: Date { opens.start(in: timeZone) }
    public var windowEnd: Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.date(byAdding: .day, value: 1, to: due.start(in: timeZone))!
    }

    public func isWithinWindow(_ date: Date) -> Bool { date >= windowStart && date < windowEnd }

    /// Whether a person with this department and role is in the population (status aside).
    public func covers(department: String, role: StaffRole) -> Bool {
        (roles.isEmpty || roles.contains(role))
            && (departments.isEmpty || departments.contains { DepartmentPath.isWithin(department, subtree: $0) })
    }
}

/// A lesson or case study finished by someone in a cycle.
public struct FinishedItem: Sendable, Hashable, Codable {
    public var itemID: String
    public var finishedAt: Date

    public init(itemID: String, finishedAt: Date) {
        self.itemID = itemID
        self.finishedAt = finishedAt
    }
}

/// Why an attempt ended.
public enum AttemptEndReason: String, Sendable, Hashable, Codable {
    case submitted, timeout
}

public enum AttemptState: String, Sendable, Hashable, Codable {
    case open, submitted
}

/// What the exam needs to start an attempt. The caller has drawn the paper; the store keeps it
/// verbatim so that grading and regrading never re-shuffle.
public struct AttemptRequest: Sendable, Hashable {
    public var badge: String
    public var cycleID: String
    /// From the blueprint; the store enforces it but does not read content.
    public var maxAttempts: Int
    public var blueprintID: String
    public var blueprintVersion: Int
    public var bankHash: String
    public var seed: UInt64
    /// The drawn paper as opaque JSON (ExamAssembly's encoding).
    public var paper: Data
    /// Ids of the questions on the paper, so later attempts can avoid repeats.
    public var questionIDs: [String]
    public var timeLimitSeconds: Int
    public var startedAt: Date

    public init(
        badge: String, cycleID: String, maxAttempts: Int, blueprintID: String,
        blueprintVersion: Int, bankHash: String, seed: UInt64, paper: Data,
        questionIDs: [String], timeLimitSeconds: Int, startedAt: Date = Date()
    ) {
        self.badge = badge
        self.cycleID = cycleID
        self.maxAttempts = maxAttempts
        self.blueprintID = blueprintID
        self.blueprintVersion = blueprintVersion
        self.bankHash = bankHash
        self.seed = seed
        self.paper = paper
        self.questionIDs = questionIDs
        self.timeLimitSeconds = timeLimitSeconds
        self.startedAt = startedAt
    }
}

/// One grading of an attempt: the first at submission, later ones from regrades.
public struct AttemptGrade: Sendable, Hashable, Codable {
    /// The grader's report as opaque JSON (Grading's encoding).
    public var report: Data
    public var score: Double
    public var maxScore: Double
    public var passed: Bool
    public var gradedAt: Date
    /// `submitted`, `timeout`, or the regrade's reason.
    public var reason: String
    public var isRegrade: Bool

    public init(
        report: Data, score: Double, maxScore: Double, passed: Bool, gradedAt: Date,
        reason: String, isRegrade: Bool
    ) {
        self.report = report
        self.score = score
        self.maxScore = maxScore
        self.passed = passed
        self.gradedAt = gradedAt
        self.reason = reason
        self.isRegrade = isRegrade
    }
}

/// An exam attempt as stored.
public struct Attempt: Sendable, Hashable, Codable {
    public var id: Int64
    public var badge: String
    public var cycleID: String
    /// 1 for the person's first attempt in the cycle.
    public var number: Int
    public var blueprintID: String
    public var blueprintVersion: Int
    public var bankHash: String
    public var seed: UInt64
    public var paper: Data
    public var questionIDs: [String]
    public var startedAt: Date
    public var timeLimitSeconds: Int
    public var state: AttemptState
    public var submittedAt: Date?
    public var endReason: AttemptEndReason?
    /// Every grading, oldest first; the last is the one in force.
    public var grades: [AttemptGrade]

    public init(
        id: Int64, badge: String, cycleID: String, number: Int, blueprintID: String,
        blueprintVersion: Int, bankHash: String, seed: UInt64, paper: Data,
        questionIDs: [String], startedAt: Date, timeLimitSeconds: Int, state: AttemptState,
        submittedAt: Date?, endReason: AttemptEndReason?, grades: [AttemptGrade]
    ) {
        self.id = id
        self.badge = badge
        self.cycleID = cycleID
        self.number = number
        self.blueprintID = blueprintID
        self.blueprintVersion = blueprintVersion
        self.bankHash = bankHash
        self.seed = seed
        self.paper = paper
        self.questionIDs = questionIDs
        self.startedAt = startedAt
        self.timeLimitSeconds = timeLimitSeconds
        self.state = state
        self.submittedAt = submittedAt
        self.endReason = endReason
        self.grades = grades
    }

    /// When time runs out. The clock runs while the officer is away (documented rule).
    public var deadline: Date { startedAt.addingTimeInterval(TimeInterval(timeLimitSeconds)) }

    /// Never more than the time limit, whatever the clock says (a clock set back cannot add time).
    public func remainingSeconds(at now: Date) -> Int {
        max(0, min(timeLimitSeconds, Int(deadline.timeIntervalSince(now).rounded(.down))))
    }

    /// The grade in force (the latest), nil while open.
    public var currentGrade: AttemptGrade? { grades.last }
}

/// A saved answer: the latest value for one question key.
public struct SavedAnswer: Sendable, Hashable, Codable {
    public var questionKey: String
    public var response: Data
    public var savedAt: Date
    /// How many times this key was saved in the attempt (1 for the first save).
    public var revision: Int

    public init(questionKey: String, response: Data, savedAt: Date, revision: Int) {
        self.questionKey = questionKey
        self.response = response
        self.savedAt = savedAt
        self.revision = revision
    }
}

/// 豁免: a person excused from a cycle.
public struct Exemption: Sendable, Hashable, Codable {
    public var cycleID: String
    public var badge: String
    public var reason: String
    public var grantedBy: String
    public var grantedAt: Date

    public init(cycleID: String, badge: String, reason: String, grantedBy: String, grantedAt: Date) {
        self.cycleID = cycleID
        self.badge = badge
        self.reason = reason
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
    }
}

/// A 双随机 draw as computed by the caller and recorded here.
public struct SpotCheck: Sendable, Hashable, Codable {
    public var id: Int64
    public var cycleID: String
    public var seed: UInt64
    public var percent: Double
    public var selected: [String]
    public var inspectors: [String]
    public var drawnAt: Date

    public init(
        id: Int64, cycleID: String, seed: UInt64, percent: Double, selected: [String],
        inspectors: [String], drawnAt: Date
    ) {
        self.id = id
        self.cycleID = cycleID
        self.seed = seed
        self.percent = percent
        self.selected = selected
        self.inspectors = inspectors
        self.drawnAt = drawnAt
    }
}

/// How a cycle's status is computed: the content-side numbers the store does not read itself.
public struct CompletionRule: Sendable, Hashable {
    /// Lessons and case studies that must be finished.
    public var requiredItemIDs: [String]
    public var maxAttempts: Int
    public var counting: ExamBlueprint.CountingRule

    public init(requiredItemIDs: [String], maxAttempts: Int, counting: ExamBlueprint.CountingRule) {
        self.requiredItemIDs = requiredItemIDs
        self.maxAttempts = maxAttempts
        self.counting = counting
    }
}
