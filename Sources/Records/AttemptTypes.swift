import Foundation

// Exam attempts as the store keeps them.

/// Why an attempt ended.
public enum AttemptEndReason: String, Sendable, Hashable, Codable {
    case submitted, timeout
    /// Closed ungraded because the person was exempted while it was open.
    case exempted
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
