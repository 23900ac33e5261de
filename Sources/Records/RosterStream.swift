import Foundation

/// What both stores share to stream a roster: the population's departments in path order (the
/// cursor's sort key, so the database sorts and nothing is regrouped in memory) and the one
/// computation of a row from the person's figures.
struct RosterStream {
    let rule: CompletionRule
    let windowEnd: Date
    let now: Date
    let requiredTotal: Int
    /// The required item ids as a JSON array (`json_each` / `json_array_elements_text`).
    let requiredJSON: String

    init(rule: CompletionRule, windowEnd: Date, now: Date) {
        self.rule = rule
        self.windowEnd = windowEnd
        self.now = now
        let required = Set(rule.requiredItemIDs)
        requiredTotal = required.count
        requiredJSON = CanonicalJSON.array(required.sorted().map { .string($0) }).text
    }

    /// `paths` (distinct departments) in `DepartmentOrder`, as a JSON array: a department's
    /// position in it is the first sort key of the roster cursor.
    static func departmentOrderJSON(_ paths: [String]) -> String {
        let keyed = paths.map { (DepartmentOrder.PathKey($0), $0) }.sorted { $0.0 < $1.0 }
        return CanonicalJSON.array(keyed.map { .string($0.1) }).text
    }

    /// Each of `paths` (distinct departments) with its position in `DepartmentOrder`.
    static func departmentRanks(_ paths: [String]) -> [String: Int] {
        let keyed = paths.map { (DepartmentOrder.PathKey($0), $0) }.sorted { $0.0 < $1.0 }
        var rank: [String: Int] = [:]
        for (i, p) in keyed.enumerated() { rank[p.1] = i }
        return rank
    }

    /// One person's row from their figures.
    func row(
        badge: String, name: String, department: String, role: String, requiredDone: Int, lastRequiredMillis: Int64?,
        anyActivity: Bool, attempts: [AttemptOutcome], exemptionReason: String?, spotChecked: Bool
    ) -> RosterRow {
        let s = CycleStatusRules.standing(
            requiredDone: requiredDone, requiredTotal: requiredTotal, lastRequiredAt: Millis.date(lastRequiredMillis),
            anyActivity: anyActivity, attempts: attempts, maxAttempts: rule.maxAttempts, counting: rule.counting,
            exemptionReason: exemptionReason, windowEnd: windowEnd, now: now)
        return RosterRow(
            badge: badge, name: name, department: department, role: StaffRole(rawValue: role) ?? .officer, status: s.status,
            itemsDone: s.itemsDone, itemsTotal: s.itemsTotal, attemptsUsed: s.attemptsUsed, countingScore: s.countingScore,
            maxScore: s.countingMaxScore, passed: s.passed, completedAt: s.completedAt, exemptionReason: exemptionReason,
            spotChecked: spotChecked)
    }
}
