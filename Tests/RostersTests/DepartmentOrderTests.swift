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
}
