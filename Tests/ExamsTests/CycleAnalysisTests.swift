import Courseware
import Exams
import Foundation
import ItemAnalysis
import Localization
import Records
import XCTest

/// `CycleAnalysis` (what `academy exam analyze` reads) over attempts the exam service wrote.
final class CycleAnalysisTests: XCTestCase {
    /// Two officers sit the exam: A001 answers everything right, A002 nothing.
    func testObservationsComeFromTheCountingAttemptOfEachOfficer() throws {
        let f = try ServiceFixture()
        for badge in ["A001", "A002"] {
            let s = try f.service().open(badge: badge, cycleID: nil).session
            if badge == "A001" {
                for i in 0..<s.count {
                    try s.go(to: i + 1)
                    _ = try s.answer(ServiceFixture.correctAnswer(s, contentSet: f.contentSet), now: f.clock.now)
                }
            }
            _ = try s.submit(now: f.clock.now)
        }
        var notes: [BilingualText] = []
        let (report, title) = try CycleAnalysis.analyze(f.store, cycleID: "2026-spring", content: f.contentSet) {
            notes.append($0)
        }
        XCTAssertEqual(title, "2026年春季培训")
        XCTAssertEqual(notes, [])
        let observations = try CycleAnalysis.observations(try f.store.attempts(cycleID: "2026-spring"), rule: .highest)
        XCTAssertEqual(observations.map(\.person), ["A001", "A002"])
        XCTAssertEqual(observations.map(\.items.count), [6, 6])
        XCTAssertEqual(observations[0].items.map(\.score).reduce(0, +), 30)
        XCTAssertEqual(observations[1].items.map(\.score).reduce(0, +), 0)
        // Unanswered choice questions are observed as "chose nothing".
        XCTAssertTrue(observations[1].items.filter { $0.questionID.hasPrefix("s") }.allSatisfy { $0.chosen == [] })
        XCTAssertEqual(report, ItemAnalysis.analyze(observations, keys: ItemKey.keys(f.contentSet.allQuestions)))
    }

    func testAMissingBlueprintIsNotedAndAnUnknownCycleRefused() throws {
        let f = try ServiceFixture()
        var notes: [String] = []
        var content = f.contentSet
        content.blueprints = []
        _ = try CycleAnalysis.analyze(f.store, cycleID: "2026-spring", content: content) { notes.append($0.text(in: .en)) }
        XCTAssertEqual(notes, ["note: the content has no blueprint bp-1; the highest-scoring attempt counts"])
        XCTAssertThrowsError(try CycleAnalysis.analyze(f.store, cycleID: "nope", content: content) { _ in }) {
            XCTAssertEqual(($0 as? CycleAnalysis.Failure)?.message(in: .zhHans), "没有编号为 nope 的培训周期")
        }
    }
}
