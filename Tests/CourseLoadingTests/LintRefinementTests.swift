import Foundation
import TestSupport
import XCTest

/// Lint that speaks to a trainer (issue 12 §5): each mistake a new trainer made, as lint now
/// reports it. Runs the built binary on the fixture content.
final class LintRefinementTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        for (path, text) in Fixtures.all { try dir.write(path, Fixtures.unmark(text).text) }
        try FileManager.default.copyItem(
            at: AcademyProcess.packageRoot.appendingPathComponent("schemas"), to: dir.url.appendingPathComponent("schemas"))
    }

    override func tearDown() { dir.remove() }

    func lint(_ args: [String] = [], lang: String = "en") throws -> AcademyProcess.Result {
        try AcademyProcess.run(["--lang", lang, "lint"] + args, cwd: dir.url)
    }

    func bank(_ edit: (String) -> String) throws {
        try dir.write("QuestionBank/bank.xml", edit(Fixtures.bank))
    }

    func lines(_ r: AcademyProcess.Result) -> [String] { r.stdout.split(separator: "\n").map(String.init).dropLast() }

    func testFullWidthOpeningQuoteIsOneErrorAtItsColumn() throws {
        try bank { $0.replacingOccurrences(of: #"topic="方式""#, with: "topic=“方式”") }
        let zh = try lint(lang: "zh-Hans")
        let out = lines(zh)
        XCTAssertTrue(out[0].hasPrefix("QuestionBank/bank.xml:"), zh.stdout)
        XCTAssertTrue(out[0].contains("error: 属性值用了全角引号““”"), out[0])
        XCTAssertEqual(out.filter { $0.hasPrefix("QuestionBank/bank.xml:") }.count, 1, zh.stdout)
        // What the other files say because the bank could not be read is marked as such.
        XCTAssertTrue(out.dropFirst().allSatisfy { $0.contains("可能因为 QuestionBank/bank.xml 无法读取") }, zh.stdout)
        let en = lines(try lint())
        XCTAssertTrue(en[0].contains("full-width quote"), en[0])
        XCTAssertTrue(en.dropFirst().allSatisfy { $0.contains("possibly because QuestionBank/bank.xml could not be read") })
    }

    func testFullWidthClosingQuoteIsReportedAtTheRightColumn() throws {
        try bank { $0.replacingOccurrences(of: #"topic="方式""#, with: "topic=\"方式”") }
        let out = lines(try lint()).filter { $0.hasPrefix("QuestionBank/bank.xml:") }
        XCTAssertEqual(out.count, 1)
        let text = Fixtures.bank.components(separatedBy: "\n")
        let lineIndex = try XCTUnwrap(text.firstIndex { $0.contains(#"topic="方式""#) })
        let column = Array(text[lineIndex]).firstIndex(of: "方")! + 3  // 方式 then the quote, 1-based
        XCTAssertTrue(out[0].hasPrefix("QuestionBank/bank.xml:\(lineIndex + 1):\(column): error:"), out[0])
    }

    func testRootCauseFirstAndFollowOnMarked() throws {
        try bank { $0.replacingOccurrences(of: #"<option correct="true">吃、拿、卡、要</option>"#, with: #"<option correct="ture">吃、拿、卡、要</option>"#) }
        let out = lines(try lint(lang: "zh-Hans"))
        XCTAssertGreaterThanOrEqual(out.count, 2)
        XCTAssertTrue(out[0].contains("correct=\"ture\" 不是布尔值：只能写 true 或 false"), out[0])
        XCTAssertTrue(out[1].contains("可能是上面 XML/XSD 错误的后果"), out[1])
    }

    func testMissingClosingTagIsOneTranslatedError() throws {
        try bank { s in
            let r = s.range(of: "</stem>")!
            return s.replacingCharacters(in: r, with: "")
        }
        let out = lines(try lint(lang: "zh-Hans")).filter { $0.hasPrefix("QuestionBank/bank.xml:") }
        XCTAssertEqual(out.count, 1, out.joined(separator: "\n"))
        XCTAssertTrue(out[0].contains("<stem> 没有闭合"), out[0])
    }

    func testDidYouMeanForAttributesElementsAndProvisions() throws {
        try bank { s in
            var s = s
            let r = s.range(of: "<cite provision=\"")!
            s.replaceSubrange(r, with: "<cite provison=\"")
            return s
        }
        let all = lines(try lint())
        // The "provision is required" follow-on is dropped; the misspelling is the one error.
        let out = all.filter { $0.contains("error:") }
        XCTAssertEqual(out.count, 1, all.joined(separator: "\n"))
        XCTAssertTrue(out[0].contains("has no attribute named provison; did you mean provision?"), out[0])
        // The column is the attribute's, not the element's.
        let text = Fixtures.bank.components(separatedBy: "\n")
        let li = try XCTUnwrap(text.firstIndex { $0.contains("<cite provision=\"") })
        let col = Array(text[li]).firstIndex(of: "p")! + 1
        XCTAssertTrue(out[0].hasPrefix("QuestionBank/bank.xml:\(li + 1):\(col):"), out[0])

        try bank { s in
            var s = s
            let r = s.range(of: "<cite provision=\"")!
            let idEnd = s[r.upperBound...].firstIndex(of: "\"")!
            let id = String(s[r.upperBound..<idEnd])
            s.replaceSubrange(r.upperBound..<idEnd, with: id + "x")
            return s
        }
        let p = lines(try lint())
        XCTAssertTrue(p.contains { $0.contains("does not exist") && $0.contains("did you mean") }, p.joined(separator: "\n"))
    }

    func testWrongSchemaPathIsReportedWithTheFix() throws {
        try bank { $0.replacingOccurrences(of: "../schemas/questionbank.xsd", with: "../../schemas/questionbank.xsd") }
        let out = lines(try lint())
        XCTAssertEqual(out.count, 1)
        XCTAssertTrue(out[0].contains("warning:") && out[0].contains("it should be \"../schemas/questionbank.xsd\""), out[0])
    }

    func testPartialLintOfCoursesChecksCoverageAgainstTheWholeSet() throws {
        let r = try lint(["--strict", "--format", "json", "Courses/"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // Outside a project (no QuestionBank/ beside it), coverage is skipped and lint says so.
        let lone = try TemporaryDirectory()
        defer { lone.remove() }
        for (path, text) in Fixtures.all where path.hasPrefix("Courses/") { try lone.write(path, Fixtures.unmark(text).text) }
        let l = try AcademyProcess.run(["lint", lone.url.appendingPathComponent("Courses").path])
        XCTAssertFalse(l.stdout.contains("under-tested") || l.stdout.contains("tested by"), l.stdout)
        XCTAssertTrue(l.stderr.contains("coverage checks"), l.stderr)
    }

    func testNoFreshPaperNamesTheLargestSupportedAttempts() throws {
        try dir.write(
            "QuestionBank/blueprint.xml",
            Fixtures.blueprint.replacingOccurrences(of: #"<attempts max="1""#, with: #"<attempts max="3""#))
        let out = lines(try lint()).filter { $0.contains("retakes will repeat") }
        XCTAssertGreaterThanOrEqual(out.count, 2, out.joined(separator: "\n"))
        XCTAssertTrue(out.allSatisfy { $0.contains("fresh papers for at most <attempts max=\"1\"/>") }, out.joined(separator: "\n"))
    }

    func testDidYouMeanForATopicNoQuestionHas() throws {
        try dir.write(
            "QuestionBank/blueprint.xml",
            Fixtures.blueprint.replacingOccurrences(
                of: #"<draw count="1" type="true-false" points="2"/>"#, with: #"<draw count="1" type="true-false" topic="记律" points="2"/>"#))
        let r = try lint()
        XCTAssertEqual(lines(r).filter { $0.contains("no question has topic \"记律\": did you mean \"纪律\"?") }.count, 1, r.stdout)
    }
}
