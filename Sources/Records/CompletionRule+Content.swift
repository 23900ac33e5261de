import Courseware

extension CompletionRule {
    /// The rule for a cycle from its course (required lessons and case studies) and blueprint
    /// (max attempts, counting); nil when either is missing from the content.
    public init?(cycle: TrainingCycle, content: ContentSet) {
        guard let course = content.course(cycle.courseID), let blueprint = content.blueprint(cycle.blueprintID) else {
            return nil
        }
        self.init(requiredItemIDs: course.requiredItemIDs, maxAttempts: blueprint.maxAttempts, counting: blueprint.counting)
    }
}
