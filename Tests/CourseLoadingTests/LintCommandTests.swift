import Foundation
import TestSupport
import XCTest

/// Runs the built `academy` binary (swift build first) on fixture content in a temp directory.
final class LintCommandTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        for (path, text) in Fixtures.all { try dir.write(path, Fixtures.unmark(text).text) }
        // The fixtures' xsi:noNamespaceSchemaLocation="../schemas/…" must lead to the schemas.
        try FileManager.default.copyItem(
            at: AcademyProcess.packageRoot.appendingPathComponent("schemas"), to: dir.url.appendingPathComponent("schemas"))
    }

    override func tearDown() { dir.remove() }

    func testCleanContentExitsZeroWithSummary() throws {
        let r = try AcademyProcess.run(["lint"], cwd: dir.url)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "checked 5 files: 0 errors, 0 warnings\n")
        let strict = try AcademyProcess.run(["lint", "--strict", "Courses", "QuestionBank"], cwd: dir.url)
        XCTAssertEqual(strict.status, 0, strict.stdout)
    }

    func testChineseByDefault() throws {
        let r = try AcademyProcess.run(["lint"], cwd: dir.url, env: ["ACADEMY_LANG": nil, "LANG": "zh_CN.UTF-8", "LC_ALL": nil])
        XCTAssertEqual(r.stdout, "已检查 5 个文件：0 个错误，0 个警告\n")
        let en = try AcademyProcess.run(["--lang", "en", "lint"], cwd: dir.url, env: ["LANG": "zh_CN.UTF-8"])
        XCTAssertEqual(en.stdout, "checked 5 files: 0 errors, 0 warnings\n")
        let zh = try AcademyProcess.run(["lint", "--lang=zh-Hans"], cwd: dir.url)
        XCTAssertEqual(zh.stdout, "已检查 5 个文件：0 个错误，0 个警告\n")
    }

    func testErrorsArePrintedOnePerLineAndExitOne() throws {
        try dir.write(
            "QuestionBank/bank.xml",
            Fixtures.bank
                .replacingOccurrences(of: "<option>出示证件</option>", with: #"<option correct="true">出示证件</option>"#)
                .replacingOccurrences(of: #"difficulty="3""#, with: #"difficulty="4""#))
        let r = try AcademyProcess.run(["lint"], cwd: dir.url)
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, r.stdout)
        // Root causes first: the schema error, then the file's other errors marked as possible follow-ons.
        XCTAssertTrue(
            lines[0].hasPrefix("QuestionBank/bank.xml:32:3: error: schema: Element 'fill-in', attribute 'difficulty'"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("QuestionBank/bank.xml:3:3: error: single-choice question \"sc1\""), lines[1])
        XCTAssertTrue(lines[1].hasSuffix("(possibly a consequence of the XML/XSD errors above: fix those first)"), lines[1])
        XCTAssertEqual(lines[2], "checked 5 files: 2 errors, 0 warnings")
    }

    func testWarningsFailOnlyWithStrict() throws {
        try dir.write(
            "QuestionBank/blueprint.xml",
            Fixtures.blueprint.replacingOccurrences(of: #"<attempts max="1""#, with: #"<attempts max="2""#))
        let r = try AcademyProcess.run(["lint"], cwd: dir.url)
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("warning: 2 attempts"), r.stdout)
        XCTAssertEqual(try AcademyProcess.run(["lint", "--strict"], cwd: dir.url).status, 1)
    }

    func testJSONFormat() throws {
        try dir.write(
            "QuestionBank/blueprint.xml", Fixtures.blueprint.replacingOccurrences(of: #"pass="6""#, with: #"pass="60""#))
        let r = try AcademyProcess.run(["lint", "--format", "json"], cwd: dir.url)
        XCTAssertEqual(r.status, 1)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: r.stdoutData) as? [String: Any])
        XCTAssertEqual(obj["errors"] as? Int, 1)
        XCTAssertEqual(obj["warnings"] as? Int, 0)
        XCTAssertEqual((obj["files"] as? [String])?.count, 5)
        let d = try XCTUnwrap((obj["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(d["code"] as? String, "pass-above-total")
        XCTAssertEqual(d["file"] as? String, "QuestionBank/blueprint.xml")
        XCTAssertEqual(d["line"] as? Int, 4)
        XCTAssertEqual(d["column"] as? Int, 3)
        XCTAssertEqual(d["severity"] as? String, "error")
    }

    func testSingleFileAndDirectoryArguments() throws {
        let r = try AcademyProcess.run(
            ["lint", "QuestionBank/bank.xml", dir.url.appendingPathComponent("Courses").path], cwd: dir.url)
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("checked 4 files: 0 errors, 0 warnings\n"), r.stdout)
    }

    func testUsageErrorsExitTwo() throws {
        let bad = try AcademyProcess.run(["lint", "--bogus"], cwd: dir.url)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--bogus"), bad.stderr)
        XCTAssertEqual(try AcademyProcess.run(["lint", "--format", "yaml"], cwd: dir.url).status, 2)
        let missing = try AcademyProcess.run(["lint", "no-such-dir"], cwd: dir.url)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no-such-dir"), missing.stderr)
        XCTAssertEqual(try AcademyProcess.run(["--lang", "fr", "lint"], cwd: dir.url).status, 2)
        let empty = try TemporaryDirectory()
        defer { empty.remove() }
        XCTAssertEqual(try AcademyProcess.run(["lint"], cwd: empty.url).status, 2)
    }

    func testHostileFileThroughTheCLI() throws {
        let secret = "SECRET-\(UUID().uuidString)"
        let secretFile = try dir.write("secret.txt", secret)
        try dir.write(
            "QuestionBank/evil.xml",
            """
            <?xml version="1.0"?>
            <!DOCTYPE question-bank [ <!ENTITY x SYSTEM "file://\(secretFile.path)"> ]>
            <question-bank id="evil" title="&x;"/>
            """)
        let r = try AcademyProcess.run(["lint", "--format", "json"], cwd: dir.url)
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse(r.stdout.contains(secret))
        XCTAssertFalse(r.stderr.contains(secret))
        XCTAssertTrue(r.stdout.contains("xml-doctype"))
    }

    func testContentFromEnvironment() throws {
        let content = dir.url.appendingPathComponent("Courses").path + ":" + dir.url.appendingPathComponent("QuestionBank").path
        let r = try AcademyProcess.run(["lint"], cwd: URL(fileURLWithPath: "/"), env: ["ACADEMY_CONTENT": content])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "checked 5 files: 0 errors, 0 warnings\n")
    }

    func testHugeFileIsRefusedQuickly() throws {
        let f = try dir.write("QuestionBank/huge.xml", "")
        XCTAssertEqual(truncate(f.path, 300 * 1024 * 1024), 0)
        let started = Date()
        let r = try AcademyProcess.run(["lint", "QuestionBank"], cwd: dir.url)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("QuestionBank/huge.xml:1:1: error: file too large (300.0 MB"), r.stdout)
    }

    func testCourseListAndShow() throws {
        let list = try AcademyProcess.run(["course", "list"], cwd: dir.url)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("c1  课程"), list.stdout)
        let show = try AcademyProcess.run(["course", "show", "c1"], cwd: dir.url, env: ["ACADEMY_LANG": "zh-Hans"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("模块 1：模块一  [m1]"), show.stdout)
        XCTAssertTrue(show.stdout.contains("课时  课时一  [l1]  20 分钟"), show.stdout)
        XCTAssertTrue(show.stdout.contains("案例  案例  [cs1]  反面典型"), show.stdout)
        // p1: sc1, mc1, tf1, ca1.a; p2: sc2, mc1, fi1, ca1.b
        XCTAssertTrue(show.stdout.contains("p1  条款一  4 道"), show.stdout)
        XCTAssertTrue(show.stdout.contains("p2  条款二  4 道"), show.stdout)
        let missing = try AcademyProcess.run(["course", "show", "nope"], cwd: dir.url)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("c1"))
        let other = try AcademyProcess.run(["course", "list", "--content", dir.url.path], cwd: URL(fileURLWithPath: "/"))
        XCTAssertEqual(other.status, 0, other.stderr)
    }

    /// A course that declares related law shows it, with its own per-provision counts.
    func testCourseShowListsRelatedLaw() throws {
        try dir.write("Courses/law.xml", RelatedLawLintTests.lawDoc)
        try dir.write(
            "Courses/course.xml",
            Fixtures.course.replacingOccurrences(of: #"provisions="notice">"#, with: #"provisions="notice" related-provisions="law">"#)
                .replacingOccurrences(of: #"<cite provision="p2"/>"#, with: #"<cite provision="p2"/><cite provision="law.1"/>"#))
        try dir.write(
            "QuestionBank/bank.xml",
            Fixtures.bank.replacingOccurrences(
                of: "<stem>判断</stem>\n    <cite provision=\"p1\"/>",
                with: "<stem>判断</stem>\n    <cite provision=\"p1\"/>\n    <cite provision=\"law.1\"/>"))
        let show = try AcademyProcess.run(["course", "show", "c1"], cwd: dir.url, env: ["ACADEMY_LANG": "zh-Hans"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("相关法律：相关法律\n"), show.stdout)
        XCTAssertTrue(show.stdout.contains("各条款题目数（notice）："), show.stdout)
        XCTAssertTrue(show.stdout.contains("各条款题目数（law）：\n  法一 某法  [law.s]\n    law.1  第一条  1 道"), show.stdout)
        // Undeclared, the same citations are lint errors.
        try dir.write("Courses/course.xml", Fixtures.course.replacingOccurrences(of: #"<cite provision="p2"/>"#, with: #"<cite provision="p2"/><cite provision="law.1"/>"#))
        let lint = try AcademyProcess.run(["lint"], cwd: dir.url)
        XCTAssertEqual(lint.status, 1, lint.stdout)
        XCTAssertTrue(lint.stdout.contains("Courses/course.xml:7:29: error: cited provision \"law.1\" belongs to provisions document \"law\""), lint.stdout)
    }
}
