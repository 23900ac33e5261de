import Courseware
import Foundation
import Spreadsheets
import TestSupport
import XCTest

@testable import BankInterchange

final class BankSpreadsheetImportTests: XCTestCase {
    static let header = "题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分值,知识点"

    func importCSV(_ rows: [String], header: String = BankSpreadsheetImportTests.header, gb18030: Bool = false, bom: Bool = false)
        throws -> ImportReport
    {
        let text = ([header] + rows).joined(separator: "\r\n") + "\r\n"
        var bytes = Array(text.utf8)
        if gb18030 {
            let sink = MemorySink()
            let w = try CSVWriter(sink: sink, encoding: .gb18030, timeZone: TimeZone(identifier: "UTC")!)
            for line in [header] + rows { try w.writeRow(line.components(separatedBy: ",")) }
            try w.finish()
            bytes = sink.bytes
            XCTAssertNotEqual(bytes, Array(text.utf8))
        }
        if bom { bytes = [0xEF, 0xBB, 0xBF] + bytes }
        let table = try SpreadsheetReader.read(data: Data(bytes), source: "bank.csv")
        return try SpreadsheetBankImporter.convert(table)
    }

    func testEveryAnswerSpellingOfChoiceQuestions() throws {
        for answer in ["ABD", "A,B,D", "A、B、D", "A B D", "ＡＢＤ", "abd", "A，B，D"] {
            let r = try importCSV(["多选题,题干？,甲,乙,丙,丁,\"\(answer)\",解析,中,2,规范执法"])
            XCTAssertEqual(r.issues, [], answer)
            guard case .multipleChoice(let c) = r.questions.first?.body else { return XCTFail(answer) }
            XCTAssertEqual(c.correctIndices, [0, 1, 3], answer)
        }
    }

    func testEveryTrueFalseSpelling() throws {
        for (answer, value) in [("正确", true), ("错误", false), ("对", true), ("错", false), ("√", true), ("×", false), ("T", true),
            ("F", false), ("Ｔ", true)]
        {
            let r = try importCSV(["判断题,说法,,,,,\(answer),解析,,,"])
            XCTAssertEqual(r.issues, [], answer)
            XCTAssertEqual(r.questions.first?.body, .trueFalse(TrueFalseQuestion(stem: "说法", answer: value)), answer)
        }
    }

    func testFillInSeparatorsAndAlternatives() throws {
        let r = try importCSV([
            "填空题,严禁吃、拿、（  ）、要。,,,,,卡,解析,,,",
            "填空题,协管人员不得从事具体____工作。,,,,,行政执法|执法,解析,,,",
            "填空题,甲（ ）乙（ ）丙,,,,,一###二|贰,解析,,,",
            "填空题,甲（ ）乙（ ）丙,,,,,一；二,解析,,,",
            "填空题,甲（ ）乙（ ）丙,,,,,一|二,解析,,,",
        ])
        XCTAssertEqual(r.issues, [])
        let blanks = r.questions.map { q -> [[String]] in
            guard case .fillIn(let f) = q.body else { return [] }
            return f.blanks.map(\.accepted)
        }
        XCTAssertEqual(blanks, [[["卡"]], [["行政执法", "执法"]], [["一"], ["二", "贰"]], [["一"], ["二"]], [["一"], ["二"]]])
    }

    func testBadRowsAreAllNamedWithRowColumnAndReason() throws {
        let r = try importCSV([
            "单选题,题干,甲,乙,,,E,解析,,,",  // row 2: option E does not exist
            "",  // blank rows are ignored
            "多选题,题干,甲,乙,丙,,A,解析,,,",  // row 4: one correct answer
            "判断题,说法,,,,,也许,解析,,,",  // row 5
            "单选题,题干,甲,,丙,,A,解析,,,",  // row 6: gap in options
            "单选提,题干,甲,乙,,,A,解析,,,",  // row 7: unknown type
            "填空题,没有空位,,,,,答案,解析,,,",  // row 8
            "单选题,题干,甲,乙,,,A,,,,",  // row 9: no explanation
            "单选题,题干,甲,乙,,,A,解析,极难,,",  // row 10: difficulty
        ])
        let located = r.errors.map { "\($0.file):\($0.line):\($0.field ?? "-")" }
        XCTAssertEqual(
            located,
            ["bank.csv:2:答案", "bank.csv:4:答案", "bank.csv:5:答案", "bank.csv:6:选项B", "bank.csv:7:题型", "bank.csv:8:题干",
                "bank.csv:9:解析", "bank.csv:10:难度"])
        XCTAssertTrue(r.errors[0].en.contains("names option E"), r.errors[0].en)
        XCTAssertTrue(r.errors[0].description.hasPrefix("bank.csv:2: "))
        XCTAssertEqual(r.questions.count, 0)
    }

    func testUnsupportedTypesAreListedAsSkippedWithRowNumbers() throws {
        let r = try importCSV(["简答题,谈谈体会,,,,,略,略,,,", "论述题,论述,,,,,略,略,,,", "判断题,说法,,,,,对,解析,,,"])
        XCTAssertEqual(r.issues.map(\.kind), [.skipped, .skipped])
        XCTAssertEqual(r.issues.map(\.line), [2, 3])
        XCTAssertEqual(r.questions.count, 1)
    }

    func testGB18030AndBOMAndHeaderAliasesAndTitleRow() throws {
        let rows = ["单选题,人民是城市的（  ）。,主人,对象,,,A,解析,易,2,宗旨意识"]
        let gb = try importCSV(rows, gb18030: true)
        XCTAssertEqual(gb.issues, [])
        XCTAssertEqual(gb.questions.first?.difficulty, 1)
        XCTAssertEqual(gb.questions.first?.topic, "宗旨意识")
        let bom = try importCSV(rows, bom: true)
        XCTAssertEqual(bom.questions.map { $0.body }, gb.questions.map { $0.body })
        let aliases = try importCSV(
            ["说明：请按模板填写,,,,,,,,,,", "题型,试题内容,选项A,选项B,选项C,选项D,正确答案,答案解析,难度,分值,条款"] + rows,
            header: "某平台题库导入模板,,,,,,,,,,")
        XCTAssertEqual(aliases.issues, [])
        XCTAssertEqual(aliases.questions.first?.provisionLabels, ["宗旨意识"])
    }

    func testMissingHeaderIsAFailureNamingTheFile() {
        XCTAssertThrowsError(try importCSV(["a,b"], header: "x,y")) { e in
            XCTAssertTrue("\(e)".contains("bank.csv"), "\(e)")
        }
    }

    func testProvisionsMatchByIdOrTitleAndUnmatchedCiteTodoWithAWarning() throws {
        let ps = ProvisionSet(
            id: "notice", title: "t",
            sections: [
                ProvisionSection(
                    id: "s1", number: "一", title: "以人民为中心",
                    provisions: [Provision(id: "s1.people", title: "以人民为中心的发展思想", summary: "", location: importLocation)],
                    location: importLocation)
            ], location: importLocation)
        let r = try importCSV([
            "判断题,说法一,,,,,对,解析,,,s1.people", "判断题,说法二,,,,,对,解析,,,以人民为中心 的发展思想",
            "判断题,说法三,,,,,对,解析,,,宗旨意识",
        ])
        let built = BankBuilder(bankID: "bank.t", title: "T", idStem: "t", topic: nil, provisions: [ps]).build(r.questions)
        XCTAssertEqual(built.bank.questions.map { $0.citations.map(\.provisionID) }, [["s1.people"], ["s1.people"], ["todo"]])
        XCTAssertEqual(built.bank.questions.map(\.id), ["q.t.001", "q.t.002", "q.t.003"])
        XCTAssertEqual(built.bank.questions[2].topic, "宗旨意识")
        XCTAssertEqual(built.issues.map(\.line), [4])
        XCTAssertEqual(built.unmatched["q.t.003"], ["宗旨意识"])
    }
}
