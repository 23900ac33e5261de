import CourseLoading
import Courseware
import XCTest
import XMLSupport

/// One test per lint diagnostic: the marker ⟦code⟧ sits where the diagnostic must point.
final class DiagnosticTests: XCTestCase {
    let bank = "QuestionBank/bank.xml"
    let bp = "QuestionBank/blueprint.xml"
    let course = "Courses/course.xml"
    let cs = "Courses/cases/cs1.xml"
    let prov = "Courses/provisions.xml"

    func testValidFixturesAreClean() {
        let loaded = assertLint([:])
        XCTAssertEqual(loaded.files.count, 5)
        XCTAssertEqual(loaded.content.allQuestions.count, 6)
        XCTAssertEqual(loaded.content.blueprints.first?.multipleChoice, .partial(fraction: 0.5))
        XCTAssertEqual(loaded.content.caseStudies.first?.polarity, .negative)
        guard case .fillIn(let f)? = loaded.content.banks.first?.questions.last?.body else { return XCTFail("fill-in") }
        XCTAssertEqual(f.displayStem, "721工作法中，（ 1 ）的问题用服务手段解决。")
        XCTAssertEqual(f.blanks.first?.accepted, ["70%", "百分之七十"])
    }

    func testFillInStemFormattingAroundBlanks() throws {
        let loaded = assertLint([
            bank: [
                (
                    "<stem>721工作法中，<blank><accept>70%</accept><accept>百分之七十</accept></blank>的问题用服务手段解决。</stem>",
                    "<stem>\n      721工作法中，\n      <blank><accept> 70% </accept><accept>百分之七十</accept></blank>\n      的问题用服务\n      手段解决。 A <blank><accept>x</accept></blank> B\n    </stem>"
                )
            ]
        ])
        guard case .fillIn(let f)? = loaded.content.banks.first?.questions.last?.body else { return XCTFail("fill-in") }
        XCTAssertEqual(f.displayStem, "721工作法中，（ 1 ）的问题用服务手段解决。 A （ 2 ） B")
        XCTAssertEqual(f.blanks.first?.accepted, ["70%", "百分之七十"])
    }

    func testXSDErrorHasElementPosition() {
        assertLint([
            bank: [
                (
                    #"  <true-false id="tf1" topic="纪律" difficulty="1""#,
                    #"  ⟦xsd-invalid⟧<true-false id="tf1" topic="纪律" difficulty="5""#
                )
            ]
        ])
    }

    func testDuplicateID() {
        assertLint([bank: [(#"  <true-false id="tf1""#, #"  ⟦duplicate-id⟧<true-false id="l1""#)]])
    }

    func testDuplicateSubQuestionID() {
        // Reported at the later occurrence (the bank), naming the first (the case study's sub-question).
        let loaded = assertLint([
            cs: [(#"<single-choice id="ca1.b""#, #"<single-choice id="sc1""#)],
            bank: [(#"  <single-choice id="sc1""#, #"  ⟦duplicate-id⟧<single-choice id="sc1""#)],
        ])
        XCTAssertTrue(loaded.diagnostics.first?.message.en.contains("Courses/cases/cs1.xml:14:7") == true)
    }

    func testUnknownProvision() {
        assertLint([
            bank: [
                (
                    #"    <cite provision="p2"/>\#n    <explanation>解析</explanation>\#n  </fill-in>"#,
                    #"    ⟦unknown-provision⟧<cite provision="p9"/>\#n    <cite provision="p2"/>\#n    <explanation>解析</explanation>\#n  </fill-in>"#
                )
            ]
        ])
    }

    func testUnknownProvisionInCaseFinding() {
        assertLint([cs: [(#"<analysis><finding provision="p1""#, #"<analysis>⟦unknown-provision⟧<finding provision="zz""#)]])
    }

    func testUnknownProvisionSet() {
        assertLint([
            course: [(#"<course "#, #"⟦unknown-provision-set⟧<course "#), (#"provisions="notice""#, #"provisions="nope""#)]
        ])
    }

    func testUnknownCaseStudy() {
        assertLint([
            course: [(#"<case-study ref="cs1"/>"#, #"<case-study ref="cs1"/>⟦unknown-case-study⟧<case-study ref="cs9"/>"#)]
        ])
    }

    func testDuplicateCaseStudyRef() {
        assertLint([
            course: [(#"<case-study ref="cs1"/>"#, #"<case-study ref="cs1"/>⟦duplicate-case-study-ref⟧<case-study ref="cs1"/>"#)]
        ])
    }

    func testUnknownCourse() {
        assertLint([bp: [("<exam-blueprint ", "⟦unknown-course⟧<exam-blueprint "), (#"course="c1""#, #"course="c9""#)]])
    }

    func testUnknownBank() {
        assertLint([bp: [(#"<pool><bank ref="b1"/></pool>"#, #"<pool><bank ref="b1"/>⟦unknown-bank⟧<bank ref="b7"/></pool>"#)]])
    }

    func testSingleChoiceTwoCorrect() {
        assertLint([
            bank: [
                (#"  <single-choice id="sc1""#, #"  ⟦single-choice-correct-count⟧<single-choice id="sc1""#),
                ("<option>出示证件</option>", #"<option correct="true">出示证件</option>"#),
            ]
        ])
    }

    func testSingleChoiceNoCorrect() {
        assertLint([
            bank: [
                (#"  <single-choice id="sc1""#, #"  ⟦single-choice-correct-count⟧<single-choice id="sc1""#),
                (#"<option correct="true">吃、拿、卡、要</option>"#, "<option>吃、拿、卡、要</option>"),
            ]
        ])
    }

    func testMultipleChoiceTooFewCorrect() {
        assertLint([
            bank: [
                (#"  <multiple-choice id="mc1""#, #"  ⟦multiple-choice-too-few-correct⟧<multiple-choice id="mc1""#),
                (#"<option correct="true">乙</option>\#n    <option>丙</option>"#, "<option>乙</option>\n    <option>丙</option>"),
            ]
        ])
    }

    func testMultipleChoiceNoWrongOption() {
        assertLint([
            bank: [
                (#"  <multiple-choice id="mc1""#, #"  ⟦multiple-choice-no-wrong-option⟧<multiple-choice id="mc1""#),
                ("<option>丙</option>", #"<option correct="1">丙</option>"#),
            ]
        ])
    }

    func testBlankWithoutAnswer() {
        assertLint([bank: [("的问题用服务", "的⟦blank-without-answer⟧<blank/>问题用服务")]])
    }

    func testDuplicateOptionAfterWhitespaceNormalisation() {
        assertLint([bank: [("<option>出示证件</option>", "<option>出示证件</option>\n    ⟦duplicate-option⟧<option>  出示证件\n  </option>")]]
        )
    }

    func testUnfixedSummaryOption() {
        assertLint([bank: [(#"<option fixed="true">以上都对</option>"#, #"⟦unfixed-summary-option⟧<option>以上都对</option>"#)]])
        // Fine when the question keeps its order.
        assertLint([
            bank: [
                (#"<option fixed="true">以上都对</option>"#, #"<option>以上都对</option>"#),
                (
                    #"<single-choice id="sc2" topic="方式" difficulty="2">"#,
                    #"<single-choice id="sc2" topic="方式" difficulty="2" shuffle="false">"#
                ),
            ]
        ])
    }

    /// Thousands of options (the schema allows 8, but such a file is still linted): every
    /// duplicate is named against its first occurrence, compared byte for byte — and the check
    /// costs one dictionary lookup per option (it was pairwise, quadratic: issue 9 §5).
    func testDuplicateOptionsAmongThousands() {
        var options = (1...3000).map { "<option>选项\($0)</option>" }
        options[2999] = "<option>选项5</option>"
        options[1499] = "<option>选项5</option>"
        options[0] = "<option correct=\"true\">caf\u{E9}</option>"
        options[1] = "<option correct=\"true\">cafe\u{301}</option>"  // canonically equal, different bytes
        let bank = """
            <?xml version="1.0" encoding="UTF-8"?>
            <question-bank id="b" title="b"><multiple-choice id="q" topic="t" difficulty="1"><stem>多</stem>
            \(options.joined(separator: "\n"))
            <cite provision="p1"/><explanation>e</explanation></multiple-choice></question-bank>
            """
        let loaded = ContentLoader.load(documents: [("bank.xml", Array(bank.utf8))])
        let dups = loaded.diagnostics.filter { $0.code == "duplicate-option" }.map(\.message.en)
        XCTAssertEqual(
            dups,
            [
                "option 1500 of question \"q\" repeats option 5: \"选项5\"",
                "option 3000 of question \"q\" repeats option 5: \"选项5\"",
            ])
        XCTAssertTrue(loaded.diagnostics.contains { $0.code == "xsd-invalid" }, "the schema still says 8 at most")
    }

    func testDuplicateOptionInCaseSubQuestion() {
        assertLint([cs: [("<option>甲</option>", "<option>甲</option>⟦duplicate-option⟧<option>甲</option>")]])
    }

    func testSectionUnfillable() {
        assertLint([
            bp: [
                (
                    #"<draw count="2" type="single-choice" points="2"/>"#,
                    #"⟦section-unfillable⟧<draw count="3" type="single-choice" points="2"/>"#
                ),
                (#"total="10""#, #"total="12""#),
            ]
        ])
    }

    func testSectionUnfillableByTopicAndDifficulty() {
        assertLint([
            bp: [
                (
                    #"<draw count="1" type="true-false" points="2"/>"#,
                    #"⟦section-unfillable⟧<draw count="1" topic="纪律" difficulty="3" points="2"/>"#
                )
            ]
        ])
    }

    func testDrawsCompeteForTheSameQuestions() {
        // Each draw alone can be filled (2 single-choice; 1 of topic 纪律) but not all three together.
        assertLint([
            bp: [
                (
                    #"<draw count="1" type="true-false" points="2"/>"#,
                    #"⟦draws-compete⟧<draw count="1" type="single-choice" topic="纪律" points="2"/>"#
                )
            ]
        ])
    }

    func testDrawsThatCanShareAreNotFlagged() {
        // Greedy order would give sc1 to the first draw and starve the second; matching does not.
        assertLint([
            bp: [
                (
                    #"<section id="sec1" title="单选"><draw count="2" type="single-choice" points="2"/></section>"#,
                    #"<section id="sec1" title="单选"><draw count="1" type="single-choice" points="2"/><draw count="1" topic="纪律" difficulty="1" points="2"/></section>"#
                )
            ]
        ])
    }

    func testNoFreshPaperForEveryAttempt() {
        assertLint([
            bp: [
                (#"<attempts max="1""#, #"<attempts max="2""#),
                (#"<draw count="2" type="single-choice""#, #"⟦no-fresh-paper⟧<draw count="2" type="single-choice""#),
            ]
        ])
    }

    func testFreshPaperCountsCaseStudyQuestions() {
        // The case study's case-analysis question joins the pool: 1 draw × 1 attempt is fine, 2 attempts is not.
        assertLint([
            bp: [
                (
                    #"<draw count="1" type="fill-in" points="2"/>"#,
                    #"<draw count="1" type="fill-in" points="1"/><draw count="1" type="case-analysis" points="1"/>"#
                )
            ]
        ])
        assertLint([
            bp: [
                (#"<attempts max="1""#, #"<attempts max="3""#),
                (#"<draw count="2" type="single-choice""#, #"⟦no-fresh-paper⟧<draw count="2" type="single-choice""#),
                // Every failing draw is reported, not only the first.
                (
                    #"<draw count="1" type="fill-in" points="2"/>"#,
                    #"⟦no-fresh-paper⟧<draw count="1" type="fill-in" points="1"/>⟦no-fresh-paper⟧<draw count="1" type="case-analysis" points="1"/>"#
                ),
            ]
        ])
    }

    func testTargetDifficultyUnreachable() {
        // The fixture pool gives exactly one paper, of mean difficulty 1.8.
        assertLint([bp: [(#"course="c1">"#, #"course="c1" target-difficulty="2">"#)]])
        assertLint([
            bp: [
                ("<exam-blueprint ", "⟦target-difficulty-unreachable⟧<exam-blueprint "),
                (#"course="c1">"#, #"course="c1" target-difficulty="3">"#),
            ]
        ])
    }

    func testCasePointsUneven() {
        // ca1 has two sub-questions of weight 1: 1 point splits into 0.5 + 0.5, 0.01 does not.
        assertLint([
            bp: [
                (
                    #"<draw count="1" type="fill-in" points="2"/>"#,
                    #"<draw count="1" type="fill-in" points="1"/><draw count="1" type="case-analysis" points="1"/>"#
                )
            ]
        ])
        assertLint([
            bp: [
                (
                    #"<draw count="1" type="fill-in" points="2"/>"#,
                    #"<draw count="1" type="fill-in" points="1.99"/>⟦case-points-uneven⟧<draw count="1" type="case-analysis" points="0.01"/>"#
                )
            ]
        ])
    }

    func testPointsTotalMismatch() {
        assertLint([bp: [("<scoring", "⟦points-total-mismatch⟧<scoring"), (#"total="10""#, #"total="100""#)]])
    }

    func testPassAboveTotal() {
        assertLint([bp: [("<scoring", "⟦pass-above-total⟧<scoring"), (#"pass="6""#, #"pass="11""#)]])
    }

    func testPartialFractionWithoutPartial() {
        assertLint([bp: [("<scoring", "⟦partial-fraction-without-partial⟧<scoring"), (#"multiple-choice="partial" "#, "")]])
    }

    func testProvisionNotTaught() {
        assertLint([
            course: [("      <cite provision=\"p2\"/>\n", "")],
            prov: [(#"    <provision id="p2""#, #"    ⟦provision-not-taught⟧<provision id="p2""#)],
        ])
    }

    func testProvisionUnderTested() {
        assertLint([
            prov: [
                (
                    "  </section>",
                    #"    ⟦provision-under-tested⟧<provision id="p3" title="条款三"><summary>摘要</summary></provision>"#
                        + "\n  </section>"
                )
            ],
            course: [(#"<cite provision="p1"/>"#, #"<cite provision="p1"/><cite provision="p3"/>"#)],
            bank: [
                (
                    #"<cite provision="p1"/>\#n    <explanation>解析</explanation>\#n  </true-false>"#,
                    #"<cite provision="p3"/>\#n    <explanation>解析</explanation>\#n  </true-false>"#
                )
            ],
        ])
    }

    func testMissingSchemaLocation() {
        assertLint([
            bp: [
                (
                    "<exam-blueprint \(Fixtures.xsi) xsi:noNamespaceSchemaLocation=\"../schemas/blueprint.xsd\"",
                    "⟦missing-schema-location⟧<exam-blueprint"
                )
            ]
        ])
    }

    func testSchemaLocationMismatch() {
        assertLint([
            bp: [
                ("<exam-blueprint ", "⟦schema-location-mismatch⟧<exam-blueprint "),
                ("schemas/blueprint.xsd", "schemas/course.xsd"),
            ]
        ])
    }

    func testUnknownDocumentKind() {
        assertLint(["QuestionBank/other.xml": [("", "<?xml version=\"1.0\"?>\n⟦unknown-document-kind⟧<quiz/>\n")]])
    }

    func testMalformedFileIsReportedAndOthersStillChecked() {
        let loaded = assertLint([
            "QuestionBank/broken.xml": [("", "<question-bank id=\"x\">\n  <oops>\n</question-bank>⟦xml-syntax⟧\n")]
        ])
        XCTAssertEqual(loaded.content.banks.count, 1)
    }

    func testEveryProblemIsCollected() {
        let loaded = assertLint([
            bank: [
                (#"  <single-choice id="sc1""#, #"  ⟦single-choice-correct-count⟧<single-choice id="sc1""#),
                ("<option>出示证件</option>", #"<option correct="true">出示证件</option>"#),
                ("的问题用服务", "的⟦blank-without-answer⟧<blank/>问题用服务"),
            ],
            bp: [("<scoring", "⟦pass-above-total⟧<scoring"), (#"pass="6""#, #"pass="11""#)],
        ])
        XCTAssertEqual(loaded.errorCount, 3)
    }
}
