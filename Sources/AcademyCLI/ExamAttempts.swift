import Courseware
import ExamAssembly
import Foundation
import Grading
import Records

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

/// Why an exam could not be opened, beyond the store's own `AttemptRefusal`.
struct ExamLaunchError: Error, CustomStringConvertible {
    var description: String
}

/// Opens the exam for an officer: finds the cycle, resumes the open attempt or draws a new paper
/// and starts an attempt (the store enforces the attempts policy), and returns a ready session.
/// Both front ends (`--plain` and full-screen) start here.
struct ExamLaunch {
    var session: ExamSession
    var attempt: Attempt
    var cycle: TrainingCycle
    var blueprint: ExamBlueprint
    /// True when an open attempt was resumed.
    var resumed: Bool
    /// Provision titles by id, for the result's breakdown.
    var provisionTitles: [String: String] = [:]

    /// 「s3.ban.eat-take 严禁吃、拿、卡、要」, or the id alone when the content has no title for it.
    func provisionLabel(_ id: String) -> String {
        provisionTitles[id].map { "\(id) \($0)" } ?? id
    }

    static func open(
        store: any EducationStore, content: ExamContent, badge: String, cycleID: String?,
        now: Date = Date()
    ) throws -> ExamLaunch {
        let cycle = try resolveCycle(store: store, badge: badge, cycleID: cycleID, now: now)
        guard let blueprint = content.blueprint(cycle.blueprintID) else {
            throw ExamLaunchError(
                description: L10n.pick(
                    zh: "培训周期 \(cycle.id) 的试卷蓝图 \(cycle.blueprintID) 不在已加载的内容中",
                    en: "cycle \(cycle.id) uses blueprint \(cycle.blueprintID), which is not in the loaded content"))
        }
        let questions = Grader.index(content.questions)
        if let open = try store.openAttempt(badge: badge, cycleID: cycle.id) {
            let paper: Paper
            do { paper = try Paper.decode(open.paper) } catch {
                throw ExamLaunchError(
                    description: L10n.pick(
                        zh: "无法读取第 \(open.number) 次考试保存的试卷：\(error)",
                        en: "cannot read the stored paper of attempt \(open.number): \(error)"))
            }
            let saved = try store.answers(attemptID: open.id).mapValues(\.response)
            let session = try makeSession(
                paper: paper, blueprint: blueprint, questions: questions, attempt: open,
                saved: saved, store: store)
            return ExamLaunch(
                session: session, attempt: open, cycle: cycle, blueprint: blueprint, resumed: true,
                provisionTitles: content.provisionTitles)
        }
        let assembler: Assembler
        let paper: Paper
        do {
            assembler = try Assembler(
                blueprint: blueprint, pool: content.pool(for: blueprint, index: questions),
                bankHash: content.bankHashes[blueprint.id])
            let seen = try store.seenQuestionIDs(badge: badge, cycleID: cycle.id)
            var system = SystemRandomNumberGenerator()
            paper = try assembler.paper(seed: system.next(), excluding: seen)
        } catch let e as AssemblyError {
            throw ExamLaunchError(description: e.message(chinese: L10n.isChinese))
        }
        let attempt = try store.startAttempt(
            AttemptRequest(
                badge: badge, cycleID: cycle.id, maxAttempts: blueprint.maxAttempts, blueprintID: blueprint.id,
                blueprintVersion: blueprint.version, bankHash: paper.bankHash, seed: paper.seed, paper: paper.canonicalJSON(),
                questionIDs: paper.questionIDs, timeLimitSeconds: blueprint.minutes * 60, startedAt: now))
        let session = try makeSession(
            paper: paper, blueprint: blueprint, questions: questions, attempt: attempt,
            saved: [:], store: store)
        return ExamLaunch(
            session: session, attempt: attempt, cycle: cycle, blueprint: blueprint, resumed: false,
            provisionTitles: content.provisionTitles)
    }

    static func makeSession(
        paper: Paper, blueprint: ExamBlueprint, questions: [String: Question], attempt: Attempt,
        saved: [String: Data], store: any EducationStore
    ) throws -> ExamSession {
        do {
            return try ExamSession(
                paper: paper, blueprint: blueprint, questions: questions, startedAt: attempt.startedAt,
                timeLimit: TimeInterval(attempt.timeLimitSeconds), saved: saved,
                store: RecordsSessionStore(store: store, attemptID: attempt.id))
        } catch {
            throw ExamLaunchError(description: error.message(chinese: L10n.isChinese))
        }
    }

    /// `--cycle` if given; else the one cycle with an open attempt for the badge; else the one
    /// cycle open today whose population covers the badge.
    static func resolveCycle(store: any EducationStore, badge: String, cycleID: String?, now: Date) throws -> TrainingCycle {
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
        if candidates.isEmpty {
            throw ExamLaunchError(
                description: L10n.pick(
                    zh: "\(badge) 当前没有进行中的培训周期；请用 --cycle 指定",
                    en: "no training cycle is open for \(badge) now; name one with --cycle"))
        }
        throw ExamLaunchError(
            description: L10n.pick(
                zh: "\(badge) 同时属于多个进行中的培训周期（\(candidates.map(\.id).joined(separator: "、"))）；请用 --cycle 指定",
                en: "\(badge) is in several open cycles (\(candidates.map(\.id).joined(separator: ", "))); name one with --cycle")
        )
    }
}
