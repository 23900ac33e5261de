import Courseware
import Foundation
import XCTest

@testable import Records

/// One test per state of the status rules.
final class CycleStatusTests: XCTestCase {
    let windowEnd = Date(timeIntervalSince1970: 1_000_000)
    let before = Date(timeIntervalSince1970: 900_000)
    let after = Date(timeIntervalSince1970: 1_100_000)
    let required = ["l1", "l2", "c1"]

    func item(_ id: String, _ t: TimeInterval = 800_000) -> FinishedItem {
        FinishedItem(itemID: id, finishedAt: Date(timeIntervalSince1970: t))
    }

    func graded(_ n: Int, _ score: Double, _ passed: Bool, at t: TimeInterval = 850_000) -> AttemptOutcome {
        AttemptOutcome(
            number: n, startedAt: Date(timeIntervalSince1970: t - 100),
            submittedAt: Date(timeIntervalSince1970: t), score: score, passed: passed, maxScore: 100)
    }

    func status(
        _ finished: [FinishedItem], _ attempts: [AttemptOutcome], max: Int = 2,
        counting: ExamBlueprintCounting = .highest, exempt: String? = nil, now: Date? = nil
    ) -> CycleStanding {
        CycleStatusRules.standing(
            requiredItemIDs: required, finished: finished, attempts: attempts, maxAttempts: max,
            counting: counting, exemptionReason: exempt, windowEnd: windowEnd, now: now ?? before)
    }

    func testNotStarted() {
        XCTAssertEqual(status([], []).status, .notStarted)
    }

    func testStudyingCountsOnlyRequiredItemsOnce() {
        let s = status([item("l1"), item("extra"), item("l1", 810_000)], [])
        XCTAssertEqual(s.status, .studying(done: 1, total: 3))
    }

    func testOpenAttemptIsStudying() {
        let open = AttemptOutcome(number: 1, startedAt: before, submittedAt: nil, score: nil, passed: nil)
        XCTAssertEqual(status([], [open]).status, .studying(done: 0, total: 3))
    }

    func testPassedWithLessonsUnread() {
        let s = status([item("l1")], [graded(1, 90, true)])
        XCTAssertEqual(s.status, .passed)
        XCTAssertEqual(s.countingScore, 90)
    }

    func testCompletedTakesLaterOfLessonAndPass() {
        let s = status([item("l1"), item("l2"), item("c1", 870_000)], [graded(1, 90, true, at: 860_000)])
        XCTAssertEqual(s.status, .completed(on: Date(timeIntervalSince1970: 870_000)))
        XCTAssertEqual(s.completedAt, Date(timeIntervalSince1970: 870_000))
    }

    func testLessonAfterWindowDoesNotComplete() {
        let s = status([item("l1"), item("l2"), item("c1", 1_050_000)], [graded(1, 90, true)], now: after)
        XCTAssertEqual(s.status, .overdue)
        XCTAssertEqual(s.itemsDone, 2)
    }

    func testFailedWhenAllAttemptsUsed() {
        let s = status([item("l1")], [graded(1, 40, false), graded(2, 50, false)], max: 2)
        XCTAssertEqual(s.status, .failed)
        XCTAssertEqual(s.countingScore, 50)
        XCTAssertEqual(s.passed, false)
    }

    func testFailedAttemptsLeftIsStudying() {
        XCTAssertEqual(status([], [graded(1, 40, false)], max: 2).status, .studying(done: 0, total: 3))
    }

    func testExemptOverridesEverything() {
        let s = status([], [graded(1, 40, false), graded(2, 50, false)], exempt: "病假", now: after)
        XCTAssertEqual(s.status, .exempt(reason: "病假"))
        XCTAssertNil(s.completedAt)
    }

    func testOverdueAfterWindow() {
        XCTAssertEqual(status([], [], now: after).status, .overdue)
        XCTAssertEqual(status([item("l1")], [graded(1, 90, true)], now: after).status, .overdue)
    }

    func testCountingRules() {
        let attempts = [graded(1, 70, true, at: 800_000), graded(2, 95, true, at: 810_000), graded(3, 80, true, at: 820_000)]
        XCTAssertEqual(CycleStatusRules.countingAttempt(attempts, rule: .highest)?.number, 2)
        XCTAssertEqual(CycleStatusRules.countingAttempt(attempts, rule: .latest)?.number, 3)
        XCTAssertEqual(CycleStatusRules.countingAttempt(attempts, rule: .first)?.number, 1)
        // Ties under `highest` go to the earlier attempt.
        XCTAssertEqual(CycleStatusRules.countingAttempt([graded(1, 90, true), graded(2, 90, true)], rule: .highest)?.number, 1)
    }

    func testFirstRuleFailedFirstMeansNotPassedEvenIfLaterPasses() {
        let s = status(required.map { item($0) }, [graded(1, 40, false), graded(2, 90, true)], max: 3, counting: .first)
        XCTAssertEqual(s.status, .studying(done: 3, total: 3))
        XCTAssertEqual(s.countingAttemptNumber, 1)
    }
}

typealias ExamBlueprintCounting = Courseware.ExamBlueprint.CountingRule
