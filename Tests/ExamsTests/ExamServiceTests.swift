import Courseware
import ExamAssembly
import Foundation
import Grading
import Records
import Testing

@testable import Exams

/// The exam service driven directly: no process, no terminal.
@Suite struct ExamServiceTests {
    @Test func aWholeExamWithoutAProcessOrATerminal() throws {
        let f = try ServiceFixture()
        let exam = try f.service().open(badge: "A001", cycleID: nil)
        #expect(!exam.resumed)
        #expect(exam.attempt.number == 1)
        #expect(exam.cycle.id == "2026-spring")
        let s = exam.session
        #expect(s.count == 6)
        for i in 0..<s.count {
            try s.go(to: i + 1)
            #expect(try s.answer(ServiceFixture.correctAnswer(s, contentSet: f.contentSet), now: f.clock.now) == i + 1)
        }
        let report = try s.submit(now: f.clock.now)
        #expect(report.score == 30 && report.passed)
        let stored = try #require(try f.store.attempt(id: exam.attempt.id))
        #expect(stored.state == .submitted && stored.endReason == .submitted)
        #expect(stored.currentGrade?.score == 30)
        #expect(try f.store.verifyChain().isIntact)
    }

    @Test func anAnswerIsDurableBeforeItIsAcknowledged() throws {
        let f = try ServiceFixture()
        let exam = try f.service().open(badge: "A001", cycleID: nil)
        let s = exam.session
        try s.answer(ServiceFixture.correctAnswer(s, contentSet: f.contentSet), now: f.clock.now)
        _ = try s.toggleFlag(now: f.clock.now)
        // A second connection to the same file sees the answer and the flag once the call returned.
        let other = try SQLiteEducationStore(path: f.path)
        let saved = try other.answers(attemptID: exam.attempt.id)
        #expect(saved[s.slots[0].questionID] != nil)
        #expect(saved[ExamSession.flagPrefix + s.slots[0].questionID] != nil)
    }

    @Test func resumeKeepsThePaperTheAnswersAndTheClock() throws {
        let f = try ServiceFixture()
        let first = try f.service(seed: 1).open(badge: "A001", cycleID: nil)
        let s = first.session
        try s.answer(ServiceFixture.correctAnswer(s, contentSet: f.contentSet), now: f.clock.now)
        try s.go(to: 3)
        _ = try s.toggleFlag(now: f.clock.now)
        f.clock.advance(600)
        // Another seed: a resume must not draw again.
        let again = try f.service(seed: 99).open(badge: "A001", cycleID: nil)
        #expect(again.resumed)
        #expect(again.attempt.id == first.attempt.id)
        #expect(again.session.paper.questionIDs == s.paper.questionIDs)
        #expect(again.session.answeredCount == 1)
        #expect(again.session.overview().flagged == [3])
        #expect(again.session.current == 1)  // the first unanswered question
        #expect(again.session.remainingSeconds(now: f.clock.now) == 30 * 60 - 600)
    }

    @Test func theAttemptLimitIsEnforcedAndPapersAvoidSeenQuestions() throws {
        let f = try ServiceFixture(maxAttempts: 2)
        let one = try f.service(seed: 1).open(badge: "A001", cycleID: nil)
        try one.session.submit(now: f.clock.now)
        let two = try f.service(seed: 2).open(badge: "A001", cycleID: nil)
        #expect(!two.resumed && two.attempt.number == 2)
        #expect(Set(two.session.paper.questionIDs).isDisjoint(with: one.session.paper.questionIDs))
        try two.session.submit(now: f.clock.now)
        #expect(throws: AttemptRefusal.noAttemptsLeft(used: 2, max: 2)) {
            try f.service(seed: 3).open(badge: "A001", cycleID: nil)
        }
        // Another officer is not affected.
        #expect(try f.service().open(badge: "A002", cycleID: nil).attempt.number == 1)
    }

    @Test func afterTheDeadlineNothingIsSavedAndSubmitRecordsATimeout() throws {
        let f = try ServiceFixture(minutes: 30)
        let exam = try f.service().open(badge: "A001", cycleID: nil)
        try exam.session.answer(ServiceFixture.correctAnswer(exam.session, contentSet: f.contentSet), now: f.clock.now)
        f.clock.advance(31 * 60)
        let back = try f.service().open(badge: "A001", cycleID: nil)
        #expect(back.resumed)
        #expect(back.session.isTimeUp(now: f.clock.now))
        #expect(back.session.remainingSeconds(now: f.clock.now) == 0)
        #expect(throws: ExamSession.SessionError.timeUp) {
            try back.session.answer(.trueFalse(true), now: f.clock.now)
        }
        let report = try back.session.submit(now: f.clock.now)
        #expect(report.score == 5)
        let stored = try #require(try f.store.attempt(id: exam.attempt.id))
        #expect(stored.endReason == .timeout)
        // Recorded at the deadline, not at the late return.
        #expect(stored.submittedAt == exam.session.deadline)
    }

    @Test func exemptAndInactiveOfficersAreRefused() throws {
        let f = try ServiceFixture()
        try f.store.exempt(
            cycleID: "2026-spring", badge: "A002", reason: "长期病假", grantedBy: "admin", at: f.clock.now)
        #expect(throws: AttemptRefusal.exempt(badge: "A002", cycleID: "2026-spring", reason: "长期病假")) {
            try f.service().open(badge: "A002", cycleID: nil)
        }
        #expect(throws: AttemptRefusal.inactive(badge: "A003")) {
            try f.service().open(badge: "A003", cycleID: nil)
        }
        #expect(throws: AttemptRefusal.unknownBadge("Z999")) {
            try f.service().open(badge: "Z999", cycleID: nil)
        }
        // Nothing was started for any of them.
        #expect(try f.store.attempts(cycleID: "2026-spring").isEmpty)
    }

    @Test func theCycleIsResolvedOnTheServiceClock() throws {
        let f = try ServiceFixture()
        f.clock.set(ServiceFixture.date("2026-03-01T00:00:00Z"))
        #expect(throws: ExamServiceError.noOpenCycle(badge: "A001")) {
            try f.service().open(badge: "A001", cycleID: nil)
        }
        #expect(throws: ExamServiceError.noOpenCycle(badge: "A001")) {
            try f.study().open(badge: "A001", cycleID: nil)
        }
        #expect(throws: AttemptRefusal.closed(cycleID: "2026-spring", due: CalendarDay("2026-02-10")!)) {
            try f.service().open(badge: "A001", cycleID: "2026-spring")
        }
        #expect(throws: AttemptRefusal.unknownCycle("nope")) {
            try f.service().open(badge: "A001", cycleID: "nope")
        }
        f.clock.set(ServiceFixture.date("2026-01-20T00:00:00Z"))
        #expect(try f.study().open(badge: "A001", cycleID: nil).cycle.id == "2026-spring")
        #expect(try f.service().open(badge: "A001", cycleID: nil).cycle.id == "2026-spring")
    }

    @Test func aMissingBlueprintIsNamed() throws {
        let f = try ServiceFixture()
        f.contentSet.blueprints = []
        #expect(throws: ExamServiceError.blueprintNotLoaded(cycleID: "2026-spring", blueprintID: "bp-1")) {
            try f.service().open(badge: "A001", cycleID: nil)
        }
    }

    @Test func regradeChangesOnlyWhatTheCorrectedKeyChanges() throws {
        let f = try ServiceFixture()
        let exam = try f.service().open(badge: "A001", cycleID: nil)
        let s = exam.session
        for i in 0..<s.count {
            try s.go(to: i + 1)
            try s.answer(ServiceFixture.correctAnswer(s, contentSet: f.contentSet), now: f.clock.now)
        }
        try s.submit(now: f.clock.now)
        #expect(try f.service().open(badge: "A002", cycleID: nil).session.submit(now: f.clock.now).score == 0)
        // Unchanged content: nothing to do.
        let same = try f.service().regrade(cycleID: "2026-spring", dryRun: false, reason: "check")
        #expect(same.checked == 2 && same.changes.isEmpty && same.unchanged == 2)
        // Correct the key of the first true/false question on A001's paper.
        let flipped = try #require(s.slots.first { $0.questionID.hasPrefix("t") }).questionID
        for b in f.contentSet.banks.indices {
            for q in f.contentSet.banks[b].questions.indices where f.contentSet.banks[b].questions[q].id == flipped {
                guard case .trueFalse(var t) = f.contentSet.banks[b].questions[q].body else { continue }
                t.answer.toggle()
                f.contentSet.banks[b].questions[q].body = .trueFalse(t)
            }
        }
        let dry = try f.service().regrade(cycleID: "2026-spring", dryRun: true, reason: "key corrected")
        #expect(dry.changes == [
            .init(badge: "A001", attemptNumber: 1, before: 30, after: 25, passedBefore: true, passedAfter: true)
        ])
        #expect(try f.store.attempt(id: exam.attempt.id)?.currentGrade?.score == 30)
        let real = try f.service().regrade(cycleID: "2026-spring", dryRun: false, reason: "key corrected")
        #expect(real.changes.count == 1 && real.problems.isEmpty)
        let after = try #require(try f.store.attempt(id: exam.attempt.id))
        #expect(after.currentGrade?.score == 25)
        #expect(after.grades.count == 2)  // the earlier grade stays in the record
        #expect(try f.service().regrade(cycleID: "2026-spring", dryRun: false, reason: "again").changes.isEmpty)
        #expect(try f.store.verifyChain().isIntact)
        #expect(throws: AttemptRefusal.unknownCycle("nope")) {
            try f.service().regrade(cycleID: "nope", dryRun: true, reason: "x")
        }
    }

    @Test func regradeReportsUnreadableAttemptsAndLeavesThem() throws {
        let f = try ServiceFixture()
        let exam = try f.service().open(badge: "A001", cycleID: nil)
        try exam.session.submit(now: f.clock.now)
        f.contentSet.blueprints = []
        let r = try f.service().regrade(cycleID: "2026-spring", dryRun: false, reason: "x")
        #expect(r.checked == 1 && r.problems.count == 1 && r.changes.isEmpty)
        #expect(r.problems[0].zh.contains("bp-1"))
    }

    @Test func studyProgressIsRecordedOnce() throws {
        let f = try ServiceFixture()
        let p = try f.study().open(badge: "A001", cycleID: nil)
        #expect(p.member.name == "张三" && p.course.id == "course-1" && p.finished.isEmpty)
        #expect(try p.recordFinished("l1"))
        #expect(!(try p.recordFinished("l1")))
        #expect(p.finished == ["l1"])
        #expect(try f.study().open(badge: "A001", cycleID: nil).finished == ["l1"])
        f.contentSet.courses = []
        #expect(throws: ExamServiceError.courseNotLoaded(cycleID: "2026-spring", courseID: "course-1")) {
            try f.study().open(badge: "A001", cycleID: nil)
        }
    }
}
