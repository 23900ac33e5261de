import CourseLoading
import Courseware
import XCTest
import XMLSupport

/// The related-law provisions file, the course's `related-provisions`, `undeclared-provision` and
/// `fill-in-single-form`.
final class RelatedLawLintTests: XCTestCase {
    let bank = "QuestionBank/bank.xml"
    let course = "Courses/course.xml"
    let cs = "Courses/cases/cs1.xml"
    let law = "Courses/law.xml"

    static let lawDoc = """
        <?xml version="1.0" encoding="UTF-8"?>
        <provisions \(Fixtures.xsi) xsi:noNamespaceSchemaLocation="../schemas/provisions.xsd" id="law" title="相关法律">
          <source>某法（某年修订本）</source>
          <section id="law.s" number="法一" title="某法">
            <provision id="law.1" title="第一条"><summary>概述</summary></provision>
          </section>
        </provisions>
        """

    /// tf1 and mc1 also cite law.1, so the related provision is tested twice.
    var citesLaw: [(String, String)] {
        [
            ("<stem>判断</stem>\n    <cite provision=\"p1\"/>", "<stem>判断</stem>\n    <cite provision=\"p1\"/>\n    <cite provision=\"law.1\"/>"),
            ("<option>丙</option>\n    <cite provision=\"p1\"/>", "<option>丙</option>\n    <cite provision=\"p1\"/>\n    <cite provision=\"law.1\"/>"),
        ]
    }

    func testDeclaredRelatedLawIsClean() {
        let loaded = assertLint([
            law: [("", Self.lawDoc)],
            course: [
                (#"provisions="notice">"#, #"provisions="notice" related-provisions="law">"#),
                (#"<cite provision="p2"/>"#, #"<cite provision="p2"/><cite provision="law.1"/>"#),
            ],
            bank: citesLaw,
        ])
        XCTAssertEqual(loaded.content.courses.first?.relatedProvisionSetIDs, ["law"])
        XCTAssertEqual(loaded.content.courses.first?.declaredProvisionSetIDs, ["notice", "law"])
    }

    func testQuestionCitingUndeclaredLaw() {
        var edits = citesLaw
        edits[0].1 = "<stem>判断</stem>\n    <cite provision=\"p1\"/>\n    ⟦undeclared-provision⟧<cite provision=\"law.1\"/>"
        edits[1].1 = "<option>丙</option>\n    <cite provision=\"p1\"/>\n    ⟦undeclared-provision⟧<cite provision=\"law.1\"/>"
        let loaded = assertLint(
            [
                law: [("", Self.lawDoc)],
                course: [(#"<cite provision="p2"/>"#, #"<cite provision="p2"/>⟦undeclared-provision⟧<cite provision="law.1"/>"#)],
                bank: edits,
            ])
        let d = loaded.diagnostics.first { $0.code == "undeclared-provision" }
        XCTAssertEqual(
            d?.message.en,
            "cited provision \"law.1\" belongs to provisions document \"law\", which course \"c1\" does not declare (add law to the course's provisions or related-provisions)"
        )
    }

    func testCaseStudyFindingAndPartCitingUndeclaredLaw() {
        assertLint(
            [
                law: [("", Self.lawDoc)],
                cs: [
                    (#"<finding provision="p1""#, #"⟦undeclared-provision⟧<finding provision="law.1""#),
                    (#"<cite provision="p2"/><explanation>乙"#, #"⟦undeclared-provision⟧<cite provision="law.1"/><explanation>乙"#),
                ],
            ], alsoAllowed: ["provision-not-taught", "provision-under-tested"])
    }

    func testUnknownRelatedProvisionSet() {
        assertLint([
            course: [
                ("<course ", "⟦unknown-provision-set⟧<course "),
                (#"provisions="notice">"#, #"provisions="notice" related-provisions="nope">"#),
            ]
        ])
    }

    func testSingleLongFillInFormWarns() {
        let loaded = assertLint([
            bank: [
                (
                    "<blank><accept>70%</accept><accept>百分之七十</accept></blank>",
                    "⟦fill-in-single-form⟧<blank><accept>全过程记录制度</accept></blank>"
                )
            ]
        ])
        XCTAssertEqual(
            loaded.diagnostics.first?.message.en,
            "blank 1 of fill-in question \"fi1\" accepts a single form \"全过程记录制度\" (longer than 4 characters); list the other correct forms (<accept>) or shorten the blank"
        )
    }

    func testSingleFormOfFourCharactersOrSeveralFormsAreFine() {
        assertLint([bank: [("<blank><accept>70%</accept><accept>百分之七十</accept></blank>", "<blank><accept>有章可循</accept></blank>")]])
        assertLint([
            bank: [
                (
                    "<blank><accept>70%</accept><accept>百分之七十</accept></blank>",
                    "<blank><accept>全过程记录</accept><accept>全程记录</accept></blank>"
                )
            ]
        ])
    }

    func testSingleLongFormInCaseStudyPartWarns() {
        assertLint([
            cs: [
                (
                    #"<true-false id="ca1.a" topic="案例" difficulty="1" answer="false"><stem>对吗</stem>"#,
                    #"<fill-in id="ca1.a" topic="案例" difficulty="1"><stem>填⟦fill-in-single-form⟧<blank><accept>正反两个方面</accept></blank></stem>"#
                ),
                ("<explanation>不对</explanation></true-false>", "<explanation>不对</explanation></fill-in>"),
            ]
        ])
    }
}
