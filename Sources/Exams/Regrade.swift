import Courseware
import ExamAssembly
import Foundation
import Grading
import Localization
import Records

extension ExamService {
    /// One attempt whose score or pass/fail changes on regrading.
    public struct RegradeChange: Equatable, Sendable {
        public var badge: String
        public var attemptNumber: Int
        public var before: Double
        public var after: Double
        public var passedBefore: Bool
        public var passedAfter: Bool
    }

    public struct RegradeSummary: Sendable {
        public var checked = 0
        public var changes: [RegradeChange] = []
        /// Attempts that could not be graded, each left as it was.
        public var problems: [BilingualText] = []
        public var unchanged: Int { checked - changes.count - problems.count }
    }

    /// Re-scores every submitted attempt of the cycle (leavers' included) from its stored paper
    /// and responses against the current content. A regrade event is written only where the score
    /// or pass/fail changes, and never with `dryRun`; the earlier grade stays in the record.
    public func regrade(cycleID: String, dryRun: Bool, reason: String) throws -> RegradeSummary {
        // Regrading reads stored papers and answers: only what the chain vouches for.
        try store.requireVerified()
        guard let cycle = try store.cycle(id: cycleID) else { throw AttemptRefusal.unknownCycle(cycleID) }
        let now = clock.now()
        let questions = Grader.index(content.questions)
        var summary = RegradeSummary()
        for attempt in try store.attempts(cycleID: cycle.id)
        where attempt.state == .submitted && attempt.endReason != .exempted {
            summary.checked += 1
            let label = "\(attempt.badge) #\(attempt.number)"
            func problem(_ zh: String, _ en: String) { summary.problems.append(BilingualText(zh: zh, en: en)) }
            guard let blueprint = content.blueprint(attempt.blueprintID) else {
                problem(
                    "\(label)：试卷蓝图 \(attempt.blueprintID) 不在当前内容中",
                    "\(label): blueprint \(attempt.blueprintID) is not in the current content")
                continue
            }
            let paper: Paper
            do { paper = try Paper.decode(attempt.paper) } catch {
                problem("\(label): \(error)", "\(label): \(error)")
                continue
            }
            var responses: Responses = [:]
            var unreadable: [String] = []
            for (key, saved) in try store.answers(attemptID: attempt.id) where !key.hasPrefix(ExamSession.flagPrefix) {
                do { responses[key] = try JSONDecoder().decode(Response.self, from: saved.response) } catch {
                    unreadable.append(key)
                }
            }
            // A stored answer we cannot read is never silently dropped: the attempt is left as it
            // is and reported.
            if !unreadable.isEmpty {
                problem(
                    "\(label)：无法读取已保存的答案 \(unreadable.joined(separator: "、"))，未重新评分",
                    "\(label): cannot read the saved answers \(unreadable.joined(separator: ", ")); not regraded")
                continue
            }
            let report: GradeReport
            do {
                report = try Grader.grade(paper: paper, blueprint: blueprint, questions: questions, responses: responses)
            } catch {
                summary.problems.append("\(label): " + error.message)
                continue
            }
            guard let current = attempt.currentGrade else { continue }
            if abs(current.score - report.score) < 0.005 && current.passed == report.passed { continue }
            summary.changes.append(
                RegradeChange(
                    badge: attempt.badge, attemptNumber: attempt.number, before: current.score,
                    after: report.score, passedBefore: current.passed, passedAfter: report.passed))
            if !dryRun {
                try store.regradeAttempt(
                    attemptID: attempt.id, report: report.canonicalJSON(), score: report.score,
                    maxScore: report.maxScore, passed: report.passed, reason: reason, at: now)
            }
        }
        return summary
    }
}
