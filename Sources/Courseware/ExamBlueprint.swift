/// How an exam is drawn, scored, timed and reviewed.
public struct ExamBlueprint: Hashable, Sendable, Codable {
    public enum CountingRule: String, Hashable, Sendable, Codable, CaseIterable {
        case highest, latest, first
    }

    public enum MultipleChoicePolicy: Hashable, Sendable, Codable {
        /// Full marks only for exactly the correct set.
        case allOrNothing
        /// 少选得部分分、错选不得分. With `fraction == nil` a correct subset earns marks in
        /// proportion to the correct options chosen; otherwise it earns that fixed fraction.
        case partial(fraction: Double?)
    }

    public enum ReviewPolicy: String, Hashable, Sendable, Codable, CaseIterable {
        case immediately
        case afterClose = "after-close"
        case never
    }

    public var id: String
    /// Bumped by the trainer when the blueprint changes; part of a paper's identity.
    public var version: Int
    public var title: String
    public var courseID: String
    /// Banks whose questions form the pool. Case-analysis questions owned by the course's case
    /// studies join the pool too.
    public var bankIDs: [String]
    public var totalPoints: Double
    public var passPoints: Double
    public var minutes: Int
    public var maxAttempts: Int
    public var counting: CountingRule
    public var multipleChoice: MultipleChoicePolicy
    public var review: ReviewPolicy
    /// The mean difficulty every paper should hit within ±0.2; nil means no target.
    public var targetDifficulty: Double?
    public var sections: [BlueprintSection]
    public var location: SourceLocation

    public init(
        id: String, version: Int, title: String, courseID: String, bankIDs: [String],
        totalPoints: Double, passPoints: Double, minutes: Int, maxAttempts: Int,
        counting: CountingRule, multipleChoice: MultipleChoicePolicy, review: ReviewPolicy,
        targetDifficulty: Double?, sections: [BlueprintSection], location: SourceLocation
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.courseID = courseID
        self.bankIDs = bankIDs
        self.totalPoints = totalPoints
        self.passPoints = passPoints
        self.minutes = minutes
        self.maxAttempts = maxAttempts
        self.counting = counting
        self.multipleChoice = multipleChoice
        self.review = review
        self.targetDifficulty = targetDifficulty
        self.sections = sections
        self.location = location
    }

    /// Points the sections add up to.
    public var sectionPoints: Double { sections.reduce(0) { $0 + $1.points } }
}

public struct BlueprintSection: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var draws: [DrawRule]
    public var location: SourceLocation

    public init(id: String, title: String, draws: [DrawRule], location: SourceLocation) {
        self.id = id
        self.title = title
        self.draws = draws
        self.location = location
    }

    public var points: Double { draws.reduce(0) { $0 + Double($1.count) * $1.points } }
}

/// Draw `count` questions matching every filter that is set. `points` is per question; for a
/// case-analysis question it is the whole case, split among sub-questions by weight.
public struct DrawRule: Hashable, Sendable, Codable {
    public var count: Int
    public var type: QuestionType?
    public var topic: String?
    public var difficulty: Int?
    public var points: Double
    public var location: SourceLocation

    public init(
        count: Int, type: QuestionType?, topic: String?, difficulty: Int?, points: Double,
        location: SourceLocation
    ) {
        self.count = count
        self.type = type
        self.topic = topic
        self.difficulty = difficulty
        self.points = points
        self.location = location
    }

    public func matches(_ q: Question) -> Bool {
        (type == nil || q.type == type) && (topic == nil || q.topic == topic)
            && (difficulty == nil || q.difficulty == difficulty)
    }
}
