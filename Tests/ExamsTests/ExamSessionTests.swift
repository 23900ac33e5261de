import Courseware
import ExamAssembly
import Foundation
import TestSupport
import Testing

import Grading

@testable import Exams

final class MemoryStore: ExamSessionStore {
    var saved: [String: Data] = [:]
    var log: [String] = []
    var submitted: (GradeReport, Bool)?
    var failNext = false

    func save(key: String, value: Data, at: Date) throws {
        if failNext { failNext = false; throw CocoaError(.fileWriteUnknown) }
        saved[key] = value
        log.append(key)
    }

    func submit(report: GradeReport, reportJSON: Data, at: Date, timedOut: Bool) throws {
        submitted = (report, timedOut)
    }
}

@Suite struct ExamSessionTests {
    let pool = [
        Build.single("s1", correct: 0), Build.multiple("m1", correct: [0, 1]), Build.trueFalse("t1", answer: true),
        Build.fillIn("f1", blanks: [["甲"], ["乙"]]),
        Build.caseAnalysis("c1", parts: [Build.single("c1.a", correct: 2), Build.trueFalse("c1.b", answer: false)]),
    ]
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func make(_ store: MemoryStore, saved: [String: Data] = [:]) throws -> ExamSession {
        let bp = Build.blueprint(
            [Build.section("S", [Build.rule(4, points: 2), Build.rule(1, .caseAnalysis, points: 4)])],
            pass: 6, minutes: 30)
        let a = try Assembler(
            blueprint: Build.blueprint(
                [
                    Build.section(
                        "S",
                        [
                            Build.rule(1, .singleChoice, points: 2),
                            Build.rule(1, .multipleChoice, points: 2), Build.rule(1, .trueFalse, points: 2),
                            Build.rule(1, .fillIn, points: 2),
                            Build.rule(1, .caseAnalysis, points: 4),
                        ])
                ], pass: 6, minutes: 30), pool: pool)
        _ = bp
        let paper = try a.paper(seed: 5)
        return try ExamSession(
            paper: paper, blueprint: a.blueprint, questions: Grader.index(pool), startedAt: t0,
            timeLimit: 1800, saved: saved, store: store)
    }

    func goTo(_ s: ExamSession, _ id: String) throws {
        try s.go(to: try #require(s.slots.firstIndex { $0.questionID == id }) + 1)
    }

    @Test func answersAreSavedBeforeTheyCountAndSurviveResume() throws {
        let store = MemoryStore()
        let s = try make(store)
        #expect(s.count == 6)
        try goTo(s, "s1")
        let order = try #require(s.slots[s.current].optionOrder)
        let shownCorrect = try #require(order.firstIndex(of: 0))
        #expect(try s.answer(.options([shownCorrect]), now: t0) == 1)
        #expect(store.log == ["s1"])
        try goTo(s, "f1")
        try s.answer(.blanks(["甲", "丙"]), now: t0)
        #expect(try s.toggleFlag(now: t0))
        // A failing store write leaves the answer unrecorded.
        try goTo(s, "t1")
        store.failNext = true
        #expect(throws: (any Error).self) { try s.answer(.trueFalse(true), now: t0) }
        #expect(s.view().answer == nil)
        #expect(s.answeredCount == 2)

        let resumed = try make(store, saved: store.saved)
        #expect(resumed.responses == s.responses)
        #expect(resumed.flagged == ["f1"])
        #expect(resumed.view(resumed.slots.firstIndex { $0.questionID == "s1" }!).answer == .options([shownCorrect]))
        // Resume lands on the first unanswered question.
        #expect(resumed.responses[resumed.slots[resumed.current].questionID] == nil)
    }

    @Test func invalidAnswersAreRefusedWithoutSaving() throws {
        let store = MemoryStore()
        let s = try make(store)
        try goTo(s, "s1")
        #expect(throws: ExamSession.SessionError.self) { try s.answer(.options([0, 1]), now: t0) }
        #expect(throws: ExamSession.SessionError.self) { try s.answer(.options([7]), now: t0) }
        #expect(throws: ExamSession.SessionError.self) { try s.answer(.trueFalse(true), now: t0) }
        try goTo(s, "f1")
        #expect(throws: ExamSession.SessionError.self) { try s.answer(.blanks(["a", "b", "c"]), now: t0) }
        #expect(store.log.isEmpty)
        #expect(throws: ExamSession.SessionError.noSuchQuestion(7, count: 6)) { try s.go(to: 7) }
    }

    @Test func clockRunsFromStartAndTimeUpBlocksAnswers() throws {
        let store = MemoryStore()
        let s = try make(store)
        #expect(s.remainingSeconds(now: t0.addingTimeInterval(600)) == 1200)
        #expect(s.remainingSeconds(now: t0.addingTimeInterval(5000)) == 0)
        #expect(s.remainingSeconds(now: t0.addingTimeInterval(-600)) == 1800)
        #expect(throws: ExamSession.SessionError.timeUp) { try s.answer(.trueFalse(true), now: t0.addingTimeInterval(1800)) }
        let report = try s.submit(now: t0.addingTimeInterval(1900))
        #expect(store.submitted?.1 == true)
        #expect(report.score == 0)
        #expect(throws: ExamSession.SessionError.alreadySubmitted) { try s.answer(.trueFalse(true), now: t0) }
    }

    @Test func fullAttemptGradesOnSubmit() throws {
        let store = MemoryStore()
        let s = try make(store)
        for slot in s.slots {
            try s.go(to: slot.number)
            let shown: (Int) -> Int = { orig in slot.optionOrder!.firstIndex(of: orig)! }
            switch slot.questionID {
            case "s1": try s.answer(.options([shown(0)]), now: t0)
            case "m1": try s.answer(.options([shown(0), shown(1)]), now: t0)
            case "t1": try s.answer(.trueFalse(true), now: t0)
            case "f1": try s.answer(.blanks(["甲", "乙"]), now: t0)
            case "c1.a": try s.answer(.options([shown(2)]), now: t0)
            case "c1.b": try s.answer(.trueFalse(false), now: t0)
            default: Issue.record("unexpected \(slot.questionID)")
            }
        }
        #expect(s.overview().unanswered.isEmpty)
        let r = try s.submit(now: t0.addingTimeInterval(60))
        #expect(r.score == 12 && r.passed)
        #expect(store.submitted?.1 == false)
    }

    @Test func caseViewCarriesScenarioAndPosition() throws {
        let s = try make(MemoryStore())
        try goTo(s, "c1.b")
        let v = s.view()
        #expect(v.caseScenario == ["c1 scenario"])
        #expect(v.casePart == 2 && v.caseParts == 2)
        #expect(v.type == .trueFalse)
        #expect(v.points == 2)
    }
}

@Suite struct PlainCommandTests {
    func p(_ s: String, _ t: QuestionType = .multipleChoice, _ n: Int = 4) -> PlainCommand? {
        try? PlainCommand.parse(s, type: t, optionCount: n).get()
    }

    @Test func parsesTheProtocol() {
        #expect(p("A", .singleChoice) == .answer(.options([0])))
        #expect(p("ca") == .answer(.options([0, 2])))
        #expect(p("ＡＤ") == .answer(.options([0, 3])))
        #expect(p("E") == nil)
        #expect(p("T", .trueFalse) == .answer(.trueFalse(true)))
        #expect(p("对", .trueFalse) == .answer(.trueFalse(true)))
        #expect(p("F", .trueFalse) == .answer(.trueFalse(false)))
        #expect(p("错", .trueFalse) == .answer(.trueFalse(false)))
        #expect(p("f", .trueFalse) == .flag)
        #expect(p("= 甲 | 乙 ", .fillIn, 0) == .answer(.blanks(["甲", "乙"])))
        #expect(p("=70%", .fillIn, 0) == .answer(.blanks(["70%"])))
        #expect(p("n") == .next)
        #expect(p("p") == .previous)
        #expect(p("g 12") == .go(12))
        #expect(p("g12") == .go(12))
        #expect(p("12") == .go(12))
        #expect(p("g") == nil)
        #expect(p("o") == .overview)
        #expect(p("s") == .submit)
        #expect(p("yes") == .confirm)
        #expect(p("q") == .quit)
        #expect(p("") == .empty)
        #expect(p("hello") == nil)
    }
}
