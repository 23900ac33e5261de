import Foundation
import Testing

@testable import Spreadsheets

@Suite struct CSVWriterTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func render(_ rows: [[CellValue]], encoding: CSVWriter.Encoding = .utf8(bom: true), neutralize: Bool = true) throws -> [UInt8]
    {
        let sink = MemorySink()
        let w = try CSVWriter(sink: sink, encoding: encoding, neutralizeFormulas: neutralize, timeZone: shanghai)
        for r in rows { try w.writeRow(r) }
        try w.finish()
        return sink.bytes
    }

    @Test func bomCRLFAndQuoting() throws {
        let bytes = try render([["姓名", "备注"], ["王,五", "他说\"好\""], ["多行\n文本", "cr\rhere"], ["plain", ""]])
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "姓名,备注\r\n\"王,五\",\"他说\"\"好\"\"\"\r\n\"多行\n文本\",\"cr\rhere\"\r\nplain,\r\n")
    }

    @Test func noBOMOption() throws {
        let bytes = try render([["a"]], encoding: .utf8(bom: false))
        #expect(bytes == Array("a\r\n".utf8))
    }

    @Test func formulaPrefixesAreNeutralized() throws {
        let inputs = [
            "=1+1", "+86 138", "-5", "@SUM(A1)", "\tTab", "\rCR", "=HYPERLINK(\"http://x\",\"y\")", "a=b", "'quoted", "", "张=三",
        ]
        let bytes = try render([inputs.map(CellValue.text)], encoding: .utf8(bom: false))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text
                == "'=1+1,'+86 138,'-5,'@SUM(A1),'\tTab,\"'\rCR\",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a=b,'quoted,,张=三\r\n"
        )
        #expect(CSVWriter.neutralized("-3") == "'-3")
        #expect(CSVWriter.neutralized("3") == "3")
    }

    @Test func numbersAreNotNeutralized() throws {
        let bytes = try render(
            [[.integer(-5), .number(-2.5), .number(85), .percent(0.925), .percent(-0.1), .boolean(true), .empty]],
            encoding: .utf8(bom: false))
        #expect(String(decoding: bytes, as: UTF8.self) == "-5,-2.5,85,92.5%,-10%,TRUE,\r\n")
    }

    @Test func neutralizationCanBeTurnedOff() throws {
        let bytes = try render([["=1+1"]], encoding: .utf8(bom: false), neutralize: false)
        #expect(String(decoding: bytes, as: UTF8.self) == "=1+1\r\n")
    }

    @Test func datesInTheWritersTimeZone() throws {
        // 2018-02-09T16:30:00Z is 2018-02-10 00:30 in Shanghai.
        let d = Date(timeIntervalSince1970: 1_518_193_800)
        let bytes = try render([[.date(d), .dateTime(d)]], encoding: .utf8(bom: false))
        #expect(String(decoding: bytes, as: UTF8.self) == "2018-02-10,2018-02-10 00:30:00\r\n")
        let old = Date(timeIntervalSince1970: -86_400 * 36_524 + 1)
        #expect(CivilTime.isoDay(old, TimeZone(identifier: "UTC")!) == "1870-01-01")
    }

    @Test func nonFiniteNumbersAreRefused() throws {
        do {
            _ = try render([["h"], [.text("a"), .number(.nan)]])
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .invalidValue)
            #expect(e.line == 2)
            #expect(e.column == 2)
        }
    }

    @Test func gb18030Output() throws {
        let bytes = try render([["姓名", "部门"], ["朱镕基", "😀"]], encoding: .gb18030)
        let expected: [UInt8] = [
            0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xB2, 0xBF, 0xC3, 0xC5, 0x0D, 0x0A,
            0xD6, 0xEC, 0xE9, 0x46, 0xBB, 0xF9, 0x2C, 0x94, 0x39, 0xFC, 0x36, 0x0D, 0x0A,
        ]
        #expect(bytes == expected)
        // And the reader detects it and gets the text back.
        let t = try SpreadsheetReader.read(data: Data(bytes), source: "g.csv")
        #expect(t.format == .csv(.gb18030))
        #expect(cells(t) == [["姓名", "部门"], ["朱镕基", "😀"]])
    }

    @Test func unrepresentableCharacterNamesRowAndColumn() throws {
        // GB18030 covers all of Unicode, so exercise the error path with plain GBK.
        let sink = MemorySink()
        let w = try CSVWriter(
            sink: sink, encoding: .gb18030, neutralizeFormulas: true, timeZone: shanghai,
            destinationName: "out.csv", gb18030Charset: "GBK")
        try w.writeRow(["a", "b"])
        do {
            try w.writeRow(["张三", "😀"])
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .unrepresentableCharacter)
            #expect(e.line == 2)
            #expect(e.column == 2)
            #expect(e.english.contains("U+1F600"))
            #expect(e.description.hasPrefix("out.csv:2:2: error:"))
        }
    }

    @Test func roundTripThroughTheReader() throws {
        let tricky = [
            "王,五", "\"引号\"", "多\r\n行", "=cmd|' /C calc'!A0", "  spaces  ", "尾逗号,", "", "@x", "Tab\there", "😀 emoji", "عربي",
        ]
        var rows: [[CellValue]] = [["n", "v"]]
        for (i, s) in tricky.enumerated() { rows.append([.integer(i), .text(s)]) }
        for encoding in [CSVWriter.Encoding.utf8(bom: true), .utf8(bom: false), .gb18030] {
            let t = try SpreadsheetReader.read(data: Data(try render(rows, encoding: encoding)), source: "rt.csv")
            #expect(t.rows.count == rows.count)
            for (i, s) in tricky.enumerated() {
                let expected = CSVWriter.neutralized(s)
                #expect(t.rows[i + 1].cells == [String(i), expected], "\(encoding) \(s)")
            }
        }
    }

    @Test func pythonCSVModuleReadsOurOutput() throws {
        guard let py = python3() else { return }
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("out.csv")
        try AtomicFileWriter.write(to: url) { out in
            let w = try CSVWriter(sink: out, timeZone: shanghai)
            try w.writeRow(["执法证号", "姓名", "备注"])
            try w.writeRow(["001", "王,五", "第一行\n第二行 \"引\""])
            try w.finish()
        }
        let script = "import csv,sys,json;print(json.dumps(list(csv.reader(open(sys.argv[1],encoding='utf-8-sig',newline='')))))"
        let (rc, out, err) = try run(py, ["-c", script, url.path])
        #expect(rc == 0, "\(err)")
        let parsed = try JSONDecoder().decode([[String]].self, from: Data(out.utf8))
        #expect(parsed == [["执法证号", "姓名", "备注"], ["001", "王,五", "第一行\n第二行 \"引\""]])
    }
}
