import Foundation
import XCTest

@testable import Records
@testable import StaffFiles

/// Issue 9 §4: staff field limits and the rules every new cycle must meet (the store refuses
/// what the CLI refuses; see EndToEndTests/HardeningTests for the binary).
final class InputRulesTests: XCTestCase {
    func problems(_ cells: [[String]]) -> [StaffFileProblem] {
        do {
            _ = try StaffSheetParser.parse(
                source: "s.csv", rows: cells.enumerated().map { (line: $0.offset + 1, cells: $0.element) })
            XCTFail("expected a refusal")
        } catch let e as StaffImportError {
            return e.problems
        } catch {
            XCTFail("\(error)")
        }
        return []
    }

    func testNineMegabyteNameIsRefusedWithAShortMessage() {
        let name = String(repeating: "张", count: 3 << 20)
        let p = problems([["badge", "name", "department", "role"], ["X1", name, "示例省", "officer"]])
        XCTAssertEqual(p.count, 1)
        XCTAssertEqual(p.first?.column, "name")
        XCTAssertTrue(p.first?.message.en.hasPrefix("too long (3145728 characters, the limit is 100)") == true, "\(p)")
        XCTAssertLessThan(p.first?.text(in: .zhHans).utf8.count ?? .max, 400)
    }

    func testEveryFieldHasALimitAndRefusesControlCharacters() {
        for column in StaffSheetParser.Column.allCases {
            var row = ["X1", "张三", "示例省", "officer", "active"]
            let i = StaffSheetParser.Column.allCases.firstIndex(of: column)!
            row[i] = String(repeating: "a", count: column.maxLength + 1)
            let p = problems([["badge", "name", "department", "role", "status"], row])
            XCTAssertEqual(p.map(\.column), [column.rawValue], "\(column)")
            XCTAssertTrue(p.first?.message.en.contains("the limit is \(column.maxLength)") == true, "\(p)")
        }
        let p = problems([["badge", "name", "department", "role"], ["X\u{7}1", "张\n三", "示例省", "officer"]])
        XCTAssertEqual(p.map(\.column), ["badge", "name"])
        XCTAssertTrue(p.allSatisfy { $0.message.en.contains("control character") }, "\(p)")
        // At the limit is fine.
        XCTAssertNoThrow(
            try StaffSheetParser.parse(
                source: "s.csv",
                rows: [(1, ["badge", "name", "department", "role"]), (2, ["X1", String(repeating: "名", count: 100), "示例省", "officer"])]))
    }

    func testProblemsAreCappedWithACountOfTheRest() {
        let rows = [["badge", "name", "department", "role"]] + (0..<250).map { ["B\($0)", "", "示例省", "officer"] }
        let p = problems(rows)
        XCTAssertEqual(p.count, StaffSheetParser.maxProblems + 1)
        XCTAssertEqual(p.last?.message.en, "150 more problem(s) not listed")
    }

    func cycle(_ id: String = "c", opens: String = "2018-01-15", zone: String = "Asia/Shanghai") -> TrainingCycle {
        TrainingCycle(
            id: id, title: "t", courseID: "c", blueprintID: "b", departments: [], roles: [],
            opens: CalendarDay(opens)!, due: CalendarDay("2018-02-14")!, timeZoneID: zone)
    }

    func testCycleIdsArePlainIdentifiers() {
        for good in ["c", "2018-spring", "2018.spring_2", String(repeating: "a", count: 64)] {
            XCTAssertTrue(TrainingCycle.isPlainIdentifier(good), good)
        }
        for bad in ["", "../etc", "..", "a..b", "a/b", "-a", ".a", "a b", "春节", "a\u{0}", String(repeating: "a", count: 65)] {
            XCTAssertFalse(TrainingCycle.isPlainIdentifier(bad), bad)
        }
    }

    func testStoreRefusesWhatTheRulesRefuse() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let before = try store.cycles().count
        for (bad, field) in [
            (cycle("../etc"), "id"), (cycle("y", opens: "0000-01-01"), "opens"), (cycle("z", zone: "Mars/Olympus"), "TZ"),
        ] {
            XCTAssertThrowsError(try store.createCycle(bad)) { error in
                guard case let .invalid(f, _)? = error as? StoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(f, field)
            }
        }
        XCTAssertEqual(try store.cycles().count, before)
        XCTAssertNoThrow(try store.createCycle(cycle("new-cycle")))
    }

    func testZoneFromEnvironment() {
        XCTAssertEqual(try TrainingCycle.zoneFromEnvironment(["TZ": "Asia/Shanghai"]).get(), "Asia/Shanghai")
        XCTAssertEqual(try TrainingCycle.zoneFromEnvironment(["TZ": ":Asia/Shanghai"]).get(), "Asia/Shanghai")
        XCTAssertEqual(
            try TrainingCycle.zoneFromEnvironment(["TZ": "/usr/share/zoneinfo/Asia/Shanghai"]).get(), "Asia/Shanghai")
        XCTAssertEqual(try TrainingCycle.zoneFromEnvironment([:]).get(), TimeZone.current.identifier)
        guard case .failure(let e) = TrainingCycle.zoneFromEnvironment(["TZ": "Mars/Olympus"]) else {
            return XCTFail("accepted")
        }
        XCTAssertTrue(e.message.en.contains("unknown time zone 'Mars/Olympus'"))
    }
}
