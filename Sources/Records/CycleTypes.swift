import Courseware
import Foundation

// Training cycles and what is recorded against them besides exams.

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
