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

extension CompletionRule {
    /// The rule used without content (benchmarks, synthetic data, content not found): `lessons`
    /// required items `lesson-1` … `lesson-N`, at most `maxAttempts` attempts, the highest counting.
    public static func assumed(lessons: Int = 0, maxAttempts: Int = 3) -> CompletionRule {
        let n = max(0, lessons)
        return CompletionRule(requiredItemIDs: n == 0 ? [] : (1...n).map { "lesson-\($0)" }, maxAttempts: maxAttempts, counting: .highest)
    }
}

extension TrainingCycle {
    /// The course title and hours (its required lessons' minutes) a completion certificate prints:
    /// the cycle's own title and no hours when `content` lacks the course.
    public func certificateCourse(in content: ContentSet?) -> (title: String, hours: Double?) {
        guard let course = content?.course(courseID) else { return (title, nil) }
        let minutes = course.lessons.filter(\.required).reduce(0) { $0 + $1.minutes }
        return (course.title, minutes > 0 ? Double(minutes) / 60 : nil)
    }
}
