import Foundation
import Spreadsheets
import StaffFiles
import XCTest

@testable import Records

/// Staff files read through the Spreadsheets module: the shipped sample, XLSX, GB18030, bad files.
final class SpreadsheetImportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("records-sheets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testShippedSampleParses() throws {
        let rows = try StaffSheetParser.read(contentsOf: CLITests.sampleCSV)
        XCTAssertEqual(rows.count, 29)
        XCTAssertEqual(rows.first?.badge, "SL0001")
        XCTAssertEqual(rows.first?.line, 2)
        XCTAssertTrue(rows.allSatisfy { $0.department.hasPrefix("示例省/示例市/示例区/城市管理综合行政执法大队/") })
        XCTAssertEqual(rows.filter { $0.role == .assistant }.count, 12)
        XCTAssertEqual(rows.filter { $0.status == .inactive }.map(\.badge), ["SL0012", "SL0027"])
    }

    func testXLSXFirstSheetWithEnglishHeaders() throws {
        let url = dir.appendingPathComponent("staff.xlsx")
        let workbook = try XLSXWriter(destination: url)
        let sheet = try workbook.addSheet(named: "名单")
        try sheet.writeHeader(["badge", "name", "department", "role", "status"])
        try sheet.writeRow([.text("X001"), .text("王小明"), .text("示例省/示例市"), .text("officer"), .text("active")])
        try sheet.writeRow([.text("X002"), .text("李小红"), .text("示例省/示例市/一中队"), .text("协管人员"), .empty])
        try workbook.finish()
        let rows = try StaffSheetParser.read(contentsOf: url)
        XCTAssertEqual(rows.map(\.badge), ["X001", "X002"])
        XCTAssertEqual(rows.map(\.line), [2, 3])
        XCTAssertEqual(rows[1].role, .assistant)
        XCTAssertNil(rows[1].status)
        let f = try StoreFixture()
        XCTAssertEqual(
            try f.store.importStaff(rows, markMissingInactive: false, source: url.lastPathComponent, at: Date()).added, 2)
    }

    func testXLSXBadRowNamesTheRow() throws {
        let url = dir.appendingPathComponent("bad.xlsx")
        let workbook = try XLSXWriter(destination: url)
        let sheet = try workbook.addSheet(named: "Sheet1")
        try sheet.writeHeader(["执法证号", "姓名", "所属部门", "人员类别"])
        try sheet.writeRow([.text("X001"), .text("王小明"), .text("示例省"), .text("司机")])
        try workbook.finish()
        XCTAssertThrowsError(try StaffSheetParser.read(contentsOf: url)) { error in
            let problems = (error as? StaffImportError)?.problems.map(\.description) ?? []
            XCTAssertEqual(problems.count, 1)
            XCTAssertTrue(
                problems.first?.hasPrefix("bad.xlsx:2: column '人员类别': unknown role '司机'") == true
                    || problems.first?.contains(":2: column '人员类别': unknown role '司机'") == true, "\(problems)")
        }
    }

    func testGB18030CSV() throws {
        let utf8 = dir.appendingPathComponent("utf8.csv")
        try Data("执法证号,姓名,所属部门,人员类别,状态\r\nG001,欧阳娜娜,示例省/示例市,执法人员,在岗\r\nG002,𠀀测试,示例省/示例市,协管人员,离岗\r\n".utf8).write(to: utf8)
        let gb = dir.appendingPathComponent("gbk.csv")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030", utf8.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try XCTSkipIf(p.terminationStatus != 0, "iconv cannot write GB18030 here")
        try bytes.write(to: gb)
        XCTAssertNil(String(data: bytes, encoding: .utf8), "the fixture must not be valid UTF-8")
        let rows = try StaffSheetParser.read(contentsOf: gb)
        XCTAssertEqual(rows.map(\.name), ["欧阳娜娜", "𠀀测试"])
        XCTAssertEqual(rows.map(\.status), [.active, .inactive])
    }

    func testUnreadableOrMalformedFilesAreNamed() throws {
        let missing = dir.appendingPathComponent("missing.csv")
        XCTAssertThrowsError(try StaffSheetParser.read(contentsOf: missing)) { error in
            let e = error as? StaffImportError
            XCTAssertEqual(e?.problems.count, 1)
            XCTAssertTrue(e?.problems.first?.file.contains("missing.csv") == true, "\(error)")
        }
        let broken = dir.appendingPathComponent("broken.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01, 0x02]).write(to: broken)
        XCTAssertThrowsError(try StaffSheetParser.read(contentsOf: broken)) { error in
            XCTAssertTrue((error as? StaffImportError)?.problems.first?.file.contains("broken.xlsx") == true, "\(error)")
        }
    }
}
