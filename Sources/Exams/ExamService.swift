import Courseware
import ExamAssembly
import Foundation
import Grading
import Records

/// The officer's side of the exam, for every front end (the local terminal, the line protocol,
/// the SSH hall): which cycle applies, resume or a new paper under the attempts policy, and a
/// ready `ExamSession` whose answers are committed to the store before they are acknowledged.
/// It takes the store, the content and the clock as values and keeps no other state.
public struct ExamService {
    public let store: any EducationStore
    public let content: ExamContent
    public let clock: WallClock
    /// The clock a new attempt's start is recorded on; `clock` unless the caller says otherwise.
    /// The command line passes the real clock here, so its test hook that moves `clock` forward
    /// can never move a start (and so a deadline) later.
    public let startClock: WallClock
    /// Seeds for new papers. A paper's seed is stored with it, so any source will do; tests fix it.
    public var drawSeed: () -> UInt64

    public init(
        store: any EducationStore, content: ExamContent, clock: WallClock, startClock: WallClock? = nil,
        drawSeed: @escaping () -> UInt64 = { var g = SystemRandomNumberGenerator(); return g.next() }
    ) {
        self.store = store
        self.content = content
        self.clock = clock
        self.startClock = startClock ?? clock
        self.drawSeed = drawSeed
    }

    /// Opens the exam for `badge`: resumes the open attempt, or draws a paper the officer has not
    /// seen in this cycle and starts a new attempt (the store refuses inactive, exempt or
    /// out-of-population officers, closed cycles and used-up attempts, as `AttemptRefusal`).
    public func open(badge: String, cycleID: String?) throws -> OpenExam {
        let cycle = try CycleResolver.resolve(store: store, badge: badge, cycleID: cycleID, now: clock.now())
        guard let blueprint = content.blueprint(cycle.blueprintID) else {
            throw ExamServiceError.blueprintNotLoaded(cycleID: cycle.id, blueprintID: cycle.blueprintID)
        }
        let questions = Grader.index(content.questions)
        if let open = try store.openAttempt(badge: badge, cycleID: cycle.id) {
            let paper: Paper
            do { paper = try Paper.decode(open.paper) } catch {
                throw ExamServiceError.unreadablePaper(attempt: open.number, detail: "\(error)")
            }
            let saved = try store.answers(attemptID: open.id).mapValues(\.response)
            let session = try makeSession(paper, blueprint, questions, open, saved: saved)
            return OpenExam(
                session: session, attempt: open, cycle: cycle, blueprint: blueprint, resumed: true,
                provisionTitles: content.provisionTitles)
        }
        let paper: Paper
        do {
            let assembler = try Assembler(
                blueprint: blueprint, pool: content.pool(for: blueprint, index: questions),
                bankHash: content.bankHashes[blueprint.id])
            let seen = try store.seenQuestionIDs(badge: badge, cycleID: cycle.id)
            paper = try assembler.paper(seed: drawSeed(), excluding: seen)
        } catch let e as AssemblyError {
            throw ExamServiceError.content(e.message)
        }
        let attempt = try store.startAttempt(
            AttemptRequest(
                badge: badge, cycleID: cycle.id, maxAttempts: blueprint.maxAttempts, blueprintID: blueprint.id,
                blueprintVersion: blueprint.version, bankHash: paper.bankHash, seed: paper.seed,
                paper: paper.canonicalJSON(), questionIDs: paper.questionIDs,
                timeLimitSeconds: blueprint.minutes * 60, startedAt: startClock.now()))
        let session = try makeSession(paper, blueprint, questions, attempt, saved: [:])
        return OpenExam(
            session: session, attempt: attempt, cycle: cycle, blueprint: blueprint, resumed: false,
            provisionTitles: content.provisionTitles)
    }

    private func makeSession(
        _ paper: Paper, _ blueprint: ExamBlueprint, _ questions: [String: Question], _ attempt: Attempt,
        saved: [String: Data]
    ) throws -> ExamSession {
        do {
            return try ExamSession(
                paper: paper, blueprint: blueprint, questions: questions, startedAt: attempt.startedAt,
                timeLimit: TimeInterval(attempt.timeLimitSeconds), saved: saved,
                store: RecordsSessionStore(store: store, attemptID: attempt.id))
        } catch {
            throw ExamServiceError.content(error.message)
        }
    }
}

/// An attempt ready to be sat: the session plus what a front end shows around it.
public struct OpenExam {
    public var session: ExamSession
    public var attempt: Attempt
    public var cycle: TrainingCycle
    public var blueprint: ExamBlueprint
    /// True when an open attempt was resumed.
    public var resumed: Bool
    /// Provision titles by id, for the result's breakdown.
    public var provisionTitles: [String: String]

    /// 「s3.ban.eat-take 严禁吃、拿、卡、要」, or the id alone when the content has no title for it.
    public func provisionLabel(_ id: String) -> String {
        provisionTitles[id].map { "\(id) \($0)" } ?? id
    }

    /// Whether the officer may see the review of missed questions at `now` (the blueprint's policy).
    public func reviewVisible(now: Date) -> Bool {
        blueprint.review.isVisible(now: now, cycleDue: cycle.windowEnd)
    }
}

/// Which cycle an officer means: `--cycle` if given; else the one cycle with an open attempt for
/// the badge; else the one cycle open at `now` whose population covers the badge. Shared by the
/// exam and study so both agree on the open cycle.
public enum CycleResolver {
    public static func resolve(store: any EducationStore, badge: String, cycleID: String?, now: Date) throws -> TrainingCycle {
        if let cycleID {
            guard let c = try store.cycle(id: cycleID) else { throw AttemptRefusal.unknownCycle(cycleID) }
            return c
        }
        let all = try store.cycles()
        let withOpen = try all.filter { try store.openAttempt(badge: badge, cycleID: $0.id) != nil }
        if withOpen.count == 1 { return withOpen[0] }
        guard let member = try store.staffMember(badge: badge) else { throw AttemptRefusal.unknownBadge(badge) }
        let candidates = all.filter { $0.isWithinWindow(now) && $0.covers(department: member.department, role: member.role) }
        if candidates.count == 1 { return candidates[0] }
        if candidates.isEmpty { throw ExamServiceError.noOpenCycle(badge: badge) }
        throw ExamServiceError.severalOpenCycles(badge: badge, cycleIDs: candidates.map(\.id))
    }
}

/// Connects an `ExamSession` to the Records store: answers and flags become `saveAnswer` calls
/// (each committed durably before it returns), submission becomes `submitAttempt`.
final class RecordsSessionStore: ExamSessionStore {
    let store: any EducationStore
    let attemptID: Int64

    init(store: any EducationStore, attemptID: Int64) {
        self.store = store
        self.attemptID = attemptID
    }

    func save(key: String, value: Data, at: Date) throws {
        try store.saveAnswer(attemptID: attemptID, questionKey: key, response: value, at: at)
    }

    func submit(report: GradeReport, reportJSON: Data, at: Date, timedOut: Bool) throws {
        try store.submitAttempt(
            attemptID: attemptID, report: reportJSON, score: report.score, maxScore: report.maxScore,
            passed: report.passed, submittedAt: at, reason: timedOut ? .timeout : .submitted)
    }
}
