import Foundation
import XCTest

@testable import Records

final class CycleAttemptTests: XCTestCase {
    func testCycleWindowIsWholeDaysInTheCycleZone() throws {
        let c = TrainingCycle(
            id: "c", title: "t", courseID: "x", blueprintID: "b", departments: [], roles: [],
            opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!, timeZoneID: "Asia/Shanghai")
        XCTAssertEqual(c.windowStart, StoreFixture.date("2026-01-09T16:00:00Z"))
        XCTAssertEqual(c.windowEnd, StoreFixture.date("2026-02-10T16:00:00Z"))
        XCTAssertTrue(c.isWithinWindow(StoreFixture.date("2026-02-10T15:59:59Z")))
        XCTAssertFalse(c.isWithinWindow(StoreFixture.date("2026-02-10T16:00:00Z")))
        XCTAssertNil(CalendarDay("2026-02-30"))
        XCTAssertNil(CalendarDay("2026-2-3"))
    }

    func testCreateListDuplicate() throws {
        let f = try StoreFixture()
        try f.seedCycle()
        XCTAssertEqual(try f.store.cycles().map(\.id), ["2026-spring"])
        XCTAssertThrowsError(try f.seedCycle()) { XCTAssertEqual($0 as? StoreError, .duplicateCycle("2026-spring")) }
        let c = try XCTUnwrap(try f.store.cycle(id: "2026-spring"))
        XCTAssertEqual(c.roles, [.officer])
        XCTAssertEqual(c.departments, [StoreFixture.department])
    }

    func testPopulationIsLiveJoinersEnterLeaversDrop() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle()
        XCTAssertEqual(try f.store.population(cycleID: "2026-spring", department: nil).map(\.badge), ["A001", "A002"])
        // A joiner enters; A002 moves out of the subtree; A001 leaves.
        try f.store.importStaff(
            [
                StoreFixture.staff("A001", "张三", status: .inactive),
                StoreFixture.staff("A002", "李四", dept: "示例省/示例市/另一区/执法大队"),
                StoreFixture.staff("A004", "孙八", dept: StoreFixture.department + "/二中队"),
            ], markMissingInactive: false, source: "s.csv", at: Date())
        XCTAssertEqual(try f.store.population(cycleID: "2026-spring", department: nil).map(\.badge), ["A004"])
    }

    func testAttemptRefusalsAreDistinct() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle()
        func refusal(_ r: AttemptRequest) -> AttemptRefusal? {
            do { _ = try f.store.startAttempt(r); return nil } catch { return error as? AttemptRefusal }
        }
        XCTAssertEqual(refusal(f.request("NOPE")), .unknownBadge("NOPE"))
        XCTAssertEqual(refusal(f.request("A001", cycle: "none")), .unknownCycle("none"))
        XCTAssertEqual(refusal(f.request("A003")), .notInPopulation(badge: "A003", cycleID: "2026-spring"))
        XCTAssertEqual(refusal(f.request("B001")), .notInPopulation(badge: "B001", cycleID: "2026-spring"))
        // Window: opens 2026-01-10 00:00 Asia/Shanghai = 2026-01-09T16:00Z.
        XCTAssertEqual(
            refusal(f.request("A001", at: "2026-01-09T15:59:59Z")),
            .notOpenYet(cycleID: "2026-spring", opens: CalendarDay("2026-01-10")!))
        XCTAssertEqual(
            refusal(f.request("A001", at: "2026-02-10T16:00:00Z")),
            .closed(cycleID: "2026-spring", due: CalendarDay("2026-02-10")!))
        let first = try f.store.startAttempt(f.request("A001", at: "2026-01-09T16:00:00Z", max: 2))
        XCTAssertEqual(first.number, 1)
        XCTAssertEqual(refusal(f.request("A001", max: 2)), .attemptInProgress(attemptID: first.id))
        try f.store.submitAttempt(
            attemptID: first.id, report: Data("{}".utf8), score: 10, maxScore: 100, passed: false,
            submittedAt: StoreFixture.date("2026-01-15T03:00:00Z"), reason: .submitted)
        let second = try f.store.startAttempt(f.request("A001", max: 2))
        try f.store.submitAttempt(
            attemptID: second.id, report: Data("{}".utf8), score: 20, maxScore: 100, passed: false,
            submittedAt: StoreFixture.date("2026-01-15T03:00:00Z"), reason: .timeout)
        XCTAssertEqual(refusal(f.request("A001", max: 2)), .noAttemptsLeft(used: 2, max: 2))
        try f.store.exempt(
            cycleID: "2026-spring", badge: "A002", reason: "长期病假", grantedBy: "王队长",
            at: StoreFixture.date("2026-01-11T00:00:00Z"))
        XCTAssertEqual(refusal(f.request("A002")), .exempt(badge: "A002", cycleID: "2026-spring", reason: "长期病假"))
        try f.store.importStaff(
            [StoreFixture.staff("A001", "张三", status: .inactive)], markMissingInactive: false,
            source: "s.csv", at: Date())
        XCTAssertEqual(refusal(f.request("A001", max: 5)), .inactive(badge: "A001"))
        XCTAssertTrue(AttemptRefusal.noAttemptsLeft(used: 2, max: 2).message.zh.contains("考试次数已用完"))
    }

    func testAnswersResumeSubmitRegradeAndSeenQuestions() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle()
        let a = try f.store.startAttempt(f.request("A001", questions: ["q1", "q2"]))
        XCTAssertEqual(try f.store.openAttempt(badge: "A001", cycleID: "2026-spring")?.id, a.id)
        XCTAssertEqual(a.paper, Data("{\"paper\":true}".utf8))
        XCTAssertEqual(a.seed, 42)
        XCTAssertEqual(a.deadline, StoreFixture.date("2026-01-15T02:30:00Z"))
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        try f.store.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data("\"A\"".utf8), at: t)
        try f.store.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data("\"B\"".utf8), at: t)
        try f.store.saveAnswer(attemptID: a.id, questionKey: "q2", response: Data("[\"A\",\"C\"]".utf8), at: t)
        // After the deadline (02:30) and its few seconds of grace, the store refuses new answers.
        XCTAssertThrowsError(
            try f.store.saveAnswer(
                attemptID: a.id, questionKey: "q3", response: Data("true".utf8), at: StoreFixture.date("2026-01-15T02:30:06Z"))
        ) { XCTAssertEqual($0 as? StoreError, .attemptTimeUp(a.id)) }
        let answers = try f.store.answers(attemptID: a.id)
        XCTAssertEqual(answers["q1"]?.response, Data("\"B\"".utf8))
        XCTAssertEqual(answers["q1"]?.revision, 2)
        XCTAssertEqual(answers.count, 2)
        try f.store.submitAttempt(
            attemptID: a.id, report: Data("{\"v\":1}".utf8), score: 55, maxScore: 100, passed: false,
            submittedAt: StoreFixture.date("2026-01-15T02:20:00Z"), reason: .submitted)
        XCTAssertNil(try f.store.openAttempt(badge: "A001", cycleID: "2026-spring"))
        XCTAssertThrowsError(try f.store.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data(), at: t)) {
            XCTAssertEqual($0 as? StoreError, .attemptNotOpen(a.id))
        }
        try f.store.regradeAttempt(
            attemptID: a.id, report: Data("{\"v\":2}".utf8), score: 65, maxScore: 100, passed: true,
            reason: "answer key corrected q2", at: StoreFixture.date("2026-01-20T00:00:00Z"))
        let after = try XCTUnwrap(try f.store.attempt(id: a.id))
        XCTAssertEqual(after.grades.map(\.score), [55, 65])
        XCTAssertEqual(after.grades.map(\.isRegrade), [false, true])
        XCTAssertEqual(after.currentGrade?.passed, true)
        XCTAssertEqual(try f.store.seenQuestionIDs(badge: "A001", cycleID: "2026-spring"), ["q1", "q2"])
        XCTAssertEqual(try f.store.attempts(cycleID: "2026-spring").map(\.grades.count), [2])
        XCTAssertEqual(try f.store.attempts(badge: "A001", cycleID: nil).map(\.id), [a.id])
        let rule = CompletionRule(requiredItemIDs: ["l1"], maxAttempts: 3, counting: .highest)
        XCTAssertEqual(try f.store.standing(badge: "A001", cycleID: "2026-spring", rule: rule, now: t).status, .passed)
        XCTAssertTrue(try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: t))
        XCTAssertFalse(try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: t))
        XCTAssertEqual(try f.store.finishedItems(badge: "A001", cycleID: "2026-spring").count, 1)
        let standing = try f.store.standing(badge: "A001", cycleID: "2026-spring", rule: rule, now: t)
        // A pass by regrade completes as of the submission it regraded.
        XCTAssertEqual(standing.status, .completed(on: StoreFixture.date("2026-01-15T02:20:00Z")))
        XCTAssertTrue(try f.store.verifyChain().isIntact)
    }

    func testRosterOneRowPerPersonIncludingNeverStarted() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle(roles: [])
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: t)
        try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l2", at: t)
        try f.store.recordItemFinished(badge: "A002", cycleID: "2026-spring", itemID: "l1", at: t)
        let a = try f.store.startAttempt(f.request("A001"))
        try f.store.submitAttempt(
            attemptID: a.id, report: Data(), score: 88, maxScore: 100, passed: true, submittedAt: t, reason: .submitted)
        try f.store.exempt(cycleID: "2026-spring", badge: "A003", reason: "借调", grantedBy: "队长", at: t)
        try f.store.recordSpotCheck(cycleID: "2026-spring", seed: 7, percent: 50, selected: ["A002"], inspectors: ["检查员甲"], at: t)
        // A spot check must leave the file sound for `audit verify` (SQLite 3.40 once flagged it).
        if let sqlite = f.store as? SQLiteEducationStore { XCTAssertNil(try sqlite.integrityProblem()) }
        let rule = CompletionRule(requiredItemIDs: ["l1", "l2"], maxAttempts: 2, counting: .highest)
        let rows = try f.store.roster(cycleID: "2026-spring", department: nil, rule: rule, now: t)
        XCTAssertEqual(rows.map(\.badge), ["A001", "A003", "A002"])
        XCTAssertEqual(rows[0].status, .completed(on: t))
        XCTAssertEqual(rows[0].countingScore, 88)
        XCTAssertEqual(rows[0].maxScore, 100)
        XCTAssertEqual(rows[0].itemsDone, 2)
        XCTAssertEqual(rows[1].status, .exempt(reason: "借调"))
        XCTAssertEqual(rows[1].exemptionReason, "借调")
        XCTAssertEqual(rows[2].status, .studying(done: 1, total: 2))
        XCTAssertTrue(rows[2].spotChecked)
        XCTAssertFalse(rows[0].spotChecked)
        let sub = try f.store.roster(cycleID: "2026-spring", department: StoreFixture.department + "/一中队", rule: rule, now: t)
        XCTAssertEqual(sub.map(\.badge), ["A002"])
        // After the window, the never-finished become overdue.
        let late = try f.store.roster(
            cycleID: "2026-spring", department: nil, rule: rule, now: StoreFixture.date("2026-03-01T00:00:00Z"))
        XCTAssertEqual(late.map(\.status.key), ["completed", "exempt", "overdue"])
        XCTAssertThrowsError(try f.store.roster(cycleID: "x", department: nil, rule: rule, now: t))

        let record = try f.store.educationRecord(badge: "A002", rules: ["2026-spring": rule], now: t)
        XCTAssertEqual(record.cycles.count, 1)
        XCTAssertEqual(record.cycles[0].spotChecks.map(\.seed), [7])
        XCTAssertEqual(record.cycles[0].spotChecks[0].inspectors, ["检查员甲"])
        XCTAssertEqual(record.cycles[0].standing?.status, .studying(done: 1, total: 2))
    }
}
