import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Grading
import Records

/// `academy exam regrade --cycle C [--dry-run]`: re-score every submitted attempt of the cycle from
/// its stored paper and responses against the current content. A regrade event is written only
/// where the score (or pass/fail) changes; the earlier grade stays in the record.
struct ExamRegradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regrade",
        abstract: "按当前题库答案重新评分已交卷的考试 / Re-score submitted attempts against the current answer keys.")

    @Option(help: "培训周期编号 / Training cycle id.") var cycle: String
    @Flag(help: "只显示会改变的成绩，不写入 / Show what would change without writing.") var dryRun = false
    @Option(help: "写入记录的重新评分原因 / Reason written with each regrade.") var reason: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        let content = try contentOptions.load().content
        let store = try database.open()
        let summary: ExamRegrade.Summary
        do {
            // Regrading reads stored papers and answers: only what the chain vouches for.
            try store.requireVerified()
            summary = try ExamRegrade.run(
                store: store, content: content, cycleID: cycle, dryRun: dryRun,
                reason: reason ?? "answer key corrected", now: Date())
        } catch let e as any BilingualError {
            Stderr.line(e.message.pick(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
        for c in summary.changes {
            print(
                "\(c.badge) #\(c.attemptNumber): \(ExamText.points(c.before)) → \(ExamText.points(c.after))"
                    + (c.passedBefore != c.passedAfter
                        ? (c.passedAfter
                            ? L10n.pick(zh: "（改为合格）", en: " (now PASS)") : L10n.pick(zh: "（改为不合格）", en: " (now FAIL)")) : ""))
        }
        for p in summary.problems { Stderr.line(p) }
        print(
            L10n.pick(
                zh:
                    "\(dryRun ? "试算：" : "")检查 \(summary.checked) 次考试，\(summary.changes.count) 次成绩\(dryRun ? "将" : "已")改变，\(summary.checked - summary.changes.count - summary.problems.count) 次不变，\(summary.problems.count) 次无法评分",
                en:
                    "\(dryRun ? "dry run: " : "")\(summary.checked) attempts checked, \(summary.changes.count) \(dryRun ? "would change" : "changed"), \(summary.checked - summary.changes.count - summary.problems.count) unchanged, \(summary.problems.count) could not be graded"
            ))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}

enum ExamRegrade {
    struct Change {
        var badge: String
        var attemptNumber: Int
        var before: Double
        var after: Double
        var passedBefore: Bool
        var passedAfter: Bool
    }

    struct Summary {
        var checked = 0
        var changes: [Change] = []
        var problems: [String] = []
    }

    static func run(
        store: any EducationStore, content: ContentSet, cycleID: String, dryRun: Bool, reason: String,
        now: Date
    ) throws -> Summary {
        guard let cycle = try store.cycle(id: cycleID) else { throw AttemptRefusal.unknownCycle(cycleID) }
        let questions = Grader.index(content.allQuestions)
        var summary = Summary()
        // Every attempt of the cycle, leavers' included: they keep their attempts and are regraded too.
        do {
            for attempt in try store.attempts(cycleID: cycle.id) where attempt.state == .submitted && attempt.endReason != .exempted {
                summary.checked += 1
                let label = "\(attempt.badge) #\(attempt.number)"
                guard let blueprint = content.blueprint(attempt.blueprintID) else {
                    summary.problems.append(
                        L10n.pick(
                            zh: "\(label)：试卷蓝图 \(attempt.blueprintID) 不在当前内容中",
                            en: "\(label): blueprint \(attempt.blueprintID) is not in the current content"))
                    continue
                }
                let paper: Paper
                do { paper = try Paper.decode(attempt.paper) } catch {
                    summary.problems.append("\(label): \(error)")
                    continue
                }
                var responses: Responses = [:]
                var unreadable: [String] = []
                for (key, saved) in try store.answers(attemptID: attempt.id) where !key.hasPrefix(ExamSession.flagPrefix) {
                    do { responses[key] = try JSONDecoder().decode(Response.self, from: saved.response) } catch {
                        unreadable.append(key)
                    }
                }
                // A stored answer we cannot read is never silently dropped: the attempt is left as
                // it is and reported.
                if !unreadable.isEmpty {
                    summary.problems.append(
                        L10n.pick(
                            zh: "\(label)：无法读取已保存的答案 \(unreadable.joined(separator: "、"))，未重新评分",
                            en: "\(label): cannot read the saved answers \(unreadable.joined(separator: ", ")); not regraded"))
                    continue
                }
                let report: GradeReport
                do {
                    report = try Grader.grade(paper: paper, blueprint: blueprint, questions: questions, responses: responses)
                } catch {
                    summary.problems.append("\(label): " + error.message(chinese: L10n.isChinese))
                    continue
                }
                guard let current = attempt.currentGrade else { continue }
                if abs(current.score - report.score) < 0.005 && current.passed == report.passed { continue }
                summary.changes.append(
                    Change(
                        badge: attempt.badge, attemptNumber: attempt.number, before: current.score,
                        after: report.score, passedBefore: current.passed, passedAfter: report.passed))
                if !dryRun {
                    try store.regradeAttempt(
                        attemptID: attempt.id, report: report.canonicalJSON(), score: report.score,
                        maxScore: report.maxScore, passed: report.passed, reason: reason, at: now)
                }
            }
        }
        return summary
    }
}
