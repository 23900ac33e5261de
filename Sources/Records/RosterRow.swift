import Foundation

/// One person of a cycle's population, as rosters export it.
public struct RosterRow: Sendable, Hashable {
    public var badge: String
    public var name: String
    public var department: String
    public var role: StaffRole
    public var status: CycleStatus
    public var itemsDone: Int
    public var itemsTotal: Int
    public var attemptsUsed: Int
    /// The score of the attempt that counts, after any regrade.
    public var countingScore: Double?
    public var maxScore: Double?
    public var passed: Bool?
    public var completedAt: Date?
    public var exemptionReason: String?
    /// Selected by at least one spot-check draw in this cycle.
    public var spotChecked: Bool

    public init(
        badge: String, name: String, department: String, role: StaffRole, status: CycleStatus,
        itemsDone: Int, itemsTotal: Int, attemptsUsed: Int, countingScore: Double?,
        maxScore: Double?, passed: Bool?, completedAt: Date?, exemptionReason: String?,
        spotChecked: Bool
    ) {
        self.badge = badge
        self.name = name
        self.department = department
        self.role = role
        self.status = status
        self.itemsDone = itemsDone
        self.itemsTotal = itemsTotal
        self.attemptsUsed = attemptsUsed
        self.countingScore = countingScore
        self.maxScore = maxScore
        self.passed = passed
        self.completedAt = completedAt
        self.exemptionReason = exemptionReason
        self.spotChecked = spotChecked
    }
}
