import Courseware
import ExamAssembly
import Foundation
import TestSupport
import Testing

@testable import Grading

private let pts = 4.0

private func score(_ q: Question, _ r: Response?, _ policy: ExamBlueprint.MultipleChoicePolicy = .allOrNothing) -> (
    Double, Outcome
) {
    Grader.scoreQuestion(q, points: pts, response: r, policy: policy)
}

@Suite struct ChoiceRules {
    @Test func singleChoiceAllOrNothing() {
        let q = Build.single("s", correct: 2)
        #expect(score(q, .choice([2])) == (4, .correct))
        #expect(score(q, .choice([1])) == (0, .incorrect))
        #expect(score(q, .choice([1, 2])) == (0, .incorrect))
        #expect(score(q, .choice([])) == (0, .unanswered))
        #expect(score(q, nil) == (0, .unanswered))
        #expect(score(q, .choice([9])) == (0, .incorrect))
    }

    @Test func trueFalseAllOrNothing() {
        let q = Build.trueFalse("t", answer: false)
        #expect(score(q, .trueFalse(false)) == (4, .correct))
        #expect(score(q, .trueFalse(true)) == (0, .incorrect))
        #expect(score(q, .choice([0])) == (0, .incorrect))
    }

    @Test func multipleChoiceAllOrNothing() {
        let q = Build.multiple("m", correct: [0, 2, 3], options: 5)
        #expect(score(q, .choice([3, 0, 2])) == (4, .correct))
        #expect(score(q, .choice([0, 2])) == (0, .incorrect))
        #expect(score(q, .choice([0, 1, 2, 3])) == (0, .incorrect))
    }

    @Test func multipleChoicePartialProportional() {
        let q = Build.multiple("m", correct: [0, 2, 3], options: 5)
        let p = ExamBlueprint.MultipleChoicePolicy.partial(fraction: nil)
        #expect(score(q, .choice([0, 2, 3]), p) == (4, .correct))
        #expect(score(q, .choice([0, 2]), p) == (2.67, .partial))
        #expect(score(q, .choice([3]), p) == (1.33, .partial))
        // 错选不得分: any wrong option, even with all correct ones, earns nothing.
        #expect(score(q, .choice([0, 2, 3, 4]), p) == (0, .incorrect))
        #expect(score(q, .choice([1]), p) == (0, .incorrect))
        #expect(score(q, .choice([]), p) == (0, .unanswered))
    }

    @Test func multipleChoicePartialFixedFraction() {
        let q = Build.multiple("m", correct: [0, 2, 3], options: 5)
        let p = ExamBlueprint.MultipleChoicePolicy.partial(fraction: 0.5)
        #expect(score(q, .choice([0]), p) == (2, .partial))
        #expect(score(q, .choice([0, 2]), p) == (2, .partial))
        #expect(score(q, .choice([0, 2, 3]), p) == (4, .correct))
        #expect(score(q, .choice([0, 1]), p) == (0, .incorrect))
    }
}

@Suite struct FillInRules {
    @Test func perBlankPointsAreEqualShares() {
        let q = Build.fillIn("f", blanks: [["甲"], ["乙"]])
        #expect(score(q, .fillIn(["甲", "乙"])) == (4, .correct))
        #expect(score(q, .fillIn(["甲", "丙"])) == (2, .partial))
        #expect(score(q, .fillIn(["丙", "乙"])) == (2, .partial))
        #expect(score(q, .fillIn(["丙"])) == (0, .incorrect))
        #expect(score(q, .fillIn(["", " "])) == (0, .unanswered))
    }

    @Test func fullWidthAndPercentFold() {
        let q = Build.fillIn("f", blanks: [["70%"]])
        #expect(score(q, .fillIn(["７０％"])).1 == .correct)
        #expect(score(q, .fillIn(["70 %"])).1 == .correct)
        #expect(score(q, .fillIn(["百分之七十"])).1 == .incorrect)
        let listed = Build.fillIn("g", blanks: [["70%", "百分之七十"]])
        #expect(score(listed, .fillIn(["百分之七十"])).1 == .correct)
    }

    @Test func latinCaseInsensitive() {
        let q = Build.fillIn("f", blanks: [["GPS"]])
        #expect(score(q, .fillIn(["gps"])).1 == .correct)
        #expect(score(q, .fillIn(["ＧＰＳ"])).1 == .correct)
    }

    @Test func whitespaceCollapses() {
        let q = Build.fillIn("f", blanks: [["全过程记录"], ["body camera"]])
        #expect(score(q, .fillIn(["  全 过程\t记录 ", "body   camera"])).1 == .correct)
        #expect(score(q, .fillIn(["全过程记录", "bodycamera"])).1 == .partial)
    }

    @Test func punctuationFolds() {
        #expect(FillInNormalizer.normalize("《行政处罚法》") == FillInNormalizer.normalize("<行政处罚法>"))
        #expect(FillInNormalizer.normalize("“七二一”") == FillInNormalizer.normalize("\"七二一\""))
        #expect(FillInNormalizer.normalize("「七二一」") == FillInNormalizer.normalize("\"七二一\""))
        #expect(FillInNormalizer.normalize("甲、乙。") == "甲,乙.")
        #expect(FillInNormalizer.normalize("甲，乙；丙：丁！") == "甲,乙,丙:丁!")
        #expect(FillInNormalizer.normalize("7—2—1") == "7-2-1")
        #expect(FillInNormalizer.normalize("（一）甲") == "(一)甲")
    }

    @Test func listSeparatorsAreAlike() {
        let forms = ["常态化、长效化", "常态化，长效化", "常态化,长效化", "常态化；长效化", "常态化;长效化", "常态化、 长效化"]
        for f in forms { #expect(FillInNormalizer.normalize(f) == "常态化,长效化", "\(f)") }
        // Other punctuation is not a list separator.
        #expect(FillInNormalizer.normalize("常态化：长效化") != "常态化,长效化")
        let q = Build.fillIn("f", blanks: [["常态化、长效化"]])
        for f in forms { #expect(score(q, .fillIn([f])).1 == .correct, "\(f)") }
    }

    @Test func enclosingMarksAreDropped() {
        for f in ["“双随机”", "\"双随机\"", "「双随机」", "『双随机』", "‘双随机’", "（双随机）", "(双随机)", "【双随机】", "[双随机]",
            "《双随机》", "〈双随机〉", "“《双随机》”", " “双随机” "]
        {
            #expect(FillInNormalizer.normalize(f) == "双随机", "\(f)")
        }
        // Only marks around the whole answer, and only when they appear nowhere inside.
        #expect(FillInNormalizer.normalize("“双随机”检查") == "\"双随机\"检查")
        #expect(FillInNormalizer.normalize("“吃”“拿”") == "\"吃\"\"拿\"")
        #expect(FillInNormalizer.normalize("(甲)和(乙)") == "(甲)和(乙)")
        #expect(FillInNormalizer.normalize("“”") == "\"\"")
        #expect(FillInNormalizer.normalize("“双随机") == "\"双随机")
        let q = Build.fillIn("f", blanks: [["双随机"]])
        #expect(score(q, .fillIn(["“双随机”"])).1 == .correct)
        #expect(score(q, .fillIn(["“双随机"])).1 == .incorrect)
        let quoted = Build.fillIn("g", blanks: [["“双随机”"]])
        #expect(score(quoted, .fillIn(["双随机"])).1 == .correct)
    }

    @Test func noGuessingBeyondTheList() {
        let q = Build.fillIn("f", blanks: [["七二一"]])
        #expect(score(q, .fillIn(["721"])).1 == .incorrect)
        #expect(score(q, .fillIn(["七二一工作法"])).1 == .incorrect)
    }
}

@Suite struct ReportRules {
    func paperAndBlueprint(policy: ExamBlueprint.MultipleChoicePolicy = .allOrNothing, pass: Double = 10)
        throws -> (Paper, ExamBlueprint, [String: Question])
    {
        let parts = [
            Build.single("c.1", topic: "x", correct: 0, provisions: ["p9"]),
            Build.trueFalse("c.2", answer: true, topic: "x", provisions: ["p9"], weight: 3),
        ]
        let pool = [
            Build.single("s", topic: "a", correct: 1, provisions: ["p1", "p2"]),
            Build.multiple("m", topic: "b", correct: [0, 1], provisions: ["p2"]),
            Build.caseAnalysis("c", parts: parts),
        ]
        let bp = Build.blueprint(
            [
                Build.section("S1", [Build.rule(1, .singleChoice, points: 2), Build.rule(1, .multipleChoice, points: 4)]),
                Build.section("S2", [Build.rule(1, .caseAnalysis, points: 8)]),
            ],
            pass: pass, multipleChoice: policy)
        let a = try Assembler(blueprint: bp, pool: pool)
        return (try a.paper(seed: 11), bp, Grader.index(pool))
    }

    @Test func caseIsSumOfItsParts() throws {
        let (paper, bp, qs) = try paperAndBlueprint()
        let item = paper.sections[1].items[0]
        let r: Responses = ["c.1": .choice([0]), "c.2": .trueFalse(false)]
        #expect(Grader.scoreCase(qs["c"]!, parts: item.parts!, responses: r, policy: bp.multipleChoice) == 2)
        let all: Responses = ["c.1": .choice([0]), "c.2": .trueFalse(true)]
        #expect(Grader.scoreCase(qs["c"]!, parts: item.parts!, responses: all, policy: bp.multipleChoice) == 8)
        let report = try Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: r)
        #expect(report.items.filter { $0.caseID == "c" }.map(\.score) == [2, 0])
    }

    @Test func reportTotalsPassAndBreakdowns() throws {
        let (paper, bp, qs) = try paperAndBlueprint(policy: .partial(fraction: nil), pass: 10)
        let r: Responses = ["s": .choice([1]), "m": .choice([0]), "c.1": .choice([0]), "c.2": .trueFalse(true)]
        let report = try Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: r)
        #expect(report.score == 2 + 2 + 8)
        #expect(report.maxScore == 14)
        #expect(report.passed)
        #expect(report.byTopic.map(\.key) == ["a", "b", "x"])
        #expect(report.byTopic.first { $0.key == "b" }!.score == 2)
        // p2 is cited by s (2/2) and m (2/4): both count toward it.
        let p2 = report.byProvision.first { $0.key == "p2" }!
        #expect(p2.score == 4 && p2.max == 6 && p2.questions == 2)
        #expect(report.missed.map(\.questionID) == ["m"])
        #expect(report.missed[0].explanation == "because")
        #expect(report.missed[0].outcome == .partial)
        // Numbers follow the paper's slots.
        #expect(report.items.map(\.number) == Array(1...4))
    }

    @Test func passBoundaryIsInclusive() throws {
        let (paper, bp, qs) = try paperAndBlueprint(pass: 10)
        let exactly10: Responses = ["s": .choice([1]), "c.1": .choice([0]), "c.2": .trueFalse(true)]
        #expect(try Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: exactly10).passed)
        let below: Responses = ["s": .choice([0]), "c.1": .choice([0]), "c.2": .trueFalse(true)]
        #expect(try !Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: below).passed)
    }

    @Test func keyIsShownInDisplayedOrder() throws {
        let q = Build.single("s", correct: 1)
        #expect(Grader.keyText(q, optionOrder: [3, 1, 0, 2]) == "B")
        #expect(Grader.keyText(q, optionOrder: [1, 0, 2, 3]) == "A")
        #expect(Grader.keyText(Build.multiple("m", correct: [0, 3]), optionOrder: [3, 2, 1, 0]) == "AD")
    }

    @Test func regradingUsesStoredOrderAndNewKey() throws {
        let (paper, bp, qs) = try paperAndBlueprint()
        let r: Responses = ["s": .choice([2])]
        let before = try Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: r)
        var fixed = qs
        fixed["s"] = Build.single("s", topic: "a", correct: 2, provisions: ["p1", "p2"])
        let after = try Grader.grade(paper: paper, blueprint: bp, questions: fixed, responses: r)
        #expect(after.score == before.score + 2)
        // The same paper is graded: identical item order.
        #expect(before.items.map(\.questionID) == after.items.map(\.questionID))
    }

    @Test func missingQuestionIsAnError() throws {
        let (paper, bp, qs) = try paperAndBlueprint()
        var gone = qs
        gone["m"] = nil
        #expect(throws: GradingError.self) { try Grader.grade(paper: paper, blueprint: bp, questions: gone, responses: [:]) }
    }

    @Test func reportIsCodableAndStable() throws {
        let (paper, bp, qs) = try paperAndBlueprint()
        let report = try Grader.grade(paper: paper, blueprint: bp, questions: qs, responses: ["s": .choice([1])])
        let back = try JSONDecoder().decode(GradeReport.self, from: report.canonicalJSON())
        #expect(back == report)
        #expect(back.canonicalJSON() == report.canonicalJSON())
    }

    @Test func reviewVisibility() {
        let due = Date(timeIntervalSince1970: 1_000_000)
        let before = due.addingTimeInterval(-1), after = due.addingTimeInterval(1)
        #expect(ExamBlueprint.ReviewPolicy.immediately.isVisible(now: before, cycleDue: due))
        #expect(!ExamBlueprint.ReviewPolicy.afterClose.isVisible(now: before, cycleDue: due))
        #expect(ExamBlueprint.ReviewPolicy.afterClose.isVisible(now: after, cycleDue: due))
        #expect(ExamBlueprint.ReviewPolicy.afterClose.isVisible(now: due, cycleDue: due))
        #expect(!ExamBlueprint.ReviewPolicy.afterClose.isVisible(now: after, cycleDue: nil))
        #expect(!ExamBlueprint.ReviewPolicy.never.isVisible(now: after, cycleDue: due))
    }
}
