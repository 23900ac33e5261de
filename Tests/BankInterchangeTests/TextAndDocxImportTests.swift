import Courseware
import Foundation
import Spreadsheets
import TestSupport
import XCTest
import ZIPFoundation

@testable import BankInterchange

final class TextAndDocxImportTests: XCTestCase {
    static let sample = """
        一、单选题（每题 2 分）
        1、城市管理执法工作的基本遵循是（  ）。
        A、以人民为中心
        B.以罚代管
        C．以市容整洁为唯一目标
        答案：A
        解析：通知第一部分明确以人民为中心是基本遵循。
        知识点：宗旨意识

        二、多选题
        2. 通知严禁的行为有（  ）。
        A、吃拿卡要
        B、私用执法车辆
        C、耐心劝导
        答案：A、B
        解析：前两项是通知列明的严禁行为，
        劝导是通知提倡的方式。
        三、判断题
        3、协管人员可以独立作出行政处罚。（  ）
        答案：错误
        解析：协管人员不得从事具体行政执法工作。
        四、填空题
        4、通知严禁吃、拿、____、要。
        答案：卡
        解析：“吃拿卡要”。
        五、简答题
        5、谈谈你对以人民为中心的理解。
        答案：略
        """

    func lines(_ s: String) -> [NumberedTextImporter.SourceLine] {
        s.components(separatedBy: "\n").enumerated().map { .init(number: $0.offset + 1, text: $0.element) }
    }

    func testNumberedTextWithSectionHeadings() {
        let r = NumberedTextImporter.convert(lines(Self.sample), file: "paper.txt")
        XCTAssertEqual(r.issues.map(\.kind), [.skipped])
        XCTAssertEqual(r.issues.first?.line, 27)
        XCTAssertEqual(r.questions.map(\.body).map(\.kind), ["single", "multiple", "tf", "fill"])
        XCTAssertEqual(r.questions.map(\.line), [2, 11, 19, 23])
        guard case .multipleChoice(let c) = r.questions[1].body else { return XCTFail() }
        XCTAssertEqual(c.correctIndices, [0, 1])
        XCTAssertEqual(r.questions[1].explanation, "前两项是通知列明的严禁行为，劝导是通知提倡的方式。")
        guard case .singleChoice(let s) = r.questions[0].body else { return XCTFail() }
        XCTAssertEqual(s.options.map(\.text), ["以人民为中心", "以罚代管", "以市容整洁为唯一目标"])
        XCTAssertEqual(r.questions[0].topic, "宗旨意识")
    }

    func testTypeIsInferredWithoutHeadingsAndBadBlocksAreLocated() {
        let text = """
            1、甲（  ）
            A、一
            B、二
            答案：AB
            解析：两项都对。
            2、乙
            A、一
            C、三
            答案：A
            解析：x
            3、丙
            答案：H
            解析：x
            孤立的一行
            """
        let r = NumberedTextImporter.convert(lines(text), file: "t.txt")
        // 1: two letters with options → multiple choice, but every option is correct.
        // 2: option letters skip B. 3: no options and no blank: a fill-in without a blank.
        XCTAssertEqual(r.errors.map(\.line), [1, 8, 11])
        XCTAssertTrue(r.errors[1].field == "选项C")
    }

    func testWordDocumentWithAutomaticNumbering() throws {
        let paragraphs: [(String, Bool)] = [
            ("一、判断题", false), ("协管人员可以独立执法。", true), ("答案：×", false), ("解析：不可以。", false),
            ("执法全过程记录是通知的要求。", true), ("答案：√", false), ("解析：是。", false),
        ]
        let data = try Self.docx(paragraphs)
        let r = try DocxBankImporter.convert(bytes: [UInt8](data), source: "bank.docx")
        XCTAssertEqual(r.issues, [])
        XCTAssertEqual(
            r.questions.map(\.body),
            [.trueFalse(.init(stem: "协管人员可以独立执法。", answer: false)), .trueFalse(.init(stem: "执法全过程记录是通知的要求。", answer: true))])
        XCTAssertEqual(r.questions.map(\.line), [2, 5])
    }

    func testDocxThatIsNotAWordDocumentOrIsDamaged() throws {
        let archive = try Archive(accessMode: .create)
        try archive.addEntry(with: "hello.txt", type: .file, uncompressedSize: Int64(2), provider: { _, _ in Data("hi".utf8) })
        XCTAssertThrowsError(try DocxBankImporter.convert(bytes: [UInt8](archive.data!), source: "x.docx")) {
            XCTAssertTrue("\($0)".contains("word/document.xml"), "\($0)")
        }
        let good = try Self.docx([("1、a", false)])
        XCTAssertThrowsError(try DocxBankImporter.convert(bytes: [UInt8](good.prefix(good.count / 2)), source: "cut.docx")) {
            XCTAssertTrue("\($0)".contains("cut.docx"), "\($0)")
        }
    }

    /// A minimal .docx: paragraphs, those flagged with Word's automatic numbering.
    static func docx(_ paragraphs: [(String, Bool)], extraDocumentXML: String = "") throws -> Data {
        var body = ""
        for (text, numbered) in paragraphs {
            let pPr = numbered ? "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>" : ""
            body += "<w:p>\(pPr)<w:r><w:t>\(text)</w:t></w:r></w:p>"
        }
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>\(extraDocumentXML)
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
            """
        return try zip(["word/document.xml": Data(document.utf8), "[Content_Types].xml": Data("<Types/>".utf8)])
    }

    static func zip(_ parts: [String: Data]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in parts.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                provider: { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) })
        }
        return archive.data!
    }
}

extension QuestionBody {
    var kind: String {
        switch self {
        case .singleChoice: "single"
        case .multipleChoice: "multiple"
        case .trueFalse: "tf"
        case .fillIn: "fill"
        case .caseAnalysis: "case"
        }
    }
}
