import Courseware
import Foundation
import Spreadsheets
import TestSupport
import XCTest
import ZIPFoundation

@testable import BankInterchange

/// Every importer against hostile input: a clear error or a safe result, never a crash, a hang
/// or a partial file.
final class HostileImportTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    static let small = ReadLimits(maxFileBytes: 1 << 20, maxPartBytes: 256 << 10, maxTotalUncompressedBytes: 512 << 10)

    /// A part that inflates from a few KB to 8 MB.
    static func bomb(_ path: String) throws -> Data {
        try TextAndDocxImportTests.zip([path: Data(repeating: 0x20, count: 8 << 20)])
    }

    func testZipBombs() throws {
        let xlsx = try dir.write("bomb.xlsx", Self.bomb("xl/workbook.xml"))
        XCTAssertLessThan(try Data(contentsOf: xlsx).count, 64 << 10)
        XCTAssertThrowsError(try SpreadsheetBankImporter.read(path: xlsx.path, limits: Self.small)) {
            XCTAssertTrue("\($0)".contains("bomb.xlsx"), "\($0)")
        }
        XCTAssertThrowsError(try DocxBankImporter.convert(bytes: [UInt8](Self.bomb("word/document.xml")), source: "bomb.docx", limits: Self.small)) {
            XCTAssertTrue("\($0)".contains("zip bomb") || "\($0)".contains("压缩炸弹"), "\($0)")
        }
    }

    func testHugeCellIsARowErrorNotACrash() throws {
        let huge = String(repeating: "长", count: 100_000)
        let csv = "题型,题干,选项A,选项B,答案,解析\n单选题,\(huge),甲,乙,A,解析\n"
        let r = try SpreadsheetBankImporter.convert(try SpreadsheetReader.read(data: Data(csv.utf8), source: "h.csv"))
        XCTAssertEqual(r.errors.map { "\($0.line):\($0.field!)" }, ["2:题干"])
        let text = NumberedTextImporter.convert([.init(number: 1, text: "1、" + huge), .init(number: 2, text: "答案：对")], file: "h.txt")
        XCTAssertEqual(text.errors.map(\.line), [1])
        let moodle = "<quiz><question type=\"truefalse\"><questiontext><text>\(huge)</text></questiontext><generalfeedback><text>x</text></generalfeedback><answer fraction=\"100\"><text>true</text></answer></question></quiz>"
        XCTAssertEqual(try MoodleImporter.convert(bytes: Array(moodle.utf8), file: "h.xml").errors.count, 1)
    }

    func testWrongEncodingIsRefusedWithTheFileAndLine() throws {
        // Neither UTF-8 nor GB18030: a lone 0xFF byte on line 2.
        let bytes: [UInt8] = Array("题型,题干,答案,解析\n".utf8) + [0xFF, 0xFF, 0x2C, 0x0A]
        let csv = try dir.write("bad.csv", Data(bytes))
        XCTAssertThrowsError(try SpreadsheetBankImporter.read(path: csv.path)) {
            XCTAssertTrue("\($0)".contains("bad.csv:2"), "\($0)")
        }
        let txt = try dir.write("bad.txt", Data(bytes))
        XCTAssertThrowsError(try NumberedTextImporter.read(path: txt.path)) {
            XCTAssertTrue("\($0)".contains("bad.txt:2"), "\($0)")
        }
        let binary = try dir.write("bin.txt", Data([0x31, 0x00, 0x32]))
        XCTAssertThrowsError(try NumberedTextImporter.read(path: binary.path))
    }

    func testTruncatedWorkbook() throws {
        let good = dir.url.appendingPathComponent("good.xlsx")
        let bank = QuestionBank(
            id: "b", title: "b",
            questions: [
                Question(
                    id: "q.a", topic: "t", difficulty: 1, citations: [], explanation: "e",
                    body: .trueFalse(.init(stem: "s", answer: true)), location: importLocation)
            ], location: importLocation)
        try SpreadsheetBankExporter.export(bank, to: good)
        let data = try Data(contentsOf: good)
        let cut = try dir.write("cut.xlsx", data.prefix(data.count * 2 / 3))
        XCTAssertThrowsError(try SpreadsheetBankImporter.read(path: cut.path)) {
            XCTAssertTrue("\($0)".contains("cut.xlsx"), "\($0)")
        }
    }

    func testFormulaCellsAreNeverEvaluatedOrWrittenAsFormulas() throws {
        // CSV: a formula-looking cell is text, kept as the trainer typed it.
        let csv = "题型,题干,选项A,选项B,答案,解析\n单选题,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",=1+1,@SUM(A1),A,解析\n"
        let r = try SpreadsheetBankImporter.convert(try SpreadsheetReader.read(data: Data(csv.utf8), source: "f.csv"))
        guard case .singleChoice(let c) = r.questions.first?.body else { return XCTFail("\(r.issues)") }
        XCTAssertEqual(c.stem, "=HYPERLINK(\"http://x\",\"点我\")")
        XCTAssertEqual(c.options.map(\.text), ["=1+1", "@SUM(A1)"])
        // Exported to XLSX it stays text: no <f> element in the sheet.
        let bank = BankBuilder(bankID: "bank.f", title: "f", idStem: "f", topic: "t", provisions: []).build(r.questions).bank
        let url = dir.url.appendingPathComponent("f.xlsx")
        try SpreadsheetBankExporter.export(bank, to: url)
        let archive = try Archive(url: url, accessMode: .read)
        var sheet = Data()
        _ = try archive.extract(archive["xl/worksheets/sheet1.xml"]!) { sheet.append($0) }
        XCTAssertFalse(String(decoding: sheet, as: UTF8.self).contains("<f>"))
        // XLSX: a formula cell gives its cached value, never the formula.
        let formulaSheet = """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            <row r="1"><c r="A1" t="inlineStr"><is><t>题型</t></is></c><c r="B1" t="inlineStr"><is><t>题干</t></is></c><c r="C1" t="inlineStr"><is><t>答案</t></is></c><c r="D1" t="inlineStr"><is><t>解析</t></is></c></row>
            <row r="2"><c r="A2" t="inlineStr"><is><t>判断题</t></is></c><c r="B2" t="inlineStr"><is><t>说法</t></is></c><c r="C2" t="str"><f>IF(1,"正确","错误")</f><v>正确</v></c><c r="D2" t="inlineStr"><is><t>解析</t></is></c></row>
            </sheetData></worksheet>
            """
        let xlsx = try dir.write("formula.xlsx", try Self.workbook(sheet: formulaSheet))
        let fr = try SpreadsheetBankImporter.read(path: xlsx.path)
        XCTAssertEqual(fr.issues, [])
        XCTAssertEqual(fr.questions.first?.body, .trueFalse(.init(stem: "说法", answer: true)))
    }

    static func workbook(sheet: String) throws -> Data {
        let ct = """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
            """
        let rels = """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """
        let wb = """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let wbRels = """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>
            """
        return try TextAndDocxImportTests.zip([
            "[Content_Types].xml": Data(ct.utf8), "_rels/.rels": Data(rels.utf8), "xl/workbook.xml": Data(wb.utf8),
            "xl/_rels/workbook.xml.rels": Data(wbRels.utf8), "xl/worksheets/sheet1.xml": Data(sheet.utf8),
        ])
    }

    func testDocxWithADoctypeIsRefused() throws {
        let data = try TextAndDocxImportTests.docx([("1、a", false)], extraDocumentXML: "<!DOCTYPE x [<!ENTITY e \"boom\">]>")
        XCTAssertThrowsError(try DocxBankImporter.convert(bytes: [UInt8](data), source: "d.docx")) {
            XCTAssertTrue("\($0)".contains("DOCTYPE"), "\($0)")
        }
    }

    func testMoodleFileInAWrongEncodingIsALocatedFailure() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n<question type=\"truefalse\"><questiontext><text>".utf8)
        bytes += [0xC4, 0xE3, 0xBA, 0xC3]  // 你好 in GBK, declared as UTF-8
        bytes += Array("</text></questiontext></question></quiz>\n".utf8)
        XCTAssertThrowsError(try MoodleImporter.convert(bytes: bytes, file: "gbk.xml")) {
            XCTAssertTrue("\($0)".hasPrefix("gbk.xml:3:"), "\($0)")
        }
    }

    func testTheCommandUsesTightLimits() throws {
        // The command's limits: an 80 MB part (a few KB zipped) is refused before it is inflated.
        XCTAssertLessThanOrEqual(BankImportFormat.limits.maxPartBytes, 64 << 20)
        let big = try TextAndDocxImportTests.zip(["word/document.xml": Data(repeating: 0x20, count: 80 << 20)])
        let url = try dir.write("big.docx", big)
        XCTAssertThrowsError(try BankImportFormat.docx.read(path: url.path)) {
            XCTAssertTrue("\($0)".contains("zip bomb") || "\($0)".contains("压缩炸弹"), "\($0)")
        }
    }
}
