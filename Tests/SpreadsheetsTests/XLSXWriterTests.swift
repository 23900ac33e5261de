import Foundation
import Testing

@testable import Spreadsheets

/// Runs python3 with openpyxl; fails the test with instructions when it is missing.
func openpyxl(_ script: String, _ args: [String]) throws -> String {
    guard let py = python3() else {
        Issue.record("python3 is missing: run scripts/install-deps.sh --test")
        return ""
    }
    let (probe, _, _) = try run(py, ["-c", "import openpyxl"])
    if probe != 0 {
        Issue.record("openpyxl is missing: run scripts/install-deps.sh --test (or: python3 -m pip install openpyxl)")
        return ""
    }
    let (rc, out, err) = try run(py, ["-c", script] + args)
    #expect(rc == 0, "python failed:\n\(err)")
    return out
}

@Suite struct XLSXWriterTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// 2018-02-10 00:30 in Shanghai.
    let completed = Date(timeIntervalSince1970: 1_518_193_800)

    func sampleWorkbook(at url: URL, rows: Int = 3) throws {
        try writeSampleWorkbook(at: url, rows: rows)
    }
}

/// The workbook the openpyxl and LibreOffice tests check.
func writeSampleWorkbook(at url: URL, rows: Int = 3) throws {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    let completed = Date(timeIntervalSince1970: 1_518_193_800)
    let w = try XLSXWriter(destination: url, options: .init(timeZone: shanghai))
    let roster = try w.addSheet(named: "名单")
    try roster.writeHeader(["执法证号", "姓名", "所属部门", "得分", "通过", "完成日期", "完成时间", "完成率", "备注"])
    for i in 0..<rows {
        try roster.writeRow([
            .text(String(format: "NJ%05d", i)), .text(i == 0 ? "欧阳修" : "张三\(i)"),
            .text("江苏省/南京市/玄武区/城市管理综合行政执法大队"), .integer(80 + i % 20), .boolean(i % 2 == 0),
            .date(completed), .dateTime(completed), .percent(0.925),
            .text(i == 1 ? "=1+1 & <tag> \"q\"\n第二行" : ""),
        ])
    }
    let summary = try w.addSheet(named: "汇总")
    try summary.writeHeader(["部门", "人数", "平均分"])
    try summary.writeRow([.text("玄武区"), .integer(rows), .number(88.25)])
    try w.finish()
}

extension XLSXWriterTests {

    @Test func openpyxlReadsTheWorkbook() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("roster.xlsx")
        try sampleWorkbook(at: url)
        let script = """
            import sys, json, datetime, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb.worksheets[0]
            out = {
              "sheets": wb.sheetnames,
              "freeze": ws.freeze_panes,
              "filter": ws.auto_filter.ref,
              "header": [c.value for c in ws[1]],
              "bold": ws["A1"].font.b,
              "row2": [c.value if not isinstance(c.value, (datetime.datetime, datetime.date)) else c.value.isoformat() for c in ws[2]],
              "types": [type(c.value).__name__ for c in ws[2]],
              "is_date": ws["F2"].is_date,
              "note": ws["I3"].value,
              "widthC": ws.column_dimensions["C"].width,
              "widthA": ws.column_dimensions["A"].width,
              "fmtH": ws["H2"].number_format,
              "summary": [[c.value for c in r] for r in wb["汇总"].iter_rows()],
              "max_row": ws.max_row,
            }
            print(json.dumps(out, ensure_ascii=False))
            """
        let out = try openpyxl(script, [url.path])
        guard !out.isEmpty else { return }
        let j = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(j["sheets"] as? [String] == ["名单", "汇总"])
        #expect(j["freeze"] as? String == "A2")
        #expect(j["filter"] as? String == "A1:I4")
        #expect(j["bold"] as? Bool == true)
        #expect((j["header"] as? [String])?.first == "执法证号")
        let row2 = try #require(j["row2"] as? [Any])
        #expect(row2[0] as? String == "NJ00000")
        #expect(row2[1] as? String == "欧阳修")
        #expect(row2[2] as? String == "江苏省/南京市/玄武区/城市管理综合行政执法大队")
        #expect(row2[3] as? Int == 80)
        #expect(row2[4] as? Bool == true)
        #expect(row2[5] as? String == "2018-02-10T00:00:00")
        #expect(row2[6] as? String == "2018-02-10T00:30:00")
        #expect((row2[7] as? Double).map { abs($0 - 0.925) < 1e-12 } == true)
        #expect(j["types"] as? [String] == ["str", "str", "str", "int", "bool", "datetime", "datetime", "float", "NoneType"])
        #expect(j["is_date"] as? Bool == true)
        #expect(j["note"] as? String == "=1+1 & <tag> \"q\"\n第二行")
        #expect(j["fmtH"] as? String == "0.0%")
        // 22 CJK characters + 3 ASCII = 47 display columns, wider than the 7-character badge column.
        let widthC = try #require(j["widthC"] as? Double)
        let widthA = try #require(j["widthA"] as? Double)
        #expect(widthC >= 47 && widthC > widthA)
        #expect(j["max_row"] as? Int == 4)
        let summary = try #require(j["summary"] as? [[Any]])
        #expect(summary.count == 2)
        #expect(summary[1][0] as? String == "玄武区")
        #expect(summary[1][2] as? Double == 88.25)
    }

    @Test func illegalXMLCharactersAreRefusedOrHandled() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("bad.xlsx")
        let w = try XLSXWriter(destination: url)
        let s = try w.addSheet(named: "S")
        try s.writeHeader(["a", "b"])
        do {
            try s.writeRow([.text("ok"), .text("bell\u{07}here")])
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .unrepresentableCharacter)
            #expect(e.line == 2)
            #expect(e.column == 2)
            #expect(e.english.contains("B2"))
            #expect(e.english.contains("U+0007"))
        }
        // The failed row left nothing behind: the next row is row 2 and the file is valid.
        try s.writeRow([.text("next"), .text("row")])
        try w.finish()
        let t = try SpreadsheetReader.read(contentsOf: url)
        #expect(cells(t) == [["a", "b"], ["next", "row"]])

        for (policy, expected) in [(IllegalXMLCharacterPolicy.strip, "bellhere"), (.replace, "bell\u{FFFD}here\u{FFFD}")] {
            let u = dir.file("p.xlsx")
            let w2 = try XLSXWriter(destination: u, options: .init(illegalCharacters: policy))
            let s2 = try w2.addSheet(named: "S")
            try s2.writeRow([.text("bell\u{07}here\u{FFFF}")])
            try w2.finish()
            #expect(try SpreadsheetReader.read(contentsOf: u).rows[0].cells == [expected])
        }
    }

    @Test func sheetNameRules() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let w = try XLSXWriter(destination: dir.file("n.xlsx"))
        for bad in ["", "a/b", "x[1]", "'quoted'", String(repeating: "长", count: 32)] {
            #expect(throws: SpreadsheetError.self) { try w.addSheet(named: bad) }
        }
        _ = try w.addSheet(named: "Roster")
        #expect(throws: SpreadsheetError.self) { try w.addSheet(named: "roster") }
        _ = try w.addSheet(named: String(repeating: "长", count: 31))
        w.abort()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == [])
    }

    @Test func unwritableDestinationFailsEarlyAndAbortLeavesOldFile() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        #expect(throws: SpreadsheetError.self) { try XLSXWriter(destination: dir.file("missing/x.xlsx")) }
        let url = try dir.write("keep.xlsx", "old")
        do {
            let w = try XLSXWriter(destination: url)
            let s = try w.addSheet(named: "S")
            try s.writeRow(["x"])
            // dropped without finish()
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["keep.xlsx"])
    }

    @Test func closedSheetRefusesRows() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let w = try XLSXWriter(destination: dir.file("c.xlsx"))
        let a = try w.addSheet(named: "A")
        _ = try w.addSheet(named: "B")
        #expect(throws: SpreadsheetError.self) { try a.writeRow(["late"]) }
        w.abort()
    }
}

/// LibreOffice Calc (optional: apt `libreoffice-calc-nogui`). When `soffice` is on PATH, the
/// workbook is converted to CSV by LibreOffice and the Chinese text, numbers and dates checked.
@Suite struct LibreOfficeTests {
    static var soffice: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let c = "\(dir)/soffice"
            if FileManager.default.isExecutableFile(atPath: c) { return c }
        }
        return nil
    }

    @Test(.enabled(if: LibreOfficeTests.soffice != nil)) func libreOfficeOpensTheWorkbook() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("roster.xlsx")
        try writeSampleWorkbook(at: url)
        let out = dir.file("out")
        let (rc, stdout, stderr) = try run(
            LibreOfficeTests.soffice!,
            [
                "-env:UserInstallation=file://\(dir.file("profile").path)", "--headless",
                "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out.path, url.path,
            ])
        #expect(rc == 0, "\(stdout)\n\(stderr)")
        let csvURL = out.appendingPathComponent("roster.csv")
        let t = try SpreadsheetReader.read(contentsOf: csvURL)
        #expect(t.rows.count == 4)
        #expect(t.rows[0].cells.prefix(3) == ["执法证号", "姓名", "所属部门"])
        #expect(t.rows[1].cells.prefix(6) == ["NJ00000", "欧阳修", "江苏省/南京市/玄武区/城市管理综合行政执法大队", "80", "TRUE", "2018-02-10"])
        #expect(t.rows[1][7] == "92.5%")
        #expect(t.rows[2][8] == "=1+1 & <tag> \"q\"\n第二行")
    }
}
