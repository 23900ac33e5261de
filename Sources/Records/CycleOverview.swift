import Foundation

/// What `cycle show` tells of a cycle: its population now, its exemptions, and the count in each
/// status (`CycleStatus.allKeys`) when the completion rule is known.
public struct CycleOverview {
    public var cycle: TrainingCycle
    public var population: Int
    public var exempt: Int
    /// nil without a rule (the content lacks the course or the blueprint).
    public var statusCounts: [String: Int]?

    public init(cycle: TrainingCycle, population: Int, exempt: Int, statusCounts: [String: Int]?) {
        (self.cycle, self.population, self.exempt, self.statusCounts) = (cycle, population, exempt, statusCounts)
    }

    /// The overview from `store` at `now`.
    public init(_ cycle: TrainingCycle, store: any EducationStore, rule: CompletionRule?, now: Date) throws {
        let population = try store.population(cycleID: cycle.id, department: nil).count
        let counts = try rule.map { try store.statusCounts(cycleID: cycle.id, rule: $0, now: now) }
        self.init(cycle: cycle, population: population, exempt: try store.exemptions(cycleID: cycle.id).count, statusCounts: counts)
    }
}
