import Records
import XCTest

final class DepartmentOrderTests: XCTestCase {
    func testChineseNumeralsSortByValue() {
        let names = ["十一中队", "三中队", "大队部", "一中队", "十中队", "二中队"]
        XCTAssertEqual(names.sorted(by: DepartmentOrder.precedes), ["一中队", "二中队", "三中队", "十中队", "十一中队", "大队部"])
    }

    func testArabicDigitsSortByValue() {
        XCTAssertEqual(["10组", "2组", "1组"].sorted(by: DepartmentOrder.precedes), ["1组", "2组", "10组"])
    }

    func testOtherNamesKeepCodePointOrder() {
        XCTAssertEqual(
            ["玄武区", "鼓楼区", "秦淮区"].sorted(by: DepartmentOrder.precedes),
            ["玄武区", "秦淮区", "鼓楼区"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    func testChineseValues() {
        XCTAssertEqual(DepartmentOrder.precedes("一百零五中队", "一百一十中队"), true)
        XCTAssertEqual(DepartmentOrder.precedes("二十中队", "十九中队"), false)
    }

    func testPathsCompareLevelByLevel() {
        XCTAssertTrue(DepartmentOrder.pathPrecedes("局/二大队", "局/十大队"))
        XCTAssertTrue(DepartmentOrder.pathPrecedes("局/二大队", "局/二大队/一中队"))
        XCTAssertTrue(DepartmentOrder.pathPrecedes("局/二大队/十中队", "局/十大队/一中队"))
    }

    func testSortedGroupedAndUngroupedInputAgree() {
        let grouped = [("局/十中队", "B1"), ("局/十中队", "B2"), ("局/二中队", "A2"), ("局/二中队", "A9"), ("局/一中队", "C1")]
        let expected = ["C1", "A2", "A9", "B1", "B2"]
        XCTAssertEqual(DepartmentOrder.sorted(grouped, department: \.0, badge: \.1).map(\.1), expected)
        XCTAssertEqual(DepartmentOrder.sorted(grouped.reversed(), department: \.0, badge: \.1).map(\.1), expected)
        let shuffled = [grouped[3], grouped[0], grouped[4], grouped[2], grouped[1]]
        XCTAssertEqual(DepartmentOrder.sorted(shuffled, department: \.0, badge: \.1).map(\.1), expected)
        XCTAssertEqual(DepartmentOrder.sorted([(String, String)](), department: \.0, badge: \.1).count, 0)
    }
}
