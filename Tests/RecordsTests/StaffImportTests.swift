import Foundation
@testable import StaffFiles
import XCTest

@testable import Records

final class StaffSheetParserTests: XCTestCase {
    func rows(_ lines: [[String]]) -> [(line: Int, cells: [String])] {
        lines.enumerated().map { (line: $0.offset + 1, cells: $0.element) }
    }

    func problems(_ lines: [[String]]) -> [String] {
        do {
            _ = try StaffSheetParser.parse(source: "staff.csv", rows: rows(lines))
            XCTFail("expected the file to be rejected")
            return []
        } catch let error as StaffImportError {
            return error.problems.map(\.description)
        } catch {
            XCTFail("unexpected \(error)")
            return []
        }
    }

    func testChineseHeadersAndValues() throws {
        let result = try StaffSheetParser.parse(
            source: "s.csv",
            rows: rows([
                ["执法证号", "姓名", "所属部门", "人员类别", "状态"],
                ["A1", " 张三 ", "示例省 / 示例市/", "执法人员", "在岗"],
                ["A2", "李四", "示例省/示例市", "协管人员", "离岗"],
            ]))
        XCTAssertEqual(
            result,
            [
                StaffInput(badge: "A1", name: "张三", department: "示例省/示例市", role: .officer, status: .active, line: 2),
                StaffInput(badge: "A2", name: "李四", department: "示例省/示例市", role: .assistant, status: .inactive, line: 3),
            ])
    }

    func testEnglishHeadersAnyOrderStatusOptional() throws {
        let result = try StaffSheetParser.parse(
            source: "s.csv",
            rows: rows([
                ["Role", "badge", "NAME", "department"],
                ["assistant", "X9", "Wang", "A/B"],
            ]))
        XCTAssertEqual(result, [StaffInput(badge: "X9", name: "Wang", department: "A/B", role: .assistant, status: nil, line: 2)])
    }

    func testEveryBadRowIsReported() {
        let found = problems([
            ["执法证号", "姓名", "所属部门", "人员类别"],
            ["A1", "张三", "示例省", "执法人员"],
            ["A1", "李四", "示例省", "执法人员"],
            ["A2", "", "示例省", "执法人员"],
            ["A3", "王五", " / ", "执法人员"],
            ["A4", "赵六", "示例省", "司机"],
        ])
        XCTAssertEqual(
            found,
            [
                "staff.csv:3: column '执法证号': duplicate badge A1 (first on line 2)",
                "staff.csv:4: column '姓名': name is empty",
                "staff.csv:5: column '所属部门': department path is empty",
                "staff.csv:6: column '人员类别': unknown role '司机' (expected 执法人员/officer or 协管人员/assistant)",
            ])
    }

    func testUnknownHeader() {
        XCTAssertEqual(
            problems([["badge", "name", "department", "role", "phone"], ["1", "a", "b", "officer", "x"]]),
            ["staff.csv:1: column 'phone': unknown header (expected 执法证号/badge, 姓名/name, 所属部门/department, 人员类别/role, 状态/status)"])
    }

    func testMissingRequiredColumn() {
        XCTAssertEqual(
            problems([["badge", "name", "department"], ["1", "a", "b"]]),
            ["staff.csv:1: column '人员类别/role': required column is missing"])
    }

    func testEmptyFileAndHeaderOnly() {
        XCTAssertEqual(problems([]), ["staff.csv:1: the file is empty: no header and no staff"])
        XCTAssertEqual(problems([["", ""]]), ["staff.csv:1: the file is empty: no header and no staff"])
        XCTAssertEqual(
            problems([["badge", "name", "department", "role"]]),
            ["staff.csv:1: the file has a header but no staff rows"])
    }

    func testBadStatus() {
        XCTAssertEqual(
            problems([["badge", "name", "department", "role", "status"], ["1", "a", "b", "officer", "retired"]]),
            ["staff.csv:2: column 'status': unknown status 'retired' (expected 在岗/active or 离岗/inactive)"])
    }
}

final class StaffStoreTests: XCTestCase {
    func testImportIsIdempotentAndWritesNoEventsTheSecondTime() throws {
        let f = try StoreFixture()
        let first = try f.seedStaff()
        XCTAssertEqual(first.added, 4)
        XCTAssertEqual(first.events, 4)
        let head = try f.store.chainHead()
        let again = try f.seedStaff()
        XCTAssertEqual(again.added, 0)
        XCTAssertEqual(again.unchanged, 4)
        XCTAssertEqual(again.events, 0)
        XCTAssertEqual(try f.store.chainHead(), head)
        XCTAssertEqual(try f.store.staffList(department: nil).count, 4)
    }

    func testUpdateByBadgeAndMarkMissingInactive() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        let at = StoreFixture.date("2026-03-01T00:00:00Z")
        let summary = try f.store.importStaff(
            [
                StoreFixture.staff("A001", "张三丰"),
                StoreFixture.staff("A002", "李四", dept: StoreFixture.department + "/一中队"),
            ], markMissingInactive: true, source: "staff2.csv", at: at)
        XCTAssertEqual(summary.updated, 1)
        XCTAssertEqual(summary.unchanged, 1)
        XCTAssertEqual(summary.markedInactive, 2)
        let a3 = try XCTUnwrap(try f.store.staffMember(badge: "A003"))
        XCTAssertEqual(a3.status, .inactive)
        XCTAssertEqual(a3.leftAt, at)
        XCTAssertEqual(try f.store.staffMember(badge: "A001")?.name, "张三丰")

        let record = try f.store.educationRecord(badge: "A003", rules: [:], now: at)
        XCTAssertEqual(record.staffChanges.map(\.kind), ["added", "inactivated"])
        XCTAssertEqual(record.staffChanges.last?.changes["status"], ["active", "inactive"])
        let a1 = try f.store.educationRecord(badge: "A001", rules: [:], now: at)
        XCTAssertEqual(a1.staffChanges.last?.changes["name"], ["张三", "张三丰"])

        // Without the flag, missing people are kept as they are.
        let kept = try f.store.importStaff(
            [StoreFixture.staff("A001", "张三丰")], markMissingInactive: false,
            source: "staff3.csv", at: at)
        XCTAssertEqual(kept.missingKept, 3)
        XCTAssertEqual(try f.store.staffMember(badge: "A002")?.status, .active)
    }

    /// What a bulk import writes, pinned: the chain head after two imports of thousands of people
    /// (the second changing names, adding people and marking the missing ones inactive) and a
    /// digest of the staff and department rows, as Academy wrote them before the bulk paths were
    /// made faster (2026-12-02: COPY for PostgreSQL's city login; SQLite's projection without a
    /// table description per row). Both backends run this test, so both write these bytes; the
    /// replay in `verifyChain` compares the events with every column of the tables.
    func testABulkImportWritesTheBytesItAlwaysHas() throws {
        let f = try StoreFixture()
        let odd = ["反\\斜杠", "制表\t符", "换\n行", "回\r车", "引\"号", "控\u{1}制", "\u{2000B}字", "\\N"]
        let people = (0..<2_500).map { i in
            StoreFixture.staff(
                String(format: "G%05d", i), i % 250 == 0 ? odd[(i / 250) % odd.count] + "\(i)" : "人员\(i)",
                dept: StoreFixture.department + "/中队\(i % 9)" + (i % 9 == 7 ? "/反\\斜" : ""),
                role: i % 4 == 0 ? .assistant : .officer, line: i + 2)
        }
        let first = try f.store.importStaff(
            people, markMissingInactive: false, source: "golden.csv", at: StoreFixture.date("2026-01-01T00:00:00Z"))
        XCTAssertEqual(first.added, 2_500)
        var second = Array(people[100...])
        for i in stride(from: 0, to: second.count, by: 3) { second[i].name += "·改" }
        second += (0..<1_200).map { i in
            StoreFixture.staff(String(format: "H%05d", i), "新人\(i)", dept: StoreFixture.department + "/新中队\(i % 4)", line: 2_402 + i)
        }
        let summary = try f.store.importStaff(
            second, markMissingInactive: true, source: "golden2.csv", at: StoreFixture.date("2026-02-01T08:30:00Z"))
        XCTAssertEqual([summary.added, summary.updated, summary.markedInactive], [1_200, 800, 100])
        let v = try f.store.verifyChain()
        XCTAssertNil(v.problem, "\(v.message)")
        XCTAssertEqual(try f.store.chainHead().seq, 4_600)
        XCTAssertEqual(try f.store.chainHead().hash, "80006c4410e795fd0fa91247888a2d75199f9910f5bb1bd5b95976644831bc8e")
        let rows = try f.store.staffList(department: nil).map { m in
            [m.badge, m.name, m.department, m.role.rawValue, m.status.rawValue, "\(Millis.from(m.joinedAt))", m.leftAt.map { "\(Millis.from($0))" } ?? "-"]
                .joined(separator: "|")
        } + (try f.store.departments())
        XCTAssertEqual(RecordWriter.sha256(Data(rows.joined(separator: "\n").utf8)), "b51350227a7301412fa9dbba74182793e21685cf8c0dc662e2bcee36f78fd0ba")
    }

    /// A large file's rows are checked as the import writes them (on the pipelined path): rows
    /// refused near the end fail the import whole, every problem listed, and the transaction
    /// rolls back: no one added, no one marked inactive, the chain as it was.
    func testRowsRefusedLateInALargeFileWriteNothing() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        let head = try f.store.chainHead()
        var lines: [(line: Int, cells: [String])] = [(1, ["badge", "name", "department", "role"])]
        for i in 0..<3_000 { lines.append((i + 2, [String(format: "L%05d", i), "人员\(i)", StoreFixture.department, "officer"])) }
        lines.append((3_002, ["L02999", "重复", StoreFixture.department, "officer"]))
        lines.append((3_003, ["L03001", "某人", StoreFixture.department, "chief"]))
        lines.append((3_004, ["L03002", "某人", StoreFixture.department, "officer"]))
        let rows = try StaffSheetRows(source: "late.csv", rows: lines)
        XCTAssertThrowsError(try f.store.importStaff(rows, markMissingInactive: true, source: "late.csv", at: Date())) { error in
            let problems = (error as? StaffImportError)?.problems ?? []
            XCTAssertEqual(problems.map(\.line), [3_002, 3_003], "\(error)")
            XCTAssertEqual(problems.map(\.column), ["badge", "role"])
            XCTAssertEqual(problems.first?.file, "late.csv")
        }
        XCTAssertEqual(try f.store.chainHead(), head)
        let staff = try f.store.staffList(department: nil)
        XCTAssertEqual(staff.count, 4)
        XCTAssertTrue(staff.allSatisfy { $0.status == .active })
        XCTAssertNil(try f.store.staffMember(badge: "L00000"))
        XCTAssertNil(try f.store.verifyChain().problem)
    }

    func testStaffListBySubtreeIsComponentWise() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.store.importStaff(
            [StoreFixture.staff("C001", "钱七", dept: StoreFixture.department + "二")],
            markMissingInactive: false, source: "x.csv", at: Date())
        XCTAssertEqual(try f.store.staffList(department: StoreFixture.department).map(\.badge), ["A001", "A003", "A002"])
        XCTAssertEqual(try f.store.staffList(department: "示例省/示例市").count, 5)
        XCTAssertTrue(try f.store.departments().contains("示例省/示例市/示例区"))
    }
}

final class DepartmentPathTests: XCTestCase {
    func testNormalizeFastAndSlowPathsAgree() {
        let cases = [
            "示例省/示例市", "/示例省/示例市/", "示例省 / 示例市", "示例省//示例市", "\u{3000}示例省/示例市", "A/B C/D",
            " A", "A ", "", "/", "示例省/示例市\u{00A0}", "a\tb/c",
        ]
        for c in cases {
            let slow = c.split(separator: "/", omittingEmptySubsequences: true)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "/")
            XCTAssertEqual(DepartmentPath.normalize(c), slow, "\(c.debugDescription)")
        }
        XCTAssertTrue(DepartmentPath.isWithin("A/B/C", subtree: "A/B"))
        XCTAssertFalse(DepartmentPath.isWithin("A/BC", subtree: "A/B"))
        XCTAssertEqual(DepartmentPath.ancestors("A/B/C"), ["A", "A/B", "A/B/C"])
        XCTAssertEqual(StaffSheetParser.trimmed(" 张三\u{3000}"), "张三")
        XCTAssertEqual(StaffSheetParser.trimmed("张三"), "张三")
    }
}

extension DepartmentPathTests {
    /// The byte-level fast paths (trimming, a value's shape, the common role and status
    /// spellings) agree with the scalar-level rules on every white-space and control character
    /// at either end or inside, and on ordinary text.
    func testFastPathsAgreeWithTheScalarRules() {
        var values = ["张三", "人员0", "officer", "执法人员", "a", "", "示例省/示例市", "·点", "—横", "\u{3041}あ", "末\u{3000}"]
        for v in 0...0x3100 {
            guard let u = Unicode.Scalar(v), u.properties.isWhitespace || v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 else {
                continue
            }
            let c = String(Character(u))
            values += [c + "张三", "张三" + c, "张" + c + "三", c, "ab" + c]
        }
        for value in values {
            XCTAssertEqual(StaffSheetParser.trimmed(value), value.trimmingCharacters(in: .whitespacesAndNewlines), value.debugDescription)
            let scalars = value.unicodeScalars
            let control = scalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 }
            for column in StaffSheetParser.Column.allCases {
                let refused = control || scalars.count > column.maxLength
                XCTAssertEqual(StaffSheetParser.shapeProblem(value, column) != nil, refused, value.debugDescription)
            }
        }
        let long = String(repeating: "张", count: 65)
        XCTAssertNotNil(StaffSheetParser.shapeProblem(long, .badge))
        XCTAssertNil(StaffSheetParser.shapeProblem(String(long.dropLast()), .badge))
        XCTAssertEqual(StaffRole(spreadsheetValue: "执法人员"), .officer)
        XCTAssertEqual(StaffRole(spreadsheetValue: " Officer "), .officer)
        XCTAssertEqual(StaffRole(spreadsheetValue: "协管人员"), .assistant)
        XCTAssertNil(StaffRole(spreadsheetValue: "执法"))
        XCTAssertEqual(StaffStatus(spreadsheetValue: "离岗"), .inactive)
        XCTAssertEqual(StaffStatus(spreadsheetValue: "ACTIVE"), .active)
        XCTAssertNil(StaffStatus(spreadsheetValue: "在"))
    }

    func testSpaceTableMatchesUnicode() {
        for v in 0...0x3100 {
            guard let u = Unicode.Scalar(v) else { continue }
            XCTAssertEqual(StaffSheetParser.isSpace(u), u.properties.isWhitespace, "U+\(String(v, radix: 16))")
        }
    }

    func testByteKeyComparesBytes() {
        XCTAssertEqual(ByteKey("示例"), ByteKey("示例"))
        XCTAssertNotEqual(
            ByteKey("\u{00E9}"), ByteKey("e\u{0301}"), "canonically equivalent but different bytes, as SQLite sees them")
        XCTAssertEqual(Set([ByteKey("a"), ByteKey("a"), ByteKey("")]).count, 2)
    }
}
