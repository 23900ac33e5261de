import Foundation
import Records
import Spreadsheets
import XCTest

@testable import Rosters

final class CSVExportTests: XCTestCase {
    func testRoundTripThroughTheSpreadsheetsReader() throws {
        let dir = try Fixtures.tempDir()
        let url = dir.appendingPathComponent("roster.csv")
        try AtomicFileWriter.write(to: url) { w in
            try RosterExport.writeCSV(Fixtures.rows, context: Fixtures.context(), to: w, destinationName: "roster.csv")
        }
        let bytes = try Data(contentsOf: url)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 BOM")
        let table = try SpreadsheetReader.read(contentsOf: url)
        XCTAssertEqual(table.header?.cells, RosterExport.columns(.zhHans))
        var rows = Array(table.dataRows)
        // The last line is the audit head comment (for `audit verify --against`), not a person.
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows.removeLast().cells, ["# academy audit head seq=7 sha256=" + String(repeating: "ab", count: 32)])
        XCTAssertEqual(rows[0].cells[1], "张三")
        XCTAssertEqual(rows[0].cells[4], "已完成")
        XCTAssertEqual(rows[0].cells[11], "2018-02-01")  // date in the cycle's zone (Asia/Shanghai)
        XCTAssertEqual(rows[1].cells[1], "李,四 \"小李\"")
        XCTAssertEqual(rows[1].cells[13], "是")
        // Formula prefixes are neutralised (a leading apostrophe), the text otherwise intact.
        XCTAssertEqual(rows[2].cells[1], "'=HYPERLINK(\"http://x\")")
        XCTAssertEqual(rows[3].cells[1], "'+王五")
        XCTAssertEqual(rows[3].cells[12], "病假,住院\n两周")
        XCTAssertEqual(rows[4].cells[1], "'-赵六")
        XCTAssertEqual(rows[5].cells[1], "'@钱七\r\n第二行")
        for r in rows { XCTAssertEqual(r.cells.count, 14) }
    }

    func testEnglishHeadersAndGB18030() throws {
        let sink = MemorySink()
        try RosterExport.writeCSV(
            Fixtures.rows, context: Fixtures.context(language: .en), to: sink, encoding: .gb18030,
            destinationName: "x")
        let table = try SpreadsheetReader.read(data: sink.data, source: "x.csv")
        XCTAssertEqual(table.header?.cells.first, "badge")
        XCTAssertEqual(table.dataRows.first?.cells[1], "张三")
        XCTAssertEqual(table.dataRows.first?.cells[4], "completed")
        XCTAssertNotEqual(Array(sink.bytes.prefix(3)), [0xEF, 0xBB, 0xBF])
    }

    func testEmptyPopulationWritesTheHeaderOnly() throws {
        let sink = MemorySink()
        try RosterExport.writeCSV([], context: Fixtures.context(), to: sink, destinationName: "x")
        let table = try SpreadsheetReader.read(data: sink.data, source: "x.csv")
        XCTAssertEqual(table.rows.count, 2, "the header and the audit head comment")
    }

    func testUnwritableDestinationLeavesNothing() throws {
        let dir = try Fixtures.tempDir()
        let ro = dir.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: true)
        let loaded = RosterService.Loaded(context: Fixtures.context(), rows: Fixtures.rows)
        // A missing directory.
        XCTAssertThrowsError(
            try RosterService.export(loaded, format: .csv, to: .file(dir.appendingPathComponent("no/such/r.csv")))
        ) {
            XCTAssertTrue("\($0)".contains("no/such"), "\($0)")
        }
        // A destination that is a directory: the error names it, nothing else appears next to it.
        XCTAssertThrowsError(try RosterService.export(loaded, format: .csv, to: .file(ro)))
        XCTAssertThrowsError(try RosterService.export(loaded, format: .xlsx, to: .file(ro)))
        XCTAssertThrowsError(try RosterService.export(loaded, format: .json, to: .file(ro)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["ro"])
        if getuid() != 0 {
            chmod(ro.path, 0o555)
            defer { chmod(ro.path, 0o755) }
            XCTAssertThrowsError(try RosterService.export(loaded, format: .csv, to: .file(ro.appendingPathComponent("r.csv"))))
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: ro.path), [])
        }
    }

    func testExistingFileUntouchedWhenWriteFails() throws {
        let dir = try Fixtures.tempDir()
        let url = dir.appendingPathComponent("roster.csv")
        try Data("old".utf8).write(to: url)
        // A character GB18030 can encode but a text the reader can't: use an unpaired control? Use
        // an invalid number instead: NaN scores are refused by the writer mid-file.
        var rows = Fixtures.rows
        rows[3].countingScore = .nan
        let loaded = RosterService.Loaded(context: Fixtures.context(), rows: rows)
        XCTAssertThrowsError(try RosterService.export(loaded, format: .csv, to: .file(url)))
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["roster.csv"])
    }

    /// 100,000 people take ~25 s in a debug build on this machine, so the suite runs 10,000 by
    /// default; `ROSTERS_SCALE=100000 swift test --filter testLargePopulation` runs the full size
    /// (and Benchmarks/rosters.sh exports 100,000 through the release binary).
    func testLargePopulation() throws {
        let n = Int(ProcessInfo.processInfo.environment["ROSTERS_SCALE"] ?? "") ?? 10_000
        var rows: [RosterRow] = []
        rows.reserveCapacity(n)
        for i in 0..<n {
            rows.append(
                Fixtures.row(
                    String(format: "P%06d", i), "姓名\(i % 100)", "省/市\(i % 10)/区\(i % 7)",
                    i % 3 == 0 ? .overdue : .completed(on: Fixtures.date("2018-02-01T00:00:00Z")),
                    score: Double(i % 101), passed: i % 101 >= 60,
                    completedAt: i % 3 == 0 ? nil : Fixtures.date("2018-02-01T00:00:00Z")))
        }
        let sink = MemorySink()
        var ticks = 0
        try RosterExport.writeCSV(rows, context: Fixtures.context(), to: sink, destinationName: "x") { _ in ticks += 1 }
        XCTAssertEqual(ticks, n / RosterExport.progressInterval)
        var lines = 0
        for b in sink.bytes where b == 0x0A { lines += 1 }
        XCTAssertEqual(lines, n + 2, "header, rows, audit head comment")
        let r = RosterRollup(rows: rows)
        XCTAssertEqual(r.total.headcount, n)
        XCTAssertEqual(r.total.overdue, (n + 2) / 3)
        XCTAssertEqual(r.nodes.count, 1 + 1 + 10 + 70)
    }
}

final class JSONExportTests: XCTestCase {
    struct Doc: Decodable {
        struct Row: Decodable {
            var badge, name, department, role, status: String
            var lessons_done, lessons_total, attempts_used: Int
            var score, max_score: Double?
            var passed: Bool?
            var completed_on, exemption_reason: String?
            var spot_checked: Bool
        }
        struct Dept: Decodable { var path: String; var headcount: Int; var completion_rate: Double?; var mean_score: Double? }
        var schema_version: Int
        var generated_at: String
        var cycle: [String: String]
        var department: String?
        var audit_head: [String: AnyDecodable]?
        var totals: Dept
        var departments: [Dept]
        var rows: [Row]
    }
    struct AnyDecodable: Decodable {
        init(from decoder: Decoder) throws {}
    }

    func testDecodesDeterministicAndNullsPresent() throws {
        let ctx = Fixtures.context()
        let a = try RosterExport.json(Fixtures.rows, rollup: RosterRollup(rows: Fixtures.rows), context: ctx)
        let b = try RosterExport.json(Fixtures.rows, rollup: RosterRollup(rows: Fixtures.rows), context: ctx)
        XCTAssertEqual(a, b)
        let doc = try JSONDecoder().decode(Doc.self, from: a)
        XCTAssertEqual(doc.schema_version, 1)
        XCTAssertEqual(doc.cycle["id"], "2018-spring")
        XCTAssertEqual(doc.rows.count, 6)
        XCTAssertEqual(doc.rows[1].name, "李,四 \"小李\"")
        XCTAssertEqual(doc.rows[2].name, "=HYPERLINK(\"http://x\")", "JSON keeps the text as is")
        XCTAssertEqual(doc.rows[5].name, "@钱七\r\n第二行")
        XCTAssertEqual(doc.rows[0].completed_on, "2018-02-01")
        XCTAssertEqual(doc.rows[0].status, "completed")
        XCTAssertEqual(doc.rows[3].exemption_reason, "病假,住院\n两周")
        XCTAssertEqual(doc.totals.headcount, 6)
        XCTAssertEqual(doc.departments.map(\.path).first, "江苏省")
        let text = String(decoding: a, as: UTF8.self)
        XCTAssertTrue(text.contains("\"completed_on\" : null"), "optional fields are null, not omitted")
        let summary =
            try JSONSerialization.jsonObject(
                with: RosterExport.summaryJSON(rollup: RosterRollup(rows: Fixtures.rows), context: ctx)) as? [String: Any]
        XCTAssertEqual((summary?["departments"] as? [Any])?.count, 5)
    }
}

final class XLSXExportTests: XCTestCase {
    func testOpenpyxlReadsBothSheetsChineseFrozenHeaderAndDates() throws {
        let dir = try Fixtures.tempDir()
        let url = dir.appendingPathComponent("名册.xlsx")
        try RosterExport.writeXLSX(Fixtures.rows, rollup: RosterRollup(rows: Fixtures.rows), context: Fixtures.context(), to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["名册.xlsx"])
        let script = """
            import sys, datetime
            try:
                import openpyxl
            except ImportError:
                print("SKIP no openpyxl"); sys.exit(3)
            wb = openpyxl.load_workbook(sys.argv[1])
            assert wb.sheetnames == ["名册", "汇总"], wb.sheetnames
            ws = wb["名册"]
            assert ws.freeze_panes == "C2", ws.freeze_panes  # header and badge + name
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            assert ws.print_title_rows == "$1:$1", ws.print_title_rows
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.oddFooter.center.text
            assert ws["A1"].value == "执法证号" and ws["A1"].font.b, ws["A1"].value
            assert ws.max_row == 7, ws.max_row
            assert ws["B2"].value == "张三", ws["B2"].value
            assert ws["B3"].value == '李,四 "小李"', ws["B3"].value
            assert ws["B4"].value == '=HYPERLINK("http://x")' and ws["B4"].data_type == "s", (ws["B4"].value, ws["B4"].data_type)
            assert ws["B7"].value.startswith("@钱七"), ws["B7"].value
            assert isinstance(ws["L2"].value, datetime.datetime) and ws["L2"].is_date, ws["L2"].value
            assert ws["L2"].value.date() == datetime.date(2018, 2, 1), ws["L2"].value
            assert ws["I2"].value == 90, ws["I2"].value
            assert ws["M5"].value == "病假,住院\\n两周", ws["M5"].value
            s = wb["汇总"]
            assert s.freeze_panes == "B2", s.freeze_panes
            assert s.print_title_rows == "$1:$1" and s.page_setup.orientation == "landscape"
            names = [(s.cell(r, 1).value, s.cell(r, 1).alignment.indent) for r in range(2, 7)]
            assert names == [("江苏省", 0), ("南京市", 1), ("玄武区", 2), ("鼓楼区", 2), ("苏州市", 1)], names
            assert s["L4"].value == "江苏省/南京市/玄武区", s["L4"].value
            # 合计 after a blank row, outside the filter range, so that sorting cannot move it.
            assert s["A7"].value is None and s["A8"].value == "合计" and s["C8"].value == 6, (s["A8"].value, s["C8"].value)
            assert s.auto_filter.ref == "A1:L6", s.auto_filter.ref
            assert s["A8"].font.b and abs(s["F8"].value - 0.2) < 1e-9, s["F8"].value
            means = {s.cell(r, 8).number_format for r in (2, 3, 4, 5, 6, 8) if s.cell(r, 8).value is not None}
            assert means == {"0.0"}, means
            print("OK")
            """
        let (status, out) = try Fixtures.python(script, args: [url.path])
        XCTAssertNotEqual(status, 3, "openpyxl is missing: scripts/install-deps.sh --test installs it")
        XCTAssertEqual(status, 0, out)
        XCTAssertTrue(out.contains("OK"), out)
    }

    func testEmptyPopulationWorkbook() throws {
        let dir = try Fixtures.tempDir()
        let url = dir.appendingPathComponent("empty.xlsx")
        try RosterExport.writeXLSX([], rollup: RosterRollup(rows: []), context: Fixtures.context(language: .en), to: url)
        let (status, out) = try Fixtures.python(
            """
            import sys
            try:
                import openpyxl
            except ImportError:
                sys.exit(3)
            wb = openpyxl.load_workbook(sys.argv[1])
            assert wb.sheetnames == ["Roster", "Summary"], wb.sheetnames
            assert wb["Roster"].max_row == 1 and wb["Roster"]["A1"].value == "badge"
            assert wb["Summary"]["A3"].value == "Total" and wb["Summary"]["C3"].value == 0
            print("OK")
            """, args: [url.path])
        XCTAssertNotEqual(status, 3, "openpyxl is missing: scripts/install-deps.sh --test installs it")
        XCTAssertEqual(status, 0, out)
    }
}

final class ReportTests: XCTestCase {
    func testSelfContainedEscapedAndComplete() throws {
        var rows = Fixtures.rows
        rows[1].name = "<script>alert('x')</script>&"
        let html = try RosterReport.html(.init(rows: rows, rollup: RosterRollup(rows: rows), context: Fixtures.context()))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"))
        XCTAssertTrue(html.contains("@page { size: A4"))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains(String(repeating: "ab", count: 32)), "audit head hash")
        XCTAssertTrue(html.contains("2018年春节前全员培训"))
        XCTAssertTrue(html.contains("逾期未完成人员名单"))
        XCTAssertTrue(html.contains("2018-02-11 10:00（Asia/Shanghai，UTC+08:00）"), "report date with its zone")
        for external in ["src=", "href=", "url(", "@import", "<link", "<script"] {
            XCTAssertFalse(html.contains(external), "no external assets: \(external)")
        }
        // Well-formed enough for an XML parser apart from the doctype (every tag closed).
        XCTAssertEqual(html.components(separatedBy: "<tr").count, html.components(separatedBy: "</tr>").count)
        let en = try RosterReport.html(.init(rows: [], rollup: RosterRollup(rows: []), context: Fixtures.context(language: .en)))
        XCTAssertTrue(en.contains("Annex 1"))
        XCTAssertTrue(en.contains("No departments below the scope."))
    }

    func testControlCharactersAreReplaced() {
        XCTAssertEqual(RosterReport.escape("a\u{07}b\"c"), "a\u{FFFD}b&quot;c")
    }
}
