import Courseware
import ExamAssembly
import Foundation
import Localization

public enum GradingError: BilingualError, Hashable, Sendable {
    /// The paper names a question the current content no longer has.
    case unknownQuestion(String, number: Int)
    /// The paper's case part is not a part of that case in the current content.
    case unknownPart(String, caseID: String, number: Int)

    /// The English form (logs, tests).
    public var description: String { message.en }

    public var message: BilingualText {
        switch self {
        case let .unknownQuestion(id, n):
            BilingualText(
                zh: "试卷第 \(n) 题的题目 \(id) 在当前题库中不存在", en: "question \(id) (number \(n) on the paper) is not in the current content")
        case let .unknownPart(id, caseID, n):
            BilingualText(
                zh: "试卷第 \(n) 题 \(id) 不再是案例 \(caseID) 的小题",
                en: "question \(id) (number \(n) on the paper) is no longer a part of case \(caseID)")
        }
    }
}

/// How one question was answered.
public enum Outcome: String, Codable, Hashable, Sendable {
    case correct, partial, incorrect, unanswered
}

public struct ItemResult: Codable, Hashable, Sendable {
    /// The number shown on the paper (1-based, case parts numbered individually).
    public var number: Int
    public var questionID: String
    public var caseID: String?
    public var sectionID: String
    public var type: QuestionType
    public var topic: String
    public var provisionIDs: [String]
    public var points: Double
    public var score: Double
    public var outcome: Outcome
    public var response: Response?
    /// The key as the officer saw it: option letters in displayed order, 对/错, or accepted
    /// answers per blank joined by ` | `.
    public var key: String
    public var explanation: String
}

public struct Breakdown: Codable, Hashable, Sendable {
    public var key: String
    public var score: Double
    public var max: Double
    public var questions: Int
}

public struct GradeReport: Codable, Hashable, Sendable {
    public var blueprintID: String
    public var blueprintVersion: Int
    public var bankHash: String
    public var seed: UInt64
    /// Rounded to 0.01.
    public var score: Double
    public var maxScore: Double
    public var passPoints: Double
    /// score ≥ passPoints.
    public var passed: Bool
    public var items: [ItemResult]
    /// By the topic of each answered question (case parts by their own topic).
    public var byTopic: [Breakdown]
    /// By provision: a question counts in full toward every provision it cites.
    public var byProvision: [Breakdown]
    public var review: ExamBlueprint.ReviewPolicy

    /// Questions not answered fully correctly, with their explanations.
    public var missed: [ItemResult] { items.filter { $0.outcome != .correct } }

    /// Whether the officer may see item-level review (keys, explanations) at `now`.
    public func reviewVisible(now: Date, cycleDue: Date?) -> Bool {
        review.isVisible(now: now, cycleDue: cycleDue)
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    public func canonicalJSON() -> Data { (try? GradeReport.encoder.encode(self)) ?? Data() }
}

extension ExamBlueprint.ReviewPolicy {
    /// immediately → always; after-close → once `now` is past the cycle's due date (never when
    /// the cycle has no due date); never → never.
    public func isVisible(now: Date, cycleDue: Date?) -> Bool {
        switch self {
        case .immediately: true
        case .afterClose: cycleDue.map { now >= $0 } ?? false
        case .never: false
        }
    }
}

/// Pure scoring: (paper, content, responses, blueprint policy) → report. Never re-shuffles: the
/// option order comes from the stored paper.
public enum Grader {
    /// Index top-level questions by id.
    public static func index(_ pool: [Question]) -> [String: Question] {
        var d: [String: Question] = [:]
        for q in pool { d[q.id] = q }
        return d
    }

    public static func grade(
        paper: Paper, blueprint: ExamBlueprint, questions: [String: Question],
        responses: Responses
    ) throws(GradingError) -> GradeReport {
        var items: [ItemResult] = []
        for slot in paper.slots {
            let sectionID = paper.sections[slot.section].id
            let question: Question
            if let caseID = slot.caseID {
                guard let c = questions[caseID] else { throw .unknownQuestion(caseID, number: slot.number) }
                guard case .caseAnalysis(let ca) = c.body, let p = ca.parts.first(where: { $0.id == slot.questionID })
                else { throw .unknownPart(slot.questionID, caseID: caseID, number: slot.number) }
                question = p
            } else {
                guard let q = questions[slot.questionID] else { throw .unknownQuestion(slot.questionID, number: slot.number) }
                question = q
            }
            let response = responses[slot.questionID]
            let (score, outcome) = scoreQuestion(
                question, points: slot.points, response: response,
                policy: blueprint.multipleChoice)
            items.append(
                ItemResult(
                    number: slot.number, questionID: question.id, caseID: slot.caseID,
                    sectionID: sectionID, type: question.type, topic: question.topic,
                    provisionIDs: question.citations.map(\.provisionID),
                    points: slot.points, score: score, outcome: outcome, response: response,
                    key: keyText(question, optionOrder: slot.optionOrder),
                    explanation: question.explanation))
        }
        let total = round2(items.reduce(0) { $0 + $1.score })
        let max = round2(items.reduce(0) { $0 + $1.points })
        return GradeReport(
            blueprintID: paper.blueprintID, blueprintVersion: paper.blueprintVersion,
            bankHash: paper.bankHash, seed: paper.seed, score: total, maxScore: max,
            passPoints: blueprint.passPoints, passed: total >= blueprint.passPoints - 1e-9,
            items: items, byTopic: breakdown(items, keys: { [$0.topic] }),
            byProvision: breakdown(items, keys: { $0.provisionIDs }), review: blueprint.review)
    }

    static func breakdown(_ items: [ItemResult], keys: (ItemResult) -> [String]) -> [Breakdown] {
        var order: [String] = []
        var acc: [String: Breakdown] = [:]
        for item in items {
            for k in Set(keys(item)).sorted() {
                if acc[k] == nil { order.append(k); acc[k] = Breakdown(key: k, score: 0, max: 0, questions: 0) }
                acc[k]!.score += item.score
                acc[k]!.max += item.points
                acc[k]!.questions += 1
            }
        }
        return order.sorted().map { k in
            var b = acc[k]!
            b.score = round2(b.score)
            b.max = round2(b.max)
            return b
        }
    }

    /// Score one non-case question worth `points`. One rule per question type:
    /// - single choice, true/false: all or nothing;
    /// - multiple choice: exact set → full; under `.partial`, a non-empty correct subset earns
    ///   `fraction × points` (or points × chosen/correct when no fraction); any wrong option → 0;
    /// - fill-in: each blank earns points / blanks when its normalised answer equals a normalised
    ///   accepted form;
    /// - case analysis: the sum of its parts, split by weight (`points` is the whole case).
    public static func scoreQuestion(
        _ q: Question, points: Double, response: Response?,
        policy: ExamBlueprint.MultipleChoicePolicy
    ) -> (Double, Outcome) {
        guard let response, !response.isEmpty else { return (0, .unanswered) }
        switch (q.body, response) {
        case (.singleChoice(let c), .choice(let chosen)):
            let set = Set(chosen)
            return set.count == 1 && set == Set(c.correctIndices) ? (points, .correct) : (0, .incorrect)
        case (.trueFalse(let t), .trueFalse(let b)):
            return b == t.answer ? (points, .correct) : (0, .incorrect)
        case (.multipleChoice(let c), .choice(let chosen)):
            let set = Set(chosen)
            let correct = Set(c.correctIndices)
            if set == correct { return (points, .correct) }
            guard case .partial(let fraction) = policy, set.isSubset(of: correct), !set.isEmpty else {
                return (0, .incorrect)
            }
            let earned = fraction.map { points * $0 } ?? points * Double(set.count) / Double(correct.count)
            return (round2(earned), .partial)
        case (.fillIn(let f), .fillIn(let answers)):
            guard !f.blanks.isEmpty else { return (0, .incorrect) }
            var right = 0
            for (i, blank) in f.blanks.enumerated() where i < answers.count {
                let a = FillInNormalizer.normalize(answers[i])
                if !a.isEmpty && blank.accepted.contains(where: { FillInNormalizer.normalize($0) == a }) { right += 1 }
            }
            if right == f.blanks.count { return (points, .correct) }
            if right == 0 { return (0, .incorrect) }
            return (round2(points * Double(right) / Double(f.blanks.count)), .partial)
        default:
            // A response of the wrong kind (e.g. text for a choice question) earns nothing.
            return (0, .incorrect)
        }
    }

    /// Score a whole case from its parts' responses. Points are split by weight exactly as the
    /// assembler does.
    public static func scoreCase(
        _ q: Question, parts: [PaperPart], responses: Responses,
        policy: ExamBlueprint.MultipleChoicePolicy
    ) -> Double {
        guard case .caseAnalysis(let c) = q.body else { return 0 }
        var total = 0.0
        for part in parts {
            guard let p = c.parts.first(where: { $0.id == part.questionID }) else { continue }
            total += scoreQuestion(p, points: part.points, response: responses[part.questionID], policy: policy).0
        }
        return round2(total)
    }

    /// The key as shown to the officer.
    public static func keyText(_ q: Question, optionOrder: [Int]?) -> String {
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            let order = optionOrder ?? Array(c.options.indices)
            return order.enumerated().filter { c.options[$0.element].correct }.map { OptionLabel.label($0.offset) }.joined()
        case .trueFalse(let t):
            return t.answer ? "对 (T)" : "错 (F)"
        case .fillIn(let f):
            return f.blanks.map { $0.accepted.joined(separator: " / ") }.joined(separator: " | ")
        case .caseAnalysis:
            return ""
        }
    }
}

@inline(__always) func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
