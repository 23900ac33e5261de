import Courseware
import Foundation
import TestSupport
import XCTest

@testable import BankInterchange

final class MoodleImportTests: XCTestCase {
    func convert(_ questions: String) throws -> ImportReport {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n" + questions + "</quiz>\n"
        return try MoodleImporter.convert(bytes: Array(xml.utf8), file: "m.xml")
    }

    static func q(_ type: String, _ text: String, _ rest: String, feedback: String = "解析") -> String {
        """
        <question type="\(type)">
        <name><text>n</text></name>
        <questiontext format="html"><text>\(text)</text></questiontext>
        <generalfeedback format="html"><text>\(feedback)</text></generalfeedback>
        \(rest)
        </question>

        """
    }

    func testMappingOfTypesCategoriesAndFractions() throws {
        let r = try convert(
            """
            <question type="category"><category><text>$course$/top/执法纪律</text></category></question>
            """
                + Self.q(
                    "multichoice", "<![CDATA[<p>严禁的是 <b>哪些</b>？</p>]]>",
                    """
                    <single>false</single><shuffleanswers>0</shuffleanswers>
                    <answer fraction="50"><text>吃拿卡要</text></answer>
                    <answer fraction="50"><text>私用车辆</text></answer>
                    <answer fraction="-100"><text>耐心劝导</text></answer>
                    """)
                + Self.q(
                    "truefalse", "协管员可以执法。",
                    "<answer fraction=\"0\"><text>true</text></answer><answer fraction=\"100\"><text>false</text></answer>")
                + Self.q(
                    "shortanswer", "严禁吃、拿、____、要。",
                    "<answer fraction=\"100\"><text>卡</text></answer><answer fraction=\"50\"><text>刁难</text></answer>")
                + Self.q("multianswer", "甲{1:SHORTANSWER:=一~%100%壹}乙{1:SA:=二#对}丙", ""))
        XCTAssertEqual(r.questions.count, 4)
        XCTAssertEqual(r.questions.map(\.topic), ["执法纪律", "执法纪律", "执法纪律", "执法纪律"])
        guard case .multipleChoice(let c) = r.questions[0].body else { return XCTFail() }
        XCTAssertEqual(c.stem, "严禁的是 哪些？")
        XCTAssertEqual(c.correctIndices, [0, 1])
        XCTAssertFalse(c.shuffle)
        XCTAssertEqual(r.questions[1].body, .trueFalse(.init(stem: "协管员可以执法。", answer: false)))
        guard case .fillIn(let f) = r.questions[2].body, case .fillIn(let cloze) = r.questions[3].body else { return XCTFail() }
        XCTAssertEqual(f.blanks.map(\.accepted), [["卡"]])
        XCTAssertEqual(cloze.blanks.map(\.accepted), [["一", "壹"], ["二"]])
        XCTAssertEqual(cloze.stem, [.text("甲"), .blank(0), .text("乙"), .blank(1), .text("丙")])
        // The 50% short answer is reported, not silently dropped.
        XCTAssertEqual(r.issues.map(\.kind), [.warning])
        XCTAssertTrue(r.issues[0].zh.contains("刁难"))
    }

    func testOtherTypesAreSkippedWithTheirLines() throws {
        let r = try convert(
            Self.q("essay", "谈谈体会", "") + Self.q("matching", "连线", "") + Self.q("numerical", "几", "")
                + Self.q("multianswer", "{1:MULTICHOICE:=甲~乙}", "") + Self.q("truefalse", "对吗", "<answer fraction=\"100\"><text>true</text></answer>"))
        XCTAssertEqual(r.issues.map(\.kind), [.skipped, .skipped, .skipped, .skipped])
        XCTAssertEqual(r.issues.map(\.line), [3, 9, 15, 21])
        XCTAssertEqual(r.questions.count, 1)
    }

    func testBrokenClozeAndInvalidGradesGetLocatedErrors() throws {
        let r = try convert(
            Self.q("multianswer", "甲{1:SHORTANSWER:=一", "")
                + Self.q("multianswer", "甲{1:BOGUS:=一}", "")
                + Self.q("multianswer", "甲{1:SA:一}", "")
                + Self.q(
                    "multichoice", "x",
                    "<single>true</single><answer fraction=\"abc\"><text>a</text></answer><answer fraction=\"100\"><text>b</text></answer>")
                + Self.q(
                    "multichoice", "x",
                    "<single>false</single><answer fraction=\"30\"><text>a</text></answer><answer fraction=\"30\"><text>b</text></answer><answer fraction=\"0\"><text>c</text></answer>")
                + Self.q(
                    "multichoice", "x",
                    "<single>true</single><answer fraction=\"100\"><text>a</text></answer><answer fraction=\"100\"><text>b</text></answer>")
                + Self.q("truefalse", "x", "<answer fraction=\"250\"><text>true</text></answer>"))
        XCTAssertEqual(r.errors.map(\.line).count, r.errors.count)
        XCTAssertEqual(Set(r.errors.map(\.line)), [3, 9, 15, 25, 27, 33, 39, 43])  // 25, 43: the <answer> lines
        XCTAssertTrue(r.errors.allSatisfy { $0.file == "m.xml" })
        XCTAssertTrue(r.errors.first?.en.contains("cloze") ?? false)
        XCTAssertEqual(r.questions.count, 0)
    }

    func testHTMLWithScriptsIsReducedToSafePlainText() throws {
        let html = """
            <![CDATA[<script>alert('x')</script><p onclick="evil()">通知&nbsp;&ldquo;严禁&rdquo;&amp;&lt;script&gt;</p><style>p{}</style><!-- c --><img src="http://x/y.png">吗<br/>？]]>
            """
        let r = try convert(
            Self.q("truefalse", html, "<answer fraction=\"100\"><text>true</text></answer>", feedback: "<![CDATA[<SCRIPT>bad()</SCRIPT>解析]]>"))
        XCTAssertEqual(r.questions.first?.body, .trueFalse(.init(stem: "通知 “严禁”&<script> 吗 ？", answer: true)))
        XCTAssertEqual(r.questions.first?.explanation, "解析")
        // Written as bank XML, the text is escaped: no element can come out of it.
        let built = BankBuilder(bankID: "bank.m", title: "m", idStem: "m", topic: nil, provisions: []).build(r.questions)
        let xml = BankXMLFormatter.format(built.bank, schemaPath: "questionbank.xsd", header: [])
        XCTAssertTrue(xml.contains("&amp;&lt;script&gt;"))
        XCTAssertFalse(xml.contains("<script"))
    }

    func testEntitiesAndCDATAAndDoctypeRefusal() throws {
        let r = try convert(Self.q("truefalse", "A &amp; B &#x4E2D;&#25991;", "<answer fraction=\"100\"><text>false</text></answer>"))
        XCTAssertEqual(r.questions.first?.body, .trueFalse(.init(stem: "A & B 中文", answer: false)))
        let xxe = """
            <?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>
            """
        XCTAssertThrowsError(try MoodleImporter.convert(bytes: Array(xxe.utf8), file: "xxe.xml")) {
            XCTAssertTrue("\($0)".hasPrefix("xxe.xml:1:"), "\($0)")
        }
    }

    func testTruncatedFileGivesALocatedError() throws {
        let xml = "<?xml version=\"1.0\"?>\n<quiz>\n" + Self.q("truefalse", "x", "<answer fraction=\"100\"><text>true</text></answer>")
        let cut = Array(xml.utf8.prefix(xml.utf8.count - 20))
        XCTAssertThrowsError(try MoodleImporter.convert(bytes: cut, file: "cut.xml")) { e in
            XCTAssertTrue("\(e)".hasPrefix("cut.xml:"), "\(e)")
        }
    }
}
