import Courseware
import ExamAssembly
import Foundation
import Grading
import Localization

/// Where an `ExamSession` commits answers, flags and the final grade. The CLI adapts the Records
/// store to it; tests use an in-memory fake. Every method must return only after the write is
/// durable (committed), and throw if it is not.
public protocol ExamSessionStore: AnyObject {
    /// Saves the latest value for `key` (a question id, or `flag:<question id>`).
    func save(key: String, value: Data, at: Date) throws
    /// Closes the attempt with its grade.
    func submit(report: GradeReport, reportJSON: Data, at: Date, timedOut: Bool) throws
}

/// One attempt being sat, independent of any user interface: the paper, the answers, the flags,
/// the clock and the persistence calls. The line mode (`exam take --plain`) and the full-screen
/// mode both drive this type; they only render `view(_:)` and `overview()` and forward input.
///
/// Rules:
/// - An answer or flag is saved through the store first; only after the store returns is it
///   recorded here, so whatever the UI shows as saved is durable.
/// - The clock is wall-clock: `deadline = startedAt + timeLimit`. It keeps running while the
///   officer is away (quit, kill -9, dropped SSH); resuming shows `deadline − now`.
/// - After the deadline, `answer`/`setFlag` throw `.timeUp`; the UI then calls `submit(now:)`,
///   which grades what was saved and marks the attempt as timed out.
public final class ExamSession {
    public enum SessionError: BilingualError, Equatable {
        case timeUp
        case alreadySubmitted
        case noSuchQuestion(Int, count: Int)
        /// The input does not fit the question (e.g. two letters for a single choice).
        case invalidAnswer(zh: String, en: String)

        /// The English form (logs, tests).
        public var description: String { message.en }

        public var message: BilingualText {
            switch self {
            case .timeUp: BilingualText(zh: "考试时间已到", en: "time is up")
            case .alreadySubmitted: BilingualText(zh: "已交卷", en: "already submitted")
            case let .noSuchQuestion(n, count): BilingualText(zh: "没有第 \(n) 题（共 \(count) 题）", en: "there is no question \(n) (1–\(count))")
            case let .invalidAnswer(zh, en): BilingualText(zh: zh, en: en)
            }
        }
    }

    /// An answer in the terms the officer sees.
    public enum Answer: Equatable, Sendable {
        /// Displayed option positions (0 = A).
        case options([Int])
        case trueFalse(Bool)
        case blanks([String])
    }

    /// Everything a front end needs to render one question.
    public struct SlotView: Equatable, Sendable {
        public var number: Int
        public var count: Int
        public var sectionIndex: Int
        public var sectionTitle: String
        public var type: QuestionType
        public var points: Double
        /// For a case part: the scenario paragraphs, the part's position and the case's part count.
        public var caseScenario: [String]?
        public var casePart: Int?
        public var caseParts: Int?
        public var stem: String
        /// Option texts in displayed order (labels are `OptionLabel.label(i)`).
        public var options: [String]
        public var blanks: Int
        /// The saved answer in displayed terms, nil when unanswered.
        public var answer: Answer?
        public var flagged: Bool
    }

    public struct Overview: Equatable, Sendable {
        public var answered: [Int]
        public var unanswered: [Int]
        public var flagged: [Int]
    }

    public let paper: Paper
    public let blueprint: ExamBlueprint
    public let slots: [PaperSlot]
    public let startedAt: Date
    public let timeLimit: TimeInterval
    public private(set) var responses: Responses
    public private(set) var flagged: Set<String>
    /// Index into `slots` of the question on screen.
    public private(set) var current: Int = 0
    public private(set) var report: GradeReport?

    let questions: [String: Question]
    let resolved: [Question]
    let store: ExamSessionStore

    /// - Parameters:
    ///   - saved: what the store holds for this attempt (key → value), for resuming.
    public init(
        paper: Paper, blueprint: ExamBlueprint, questions: [String: Question], startedAt: Date,
        timeLimit: TimeInterval, saved: [String: Data], store: ExamSessionStore
    ) throws(GradingError) {
        self.paper = paper
        self.blueprint = blueprint
        self.questions = questions
        self.startedAt = startedAt
        self.timeLimit = timeLimit
        self.store = store
        slots = paper.slots
        var resolved: [Question] = []
        for slot in slots {
            if let caseID = slot.caseID {
                guard let c = questions[caseID] else { throw .unknownQuestion(caseID, number: slot.number) }
                guard case .caseAnalysis(let ca) = c.body, let p = ca.parts.first(where: { $0.id == slot.questionID })
                else { throw .unknownPart(slot.questionID, caseID: caseID, number: slot.number) }
                resolved.append(p)
            } else {
                guard let q = questions[slot.questionID] else { throw .unknownQuestion(slot.questionID, number: slot.number) }
                resolved.append(q)
            }
        }
        self.resolved = resolved
        var responses: Responses = [:]
        var flagged: Set<String> = []
        let decoder = JSONDecoder()
        let ids = Set(slots.map(\.questionID))
        for (key, value) in saved {
            if key.hasPrefix(ExamSession.flagPrefix) {
                let id = String(key.dropFirst(ExamSession.flagPrefix.count))
                if ids.contains(id), (try? decoder.decode(Bool.self, from: value)) == true { flagged.insert(id) }
            } else if ids.contains(key), let r = try? decoder.decode(Response.self, from: value) {
                responses[key] = r
            }
        }
        // A saved "cleared" answer is stored as an empty response; treat it as unanswered.
        self.responses = responses.filter { !$0.value.isEmpty }
        self.flagged = flagged
        // Resume where the officer left off: the first unanswered question.
        current = slots.firstIndex { self.responses[$0.questionID] == nil } ?? 0
    }

    public static let flagPrefix = "flag:"

    public var count: Int { slots.count }
    public var deadline: Date { startedAt.addingTimeInterval(timeLimit) }
    public var answeredCount: Int { slots.filter { responses[$0.questionID] != nil }.count }
    public var isSubmitted: Bool { report != nil }

    /// Never more than the limit, even if the system clock was set back since the start.
    public func remainingSeconds(now: Date) -> Int {
        max(0, min(Int(timeLimit), Int(deadline.timeIntervalSince(now).rounded(.down))))
    }
    public func isTimeUp(now: Date) -> Bool { now >= deadline }

    // MARK: Navigation

    public func go(to number: Int) throws(SessionError) {
        guard (1...count).contains(number) else { throw .noSuchQuestion(number, count: count) }
        current = number - 1
    }

    /// Returns false at the last question.
    @discardableResult public func next() -> Bool {
        guard current + 1 < count else { return false }
        current += 1
        return true
    }

    /// Returns false at the first question.
    @discardableResult public func previous() -> Bool {
        guard current > 0 else { return false }
        current -= 1
        return true
    }

    // MARK: Rendering

    public func view(_ index: Int? = nil) -> SlotView {
        let i = index ?? current
        let slot = slots[i]
        let q = resolved[i]
        var scenario: [String]?
        var part: Int?, parts: Int?
        if let caseID = slot.caseID, case .caseAnalysis(let ca) = questions[caseID]?.body {
            scenario = ca.scenario
            part = (slot.part ?? 0) + 1
            parts = paper.sections[slot.section].items[slot.item].parts?.count
        }
        var stem = "", options: [String] = [], blanks = 0
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            stem = c.stem
            options = (slot.optionOrder ?? Array(c.options.indices)).map { c.options[$0].text }
        case .trueFalse(let t): stem = t.stem
        case .fillIn(let f): stem = f.displayStem; blanks = f.blanks.count
        case .caseAnalysis(let c): stem = c.scenario.joined(separator: "\n")
        }
        return SlotView(
            number: i + 1, count: count, sectionIndex: slot.section,
            sectionTitle: paper.sections[slot.section].title, type: q.type, points: slot.points,
            caseScenario: scenario, casePart: part, caseParts: parts, stem: stem, options: options,
            blanks: blanks, answer: responses[slot.questionID].map { displayed($0, slot) },
            flagged: flagged.contains(slot.questionID))
    }

    func displayed(_ r: Response, _ slot: PaperSlot) -> Answer {
        switch r {
        case .choice(let orig):
            let order = slot.optionOrder ?? []
            return .options(orig.compactMap { o in order.firstIndex(of: o) ?? (slot.optionOrder == nil ? o : nil) }.sorted())
        case .trueFalse(let b): return .trueFalse(b)
        case .fillIn(let f): return .blanks(f)
        }
    }

    public func overview() -> Overview {
        var o = Overview(answered: [], unanswered: [], flagged: [])
        for (i, slot) in slots.enumerated() {
            if responses[slot.questionID] != nil { o.answered.append(i + 1) } else { o.unanswered.append(i + 1) }
            if flagged.contains(slot.questionID) { o.flagged.append(i + 1) }
        }
        return o
    }

    // MARK: Answering

    /// Validates `answer` for the current question, commits it, then records it. Returns the
    /// number of answered questions after the save.
    @discardableResult
    public func answer(_ answer: Answer, now: Date) throws -> Int {
        guard !isSubmitted else { throw SessionError.alreadySubmitted }
        guard !isTimeUp(now: now) else { throw SessionError.timeUp }
        let slot = slots[current]
        let response = try response(for: answer, question: resolved[current], slot: slot)
        try store.save(key: slot.questionID, value: try JSONEncoder().encode(response), at: now)
        if response.isEmpty { responses[slot.questionID] = nil } else { responses[slot.questionID] = response }
        return answeredCount
    }

    /// Clears the current question's answer (saved as an empty response).
    @discardableResult
    public func clear(now: Date) throws -> Int {
        guard !isSubmitted else { throw SessionError.alreadySubmitted }
        guard !isTimeUp(now: now) else { throw SessionError.timeUp }
        let slot = slots[current]
        let empty: Response = resolved[current].type == .fillIn ? .fillIn([]) : .choice([])
        try store.save(key: slot.questionID, value: try JSONEncoder().encode(empty), at: now)
        responses[slot.questionID] = nil
        return answeredCount
    }

    func response(for answer: Answer, question q: Question, slot: PaperSlot) throws(SessionError) -> Response {
        switch (q.body, answer) {
        case (.singleChoice(let c), .options(let shown)), (.multipleChoice(let c), .options(let shown)):
            let order = slot.optionOrder ?? Array(c.options.indices)
            guard shown.allSatisfy({ (0..<order.count).contains($0) }) else {
                throw .invalidAnswer(
                    zh: "选项超出范围（A–\(OptionLabel.label(order.count - 1))）",
                    en: "option out of range (A–\(OptionLabel.label(order.count - 1)))")
            }
            if q.type == .singleChoice && Set(shown).count > 1 {
                throw .invalidAnswer(zh: "单选题只能选一个选项", en: "a single-choice question takes one option")
            }
            return .choice(Set(shown).map { order[$0] }.sorted())
        case (.trueFalse, .trueFalse(let b)):
            return .trueFalse(b)
        case (.fillIn(let f), .blanks(let texts)):
            guard texts.count <= f.blanks.count else {
                throw .invalidAnswer(
                    zh: "本题只有 \(f.blanks.count) 个空，收到 \(texts.count) 个答案",
                    en: "this question has \(f.blanks.count) blank(s) but \(texts.count) answers were given")
            }
            return .fillIn(texts.map { $0.trimmingCharacters(in: .whitespaces) })
        default:
            let expected: (String, String) =
                switch q.type {
                case .singleChoice: ("请输入一个选项字母，如 A", "answer with one option letter, e.g. A")
                case .multipleChoice: ("请输入选项字母，如 AC", "answer with option letters, e.g. AC")
                case .trueFalse: ("请输入 T/对 或 F/错", "answer T/对 or F/错")
                case .fillIn: ("填空题请以 = 开头，如 = 答案1 | 答案2", "fill-in answers start with =, e.g. = text1 | text2")
                case .caseAnalysis: ("", "")
                }
            throw .invalidAnswer(zh: expected.0, en: expected.1)
        }
    }

    public func setFlag(_ on: Bool, now: Date) throws {
        guard !isSubmitted else { throw SessionError.alreadySubmitted }
        guard !isTimeUp(now: now) else { throw SessionError.timeUp }
        let id = slots[current].questionID
        try store.save(key: ExamSession.flagPrefix + id, value: try JSONEncoder().encode(on), at: now)
        if on { flagged.insert(id) } else { flagged.remove(id) }
    }

    public func toggleFlag(now: Date) throws -> Bool {
        let on = !flagged.contains(slots[current].questionID)
        try setFlag(on, now: now)
        return on
    }

    // MARK: Submitting

    /// Grades the saved answers and closes the attempt through the store. After the deadline the
    /// attempt is recorded as timed out.
    @discardableResult
    public func submit(now: Date) throws -> GradeReport {
        if let report { return report }
        let r = try Grader.grade(paper: paper, blueprint: blueprint, questions: questions, responses: responses)
        let timedOut = isTimeUp(now: now)
        try store.submit(report: r, reportJSON: r.canonicalJSON(), at: timedOut ? min(now, deadline) : now, timedOut: timedOut)
        report = r
        return r
    }
}
