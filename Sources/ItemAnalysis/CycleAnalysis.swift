import Courseware
import Foundation
import Grading
import Localization
import Records

/// `exam analyze`: the item analysis of a cycle, read from the store. Reads the attempts that
/// count (the blueprint's first/last/best rule), each by the grade report in force, as stored.
public enum CycleAnalysis {
    public struct Failure: BilingualError, Equatable {
        public var message: BilingualText
    }

    /// The report and the cycle's title. Without the cycle's blueprint in `content` the highest
    /// score counts, and `note` says so.
    public static func analyze(
        _ store: any EducationStore, cycleID: String, content: ContentSet, note: (BilingualText) -> Void
    ) throws -> (report: ItemAnalysisReport, cycleTitle: String) {
        guard let cycle = try store.cycle(id: cycleID) else {
            throw Failure(message: BilingualText(zh: "没有编号为 \(cycleID) 的培训周期", en: "no cycle with id \(cycleID)"))
        }
        let blueprint = content.blueprint(cycle.blueprintID)
        if blueprint == nil {
            note(
                BilingualText(
                    zh: "注意：内容中没有试卷蓝图 \(cycle.blueprintID)，按“最高分”选取计入的考试",
                    en: "note: the content has no blueprint \(cycle.blueprintID); the highest-scoring attempt counts"))
        }
        let attempts = try observations(try store.attempts(cycleID: cycleID), rule: blueprint?.counting ?? .highest)
        let report = ItemAnalysis.analyze(
            attempts, keys: ItemKey.keys(content.allQuestions), provisionTitles: content.provisionTitles)
        return (report, cycle.title)
    }

    /// Stored attempts → observations: the counting attempt of each officer, its grade report in
    /// force decoded as stored (choice answers are original option indices; nothing is re-shuffled).
    public static func observations(_ attempts: [Attempt], rule: ExamBlueprint.CountingRule) throws -> [AttemptObservation] {
        var byBadge: [String: [Attempt]] = [:]
        for a in attempts where a.state == .submitted && a.currentGrade != nil { byBadge[a.badge, default: []].append(a) }
        var out: [AttemptObservation] = []
        for badge in byBadge.keys.sorted() {
            let list = byBadge[badge]!.sorted { $0.number < $1.number }
            let outcomes = list.map {
                AttemptOutcome(
                    number: $0.number, startedAt: $0.startedAt, submittedAt: $0.submittedAt, score: $0.currentGrade?.score,
                    passed: $0.currentGrade?.passed, maxScore: $0.currentGrade?.maxScore)
            }
            guard let counted = CycleStatusRules.countingAttempt(outcomes, rule: rule),
                let attempt = list.first(where: { $0.number == counted.number }), let grade = attempt.currentGrade
            else { continue }
            let report: GradeReport
            do { report = try JSONDecoder().decode(GradeReport.self, from: grade.report) } catch {
                throw Failure(
                    message: BilingualText(
                        zh: "无法读取 \(badge) 第 \(attempt.number) 次考试的评分报告：\(error)",
                        en: "cannot read the grade report of \(badge)'s attempt \(attempt.number): \(error)"))
            }
            out.append(
                AttemptObservation(
                    person: badge,
                    items: report.items.map { item in
                        var chosen: [Int]? = nil
                        if case .choice(let c) = item.response { chosen = c }
                        if item.response == nil, item.type == .singleChoice || item.type == .multipleChoice { chosen = [] }
                        return ItemObservation(
                            slot: item.number, questionID: item.questionID, score: item.score, points: item.points,
                            chosen: chosen)
                    }))
        }
        return out
    }
}
