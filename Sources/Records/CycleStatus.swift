import Courseware
import Foundation
import Localization

/// A person's state in one training cycle.
public enum CycleStatus: Sendable, Hashable {
    case notStarted
    /// Some required items or an attempt so far, not yet passed.
    case studying(done: Int, total: Int)
    /// The counting attempt passed but required lessons are still unread.
    case passed
    /// Every attempt used and the counting one did not pass.
    case failed
    /// Every required item read and the exam passed, within the window.
    case completed(on: Date)
    case exempt(reason: String)
    /// The window closed without completion (and the person was neither exempt nor failed).
    case overdue

    /// Stable machine key used in JSON and CSV.
    public var key: String {
        switch self {
        case .notStarted: "not_started"
        case .studying: "studying"
        case .passed: "passed"
        case .failed: "failed"
        case .completed: "completed"
        case .exempt: "exempt"
        case .overdue: "overdue"
        }
    }

    public var label: BilingualText {
        switch self {
        case .notStarted: BilingualText(zh: "未开始", en: "not started")
        case let .studying(done, total): BilingualText(zh: "学习中 \(done)/\(total)", en: "studying \(done) of \(total)")
        case .passed: BilingualText(zh: "考试已通过", en: "exam passed")
        case .failed: BilingualText(zh: "未通过（次数已用完）", en: "failed (all attempts used)")
        case .completed: BilingualText(zh: "已完成", en: "completed")
        case let .exempt(reason): BilingualText(zh: "免训（\(reason)）", en: "exempt (\(reason))")
        case .overdue: BilingualText(zh: "逾期", en: "overdue")
        }
    }

    /// Every key, in the order rosters count them.
    public static let allKeys = ["not_started", "studying", "passed", "failed", "completed", "exempt", "overdue"]
}

/// A graded (or open) attempt as the status computation sees it.
public struct AttemptOutcome: Sendable, Hashable {
    public var number: Int
    public var startedAt: Date
    /// nil while the attempt is open.
    public var submittedAt: Date?
    /// The grade in force (after any regrade); nil while open.
    public var score: Double?
    public var passed: Bool?
    public var maxScore: Double?

    public init(
        number: Int, startedAt: Date, submittedAt: Date?, score: Double?, passed: Bool?,
        maxScore: Double? = nil
    ) {
        self.number = number
        self.startedAt = startedAt
        self.submittedAt = submittedAt
        self.score = score
        self.passed = passed
        self.maxScore = maxScore
    }

    public var isGraded: Bool { submittedAt != nil && score != nil }
}

/// The computed standing of one person in one cycle.
public struct CycleStanding: Sendable, Hashable {
    public var status: CycleStatus
    public var itemsDone: Int
    public var itemsTotal: Int
    public var attemptsUsed: Int
    /// The attempt that counts under the blueprint's rule, if any attempt is graded.
    public var countingAttemptNumber: Int?
    public var countingScore: Double?
    public var countingMaxScore: Double?
    public var passed: Bool?
    public var completedAt: Date?

    public init(
        status: CycleStatus, itemsDone: Int, itemsTotal: Int, attemptsUsed: Int,
        countingAttemptNumber: Int?, countingScore: Double?, countingMaxScore: Double?,
        passed: Bool?, completedAt: Date?
    ) {
        self.status = status
        self.itemsDone = itemsDone
        self.itemsTotal = itemsTotal
        self.attemptsUsed = attemptsUsed
        self.countingAttemptNumber = countingAttemptNumber
        self.countingScore = countingScore
        self.countingMaxScore = countingMaxScore
        self.passed = passed
        self.completedAt = completedAt
    }
}

/// The status rules, as a pure function of what the store knows and the content's numbers.
///
/// Precedence, first match wins:
/// 1. exempt — an exemption overrides everything, even a pass;
/// 2. completed — all required items finished no later than the window end, and the counting
///    attempt passed (attempts can only start inside the window); the completion date is the
///    later of the last required item and the passing submission;
/// 3. failed — every attempt used and the counting attempt did not pass;
/// 4. overdue — `now` is past the window end;
/// 5. passed — the counting attempt passed, lessons still unread;
/// 6. studying — anything finished or attempted;
/// 7. not started.
///
/// Counting: `highest` takes the best graded score (earliest on ties), `latest` the last graded
/// attempt, `first` the first graded attempt. Open attempts never count.
public enum CycleStatusRules {
    public static func standing(
        requiredItemIDs: [String],
        finished: [FinishedItem],
        attempts: [AttemptOutcome],
        maxAttempts: Int,
        counting: ExamBlueprint.CountingRule,
        exemptionReason: String?,
        windowEnd: Date,
        now: Date
    ) -> CycleStanding {
        let required = Set(requiredItemIDs)
        var lastRequired: Date?
        var done = Set<String>()
        for item in finished where required.contains(item.itemID) && item.finishedAt < windowEnd {
            if done.insert(item.itemID).inserted {
                lastRequired = max(lastRequired ?? item.finishedAt, item.finishedAt)
            }
        }
        return standing(
            requiredDone: done.count, requiredTotal: required.count, lastRequiredAt: lastRequired,
            anyActivity: !finished.isEmpty, attempts: attempts, maxAttempts: maxAttempts,
            counting: counting, exemptionReason: exemptionReason, windowEnd: windowEnd, now: now)
    }

    /// The same rules from aggregated progress (what the roster query computes in SQL):
    /// `requiredDone` counts distinct required items finished before the window end, and
    /// `lastRequiredAt` is the latest of those; `anyActivity` is true if anything was finished.
    public static func standing(
        requiredDone: Int,
        requiredTotal: Int,
        lastRequiredAt: Date?,
        anyActivity: Bool,
        attempts: [AttemptOutcome],
        maxAttempts: Int,
        counting: ExamBlueprint.CountingRule,
        exemptionReason: String?,
        windowEnd: Date,
        now: Date
    ) -> CycleStanding {
        let counted = countingAttempt(attempts, rule: counting)
        let allRead = requiredDone >= requiredTotal
        var completedAt: Date?
        if allRead, let counted, counted.passed == true, let submitted = counted.submittedAt {
            completedAt = max(lastRequiredAt ?? submitted, submitted)
        }
        let status: CycleStatus
        if let reason = exemptionReason {
            status = .exempt(reason: reason)
        } else if let completedAt {
            status = .completed(on: completedAt)
        } else if !attempts.isEmpty, attempts.count >= maxAttempts, attempts.allSatisfy(\.isGraded),
            counted?.passed != true
        {
            status = .failed
        } else if now >= windowEnd {
            status = .overdue
        } else if counted?.passed == true {
            status = .passed
        } else if anyActivity || !attempts.isEmpty {
            status = .studying(done: requiredDone, total: requiredTotal)
        } else {
            status = .notStarted
        }
        return CycleStanding(
            status: status, itemsDone: requiredDone, itemsTotal: requiredTotal,
            attemptsUsed: attempts.count, countingAttemptNumber: counted?.number,
            countingScore: counted?.score, countingMaxScore: counted?.maxScore, passed: counted?.passed,
            completedAt: exemptionReason == nil ? completedAt : nil)
    }

    /// The attempt that counts among the graded ones.
    public static func countingAttempt(
        _ attempts: [AttemptOutcome],
        rule: ExamBlueprint.CountingRule
    ) -> AttemptOutcome? {
        // One pass, no allocation when the attempts come in number order (the store's order).
        var inOrder = true
        for i in attempts.indices.dropFirst() where attempts[i - 1].number > attempts[i].number { inOrder = false }
        let ordered = inOrder ? attempts : attempts.sorted { $0.number < $1.number }
        var first: AttemptOutcome?, last: AttemptOutcome?, best: AttemptOutcome?
        for a in ordered where a.isGraded {
            if first == nil { first = a }
            last = a
            if best == nil || a.score! > best!.score! { best = a }
        }
        switch rule {
        case .first: return first
        case .latest: return last
        case .highest: return best
        }
    }
}
