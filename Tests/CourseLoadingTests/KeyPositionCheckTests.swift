import CourseLoading
import Courseware
import TestSupport
import XCTest

final class KeyPositionCheckTests: XCTestCase {
    func content(_ questions: [Question]) -> ContentSet {
        ContentSet(
            banks: [QuestionBank(id: "bank", title: "b", questions: questions, location: Build.loc())],
            blueprints: [Build.blueprint([Build.section("s1", [Build.rule(4, .singleChoice)])])])
    }

    func testShuffledKeysAreEven() {
        let qs = (0..<12).map { Build.single("q\($0)", correct: 2) }
        XCTAssertEqual(KeyPositionCheck.check(content(qs)), [])
    }

    func testFixedOrderKeysThatLeanToOnePositionAreFlagged() {
        let fixed = (0..<8).map { Build.single("f\($0)", correct: 2, shuffle: false) }
        let shuffled = (0..<4).map { Build.single("s\($0)", correct: 0) }
        let d = KeyPositionCheck.check(content(fixed + shuffled))
        XCTAssertEqual(d.map(\.code), ["key-position-skew"])
        XCTAssertEqual(d.first?.location.file, "bp.xml")
        XCTAssertTrue(d.first?.message.en.contains("C") ?? false)
        XCTAssertTrue(d.first?.message.en.contains("f0") ?? false)
        // Spread over the positions, the same number of fixed-order questions is fine.
        let spread = (0..<8).map { Build.single("g\($0)", correct: $0 % 4, shuffle: false) }
        XCTAssertEqual(KeyPositionCheck.check(content(spread + shuffled)), [])
    }

    func testFixedCorrectSummaryOptionCounts() {
        // 以上都是 fixed last and correct in most questions: the key is always D.
        let qs = (0..<10).map { Build.single("q\($0)", correct: 3, fixedLast: true) }
        XCTAssertEqual(KeyPositionCheck.check(content(qs)).map(\.code), ["key-position-skew"])
    }
}
