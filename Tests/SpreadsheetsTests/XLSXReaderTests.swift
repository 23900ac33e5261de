import Foundation
import Testing

@testable import Spreadsheets

func readError(_ url: URL, limits: ReadLimits = .default) -> SpreadsheetError? {
    do {
        _ = try SpreadsheetReader.read(contentsOf: url, limits: limits)
        return nil
    } catch let e as SpreadsheetError {
        return e
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Runs a Python script (no openpyxl needed) that writes files into `dir`.
func python(_ script: String, _ args: [String]) throws {
    guard let py = python3() else {
        Issue.record("python3 is missing: run scripts/install-deps.sh --test")
        return
    }
    let (rc, _, err) = try run(py, ["-c", script] + args)
    #expect(rc == 0, "python failed:\n\(err)")
}

/// Writes a hand-made package: `parts` maps part names to contents (deflated).
let handMadeZip = """
    import sys, zipfile, json
    parts = json.loads(sys.argv[2])
    with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    """

let contentTypes = #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
let rootRels =
    #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

@Suite struct XLSXReaderTests {
    @Test func roundTripThroughOurWriter() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("rt.xlsx")
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        let w = try XLSXWriter(destination: url, options: .init(timeZone: shanghai))
        let s = try w.addSheet(named: "名单")
        try s.writeHeader(["执法证号", "姓名", "分数", "通过", "日期", "比例", "备注"])
        let d = Date(timeIntervalSince1970: 1_518_193_800)  // 2018-02-10 00:30 Shanghai
        try s.writeRow([.text("3201001"), .text("张三"), .integer(92), .boolean(true), .date(d), .percent(0.5), .text("  前后空格  ")])
        try s.writeRow([
            .integer(3201002), .text("李,\"四\"\n第二行"), .number(87.5), .boolean(false), .dateTime(d), .empty, .text("=SUM(A1)"),
        ])
        try s.writeRow([.empty, .empty, .empty])
        try s.writeRow([.empty, .text("only B"), .empty, .empty, .empty, .empty, .text("& < > _x0041_")])
        let other = try w.addSheet(named: "汇总")
        try other.writeRow(["not read"])
        try w.finish()

        let t = try SpreadsheetReader.read(contentsOf: url)
        #expect(t.format == .xlsx(sheetName: "名单"))
        #expect(
            cells(t) == [
                ["执法证号", "姓名", "分数", "通过", "日期", "比例", "备注"],
                ["3201001", "张三", "92", "TRUE", "2018-02-10", "0.5", "  前后空格  "],
                ["3201002", "李,\"四\"\n第二行", "87.5", "FALSE", "2018-02-10 00:30:00", "", "=SUM(A1)"],
                ["", "only B", "", "", "", "", "& < > A"],
            ])
        // The all-empty row 4 is left out; row numbers are Excel's.
        #expect(lines(t) == [1, 2, 3, 5])
    }

    @Test func workbookMadeByOpenpyxl() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("openpyxl.xlsx")
        let script = """
            import sys, datetime, openpyxl
            from openpyxl.cell.rich_text import CellRichText, TextBlock
            from openpyxl.cell.text import InlineFont
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "人员名单"
            ws.append(["执法证号", "姓名", "所属部门", "人员类别", "状态"])
            ws.append([3201001, "张三", "江苏省/南京市/玄武区", "执法人员", "在岗"])
            ws.append([3201002.0, "李四", "江苏省/南京市/秦淮区", "协管人员", None])
            ws["A5"] = "NJ-9"
            ws["E5"] = "离岗"
            ws["B5"] = CellRichText(["欧阳", TextBlock(InlineFont(b=True), "修")])
            ws["A6"] = 1.5
            ws["B6"] = True
            ws["C6"] = datetime.date(2018, 2, 10)
            ws["D6"] = "=1+1"
            ws["F6"] = 123456789012
            other = wb.create_sheet("第二页")
            other.append(["x"])
            wb.save(sys.argv[1])
            """
        _ = try openpyxl(script, [url.path])
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let t = try SpreadsheetReader.read(contentsOf: url)
        #expect(t.format == .xlsx(sheetName: "人员名单"))
        #expect(
            cells(t) == [
                ["执法证号", "姓名", "所属部门", "人员类别", "状态"],
                ["3201001", "张三", "江苏省/南京市/玄武区", "执法人员", "在岗"],
                ["3201002", "李四", "江苏省/南京市/秦淮区", "协管人员"],
                ["NJ-9", "欧阳修", "", "", "离岗"],
                ["1.5", "TRUE", "2018-02-10", "", "", "123456789012"],
            ])
        #expect(lines(t) == [1, 2, 3, 5, 6])
    }

    @Test func handMadePackageResolvesTheFirstSheetThroughRelationships() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("hand.xlsx")
        // The first listed sheet lives in worksheets/data.xml (rId7); sheet1.xml is the second
        // sheet. Prefixed SpreadsheetML (x:), shared strings with runs and a phonetic guide,
        // inline strings, cells without r attributes, _x000D_ escapes, a hidden sheet first.
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let parts: [String: String] = [
            "[Content_Types].xml": contentTypes,
            "_rels/.rels": rootRels,
            "xl/workbook.xml": """
            <?xml version="1.0" encoding="UTF-8"?><x:workbook xmlns:x="\(ns)" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <x:sheets><x:sheet name="隐藏" sheetId="3" state="hidden" rel:id="rId3"/><x:sheet name="名单" sheetId="2" rel:id="rId7"/><x:sheet name="Other" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>
            """,
            "xl/_rels/workbook.xml.rels": """
            <?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>\
            <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>\
            </Relationships>
            """,
            "xl/strings.xml": """
            <?xml version="1.0"?><x:sst xmlns:x="\(ns)"><x:si><x:t>姓名</x:t></x:si>\
            <x:si><x:r><x:t>司马</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">光 </x:t></x:r><x:rPh sb="0" eb="2"><x:t>しば</x:t></x:rPh></x:si>\
            <x:si><x:t>a_x000D__x000A_b</x:t></x:si></x:sst>
            """,
            "xl/worksheets/data.xml": """
            <?xml version="1.0"?><x:worksheet xmlns:x="\(ns)"><x:sheetData>\
            <x:row r="2"><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>部门</x:t></x:is></x:c></x:row>\
            <x:row><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="D3" t="s"><x:v>2</x:v></x:c></x:row>\
            <x:row r="7"><x:c r="C7" t="str"><x:f>A1</x:f><x:v>公式结果</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>\
            </x:sheetData></x:worksheet>
            """,
            "xl/worksheets/sheet1.xml":
                "<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>",
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: parts), as: UTF8.self)
        try python(handMadeZip, [url.path, json])
        let t = try SpreadsheetReader.read(contentsOf: url)
        #expect(t.format == .xlsx(sheetName: "名单"))
        #expect(cells(t) == [["姓名", "部门"], ["", "司马光 ", "", "a\r\nb"], ["", "", "公式结果", "#N/A"]])
        #expect(lines(t) == [2, 3, 7])
    }

    @Test func missingSheetPart() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("missing.xlsx")
        let parts: [String: String] = [
            "[Content_Types].xml": contentTypes, "_rels/.rels": rootRels,
            "xl/workbook.xml":
                #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            "xl/_rels/workbook.xml.rels":
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ]
        try python(handMadeZip, [url.path, String(decoding: try JSONSerialization.data(withJSONObject: parts), as: UTF8.self)])
        let e = try #require(readError(url))
        #expect(e.kind == .missingPart)
        #expect(e.english.contains("名单"))
        #expect(e.english.contains("xl/worksheets/sheet1.xml"))
    }

    @Test func zipThatIsNotAWorkbook() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("notbook.xlsx")
        try python(handMadeZip, [url.path, #"{"hello.txt": "hi"}"#])
        let e = try #require(readError(url))
        #expect(e.kind == .missingPart)
        #expect(e.english.contains("not an Excel workbook"))
    }

    @Test func corruptAndTruncatedArchives() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let good = dir.file("good.xlsx")
        let w = try XLSXWriter(destination: good)
        let s = try w.addSheet(named: "S")
        for i in 0..<200 { try s.writeRow([.text("第\(i)行 some text to compress"), .integer(i)]) }
        try w.finish()
        let bytes = [UInt8](try Data(contentsOf: good))

        // Truncated: no central directory.
        let truncated = try dir.write("trunc.xlsx", bytes: Array(bytes.prefix(bytes.count / 2)))
        #expect(readError(truncated)?.kind == .corruptArchive)

        // Damaged compressed data inside the sheet part (found by its local header name).
        var damaged = bytes
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        let at = try #require((0..<(bytes.count - name.count)).first { Array(bytes[$0..<$0 + name.count]) == name })
        for k in (at + name.count + 40)..<(at + name.count + 60) { damaged[k] ^= 0x5A }
        let e = try #require(readError(try dir.write("damaged.xlsx", bytes: damaged)))
        #expect(e.kind == .corruptArchive)
        #expect(e.file.contains("sheet1.xml"))

        // Zip magic followed by garbage.
        let garbage = try dir.write("garbage.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 100))
        #expect(readError(garbage)?.kind == .corruptArchive)
    }

    @Test func zipBombIsStoppedByTheSizeLimit() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("bomb.xlsx")
        let script = """
            import sys, zipfile
            ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
                z.writestr("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>' % ns)
                z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
                z.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="%s"><sheetData>' % ns + ' ' * (20 * 1024 * 1024) + '</sheetData></worksheet>')
            """
        try python(script, [url.path])
        #expect(try Data(contentsOf: url).count < 200_000)
        let e = try #require(readError(url, limits: ReadLimits(maxPartBytes: 1 << 20)))
        #expect(e.kind == .sizeLimit)
        #expect(e.file.contains("sheet1.xml"))
        #expect(e.chinese.contains("压缩炸弹"))

        // A header that lies about the size: patch the sizes in both headers to 100 bytes.
        let lying = dir.file("lying.xlsx")
        let patch = """
            import sys, struct
            b = bytearray(open(sys.argv[1], 'rb').read())
            name = b"xl/worksheets/sheet1.xml"
            i = 0
            while True:
                i = b.find(name, i)
                if i < 0: break
                if b[i-30:i-26] == b"PK\\x03\\x04": struct.pack_into("<I", b, i-30+22, 100)
                if b[i-46:i-42] == b"PK\\x01\\x02": struct.pack_into("<I", b, i-46+24, 100)
                i += 1
            open(sys.argv[2], 'wb').write(b)
            """
        try python(patch, [url.path, lying.path])
        let e2 = try #require(readError(lying, limits: ReadLimits(maxPartBytes: 1 << 20)))
        #expect(e2.kind == .sizeLimit || e2.kind == .corruptArchive)
    }

    @Test func doctypeInAPartIsRefused() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("xxe.xlsx")
        let parts: [String: String] = [
            "_rels/.rels": rootRels,
            "xl/workbook.xml":
                #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>"#,
        ]
        try python(handMadeZip, [url.path, String(decoding: try JSONSerialization.data(withJSONObject: parts), as: UTF8.self)])
        let e = try #require(readError(url))
        #expect(e.kind == .malformedXML)
        #expect(e.english.contains("DOCTYPE"))
    }

    @Test func malformedSheetXMLNamesThePart() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("broken.xlsx")
        let parts: [String: String] = [
            "_rels/.rels": rootRels,
            "xl/workbook.xml":
                #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            "xl/_rels/workbook.xml.rels":
                #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            "xl/worksheets/sheet1.xml":
                "<worksheet>\n<sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></c>\n</sheetData></worksheet>",
        ]
        try python(handMadeZip, [url.path, String(decoding: try JSONSerialization.data(withJSONObject: parts), as: UTF8.self)])
        let e = try #require(readError(url))
        #expect(e.kind == .malformedXML)
        #expect(e.file.hasSuffix("broken.xlsx › xl/worksheets/sheet1.xml"))
        #expect((e.line ?? 0) >= 3)
    }

    @Test func helpers() {
        #expect(ColumnName.letters(1) == "A")
        #expect(ColumnName.letters(26) == "Z")
        #expect(ColumnName.letters(27) == "AA")
        #expect(ColumnName.letters(16_384) == "XFD")
        #expect(ColumnName.parseReference("C5")! == (3, 5))
        #expect(ColumnName.parseReference("$AA$10")! == (27, 10))
        #expect(ColumnName.parseReference("5C") == nil)
        #expect(NumberCell.text("3201001") == "3201001")
        #expect(NumberCell.text("3.201001E6") == "3201001")
        #expect(NumberCell.text("87.5") == "87.5")
        #expect(NumberCell.text("1.0") == "1")
        #expect(NumberCell.text("-0042") == "-42")
        #expect(ExcelDate.text(serial: 43141, date1904: false) == "2018-02-10")
        #expect(ExcelDate.text(serial: 43141.5, date1904: false) == "2018-02-10 12:00:00")
        #expect(ExcelDate.text(serial: 1, date1904: false) == "1900-01-01")
        #expect(ExcelDate.text(serial: 0, date1904: true) == "1904-01-01")
        #expect(NumberFormat.isDate("yyyy\\-mm\\-dd"))
        #expect(NumberFormat.isDate("[$-F800]dddd, mmmm dd, yyyy"))
        #expect(!NumberFormat.isDate("0.0%"))
        #expect(!NumberFormat.isDate("[Red]0.00;\"days\""))
        #expect(ExcelEscapes.decode("a_x000D_b_x005F_x0041_") == "a\rb_x0041_")
    }
}
