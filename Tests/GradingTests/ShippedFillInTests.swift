import CourseLoading
import Courseware
import Foundation
import Testing
import XMLSupport

@testable import Grading

/// Issue 13 §3: correct answers an officer writes that the grader used to reject, graded against
/// the shipped questions (Courses/, QuestionBank/). Each form must score the blank as correct.
@Suite struct ShippedFillInTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let content: ContentSet? = try? ContentLoader.load(paths: [
        root.appendingPathComponent("Courses").path, root.appendingPathComponent("QuestionBank").path,
    ]).content

    /// (question id, blank index, correct answer as typed)
    static let forms: [(String, Int, String)] = [
        ("q.s1.025", 0, "常态化、长效化"), ("q.s1.025", 0, "常态长效化"), ("q.s1.025", 0, "长效常态"),
        ("q.s1.025", 0, "常态化，长效化"), ("q.s1.025", 0, "常态化；长效化"),
        ("q.s2.026", 0, "追溯"), ("cq.threat-to-vendor.1.d", 1, "追溯"),
        ("q.s2.025", 0, "全程"), ("q.s2.025", 0, "全程记录"),
        ("cq.threat-to-vendor.1.d", 0, "全程"), ("cq.threat-to-vendor.1.d", 0, "全程记录"),
        ("q.s4.033", 0, "应急处理"),
        ("q.s5.023", 0, "“双随机”"), ("q.s5.023", 0, "\"双随机\""), ("q.s5.023", 0, "「双随机」"),
        ("q.s4.028", 0, "7成"), ("q.s4.028", 0, "百分之70"), ("q.s4.028", 0, "７成"),
        ("cq.721-night-market.1.a", 0, "7成"), ("cq.721-night-market.1.a", 0, "百分之70"),
        ("cq.double-random-inspection.1.a", 0, "双随机"), ("cq.double-random-inspection.1.a", 0, "“双随机”"),
        ("cq.double-random-inspection.1.a", 1, "明察暗访"),
    ]

    static func find(_ id: String, in qs: [Question]) -> Question? {
        for q in qs {
            if q.id == id { return q }
            if case .caseAnalysis(let ca) = q.body, let p = find(id, in: ca.parts) { return p }
        }
        return nil
    }

    @Test(arguments: forms.indices) func acceptedForm(_ i: Int) throws {
        let (id, blank, answer) = Self.forms[i]
        let content = try #require(Self.content)
        let q = try #require(Self.find(id, in: content.allQuestions), "\(id) not found")
        guard case .fillIn(let f) = q.body else {
            Issue.record("\(id) is not a fill-in")
            return
        }
        // Other blanks get their first accepted form, so only the tested blank decides the outcome.
        var answers = f.blanks.map { $0.accepted.first ?? "" }
        answers[blank] = answer
        let (points, outcome) = Grader.scoreQuestion(q, points: 2, response: .fillIn(answers), policy: .allOrNothing)
        #expect(outcome == .correct, "\(id) blank \(blank + 1): \(answer)")
        #expect(points == 2)
        // And a wrong answer in the same blank still fails it.
        answers[blank] = "无关答案"
        #expect(Grader.scoreQuestion(q, points: 2, response: .fillIn(answers), policy: .allOrNothing).1 != .correct)
    }
}
