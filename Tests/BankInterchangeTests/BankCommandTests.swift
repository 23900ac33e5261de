import CourseLoading
import Courseware
import Foundation
import TestSupport
import XCTest

/// `academy bank import|export` as a trainer runs them, and the Moodle export read back by an
/// independent parser from PyPI (moodle-xml-parser, via scripts/check-moodle-xml.py).
final class BankCommandTests: XCTestCase {
    let root = AcademyProcess.packageRoot
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    static let good = """
        题型,题干,选项A,选项B,选项C,选项D,答案,解析,难度,分值,知识点,条款
        单选题,通知要求城市管理执法以什么为中心？,以人民为中心,以罚款为中心,,,A,通知第一部分。,易,2,宗旨意识,s1.people-centred
        多选题,通知严禁的有（  ）。,吃拿卡要,私用执法车辆,耐心劝导,,"A、B",通知第三部分。,中,2,执法纪律,s3.ban.eat-take
        判断题,协管人员可以独立执法。,,,,,×,协管人员不得从事具体行政执法工作。,难,1,执法纪律,s3.ban.eat-take
        简答题,谈谈体会,,,,,略,略,,,,
        """

    func testImportWritesABankThatPassesStrictLint() throws {
        let src = try dir.write("新题.csv", Self.good)
        let out = dir.url.appendingPathComponent("QuestionBank/trainer.xml")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("schemas"), to: dir.url.appendingPathComponent("schemas"))
        let provisions = root.appendingPathComponent("Courses/notice-2018/provisions.xml").path
        let r = try AcademyProcess.run(["bank", "import", src.path, "-o", out.path, "--provisions", provisions])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("新题.csv:5: column 题型: skipped"), r.stderr)
        let xml = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(xml.contains("xsi:noNamespaceSchemaLocation=\"../schemas/questionbank.xsd\""))
        XCTAssertTrue(xml.contains("<single-choice id=\"q.trainer.001\" topic=\"宗旨意识\" difficulty=\"1\">"), xml)
        let lint = try AcademyProcess.run(
            ["lint", "--strict", root.appendingPathComponent("Courses").path, root.appendingPathComponent("QuestionBank").path, out.path])
        XCTAssertEqual(lint.status, 0, lint.stdout)
        // A second run refuses to replace the bank without --force.
        let again = try AcademyProcess.run(["bank", "import", src.path, "-o", out.path, "--provisions", provisions])
        XCTAssertEqual(again.status, 1)
    }

    func testOneBadRowMeansNothingIsWrittenAndEveryBadRowIsNamed() throws {
        let bad = Self.good.replacingOccurrences(of: ",A,通知第一部分。", with: ",E,通知第一部分。")
            .replacingOccurrences(of: "\"A、B\"", with: "A")
        let src = try dir.write("bad.csv", bad)
        let out = dir.url.appendingPathComponent("out.xml")
        let r = try AcademyProcess.run(["bank", "import", src.path, "-o", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("bad.csv:2: column 答案: error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.csv:3: column 答案: error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was written"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted(), ["bad.csv"])
    }

    func testDryRunPrintsTheBankAndWritesNothing() throws {
        let src = try dir.write("a.csv", Self.good)
        let out = dir.url.appendingPathComponent("a.xml")
        let r = try AcademyProcess.run(["bank", "import", src.path, "-o", out.path, "--dry-run", "--topic", "测试"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("<?xml"))
        XCTAssertTrue(r.stdout.contains("topic=\"测试\""))
        XCTAssertTrue(r.stdout.contains("<cite provision=\"todo\"/>"), "no --provisions: every question cites todo")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testMoodleExportIsReadByAnIndependentParser() throws {
        let out = dir.url.appendingPathComponent("all.moodle.xml")
        let r = try AcademyProcess.run(["bank", "export", root.appendingPathComponent("QuestionBank").path, "--format", "moodle-xml", "-o", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root.appendingPathComponent("scripts/check-moodle-xml.py").path, out.path]
        let pipe = Pipe(), errPipe = Pipe()
        p.standardOutput = pipe
        p.standardError = errPipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // A missing parser is a failure (scripts/install-deps.sh --test installs it), not a skip.
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: err, as: UTF8.self))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let parsed = try XCTUnwrap(summary["questions"] as? [String: [String: Any]])
        let loaded = try ContentLoader.load(paths: [root.appendingPathComponent("QuestionBank").path])
        let questions = loaded.content.banks.flatMap(\.questions)
        XCTAssertEqual(parsed.count, questions.count)
        // A category question wherever the topic changes.
        let changes = zip([""] + questions.map(\.topic), questions.map(\.topic)).filter { $0 != $1 }.count
        XCTAssertEqual(summary["categories"] as? Int, changes)
        for q in questions {
            let got = try XCTUnwrap(parsed[q.id], q.id)
            switch q.body {
            case .singleChoice(let c), .multipleChoice(let c):
                XCTAssertEqual(got["type"] as? String, "multichoice", q.id)
                XCTAssertEqual(got["single"] as? Bool, q.type == .singleChoice, q.id)
                XCTAssertEqual(got["options"] as? [String], c.options.map(\.text), q.id)
                XCTAssertEqual(got["correct"] as? [String], c.options.filter(\.correct).map(\.text), q.id)
                XCTAssertEqual(got["fractionSum"] as? Double ?? 0, 100, accuracy: 0.01, q.id)
                XCTAssertEqual(got["stem"] as? String, c.stem, q.id)
                XCTAssertEqual(got["shuffle"] as? Bool, c.shuffle, q.id)
            case .trueFalse(let t):
                XCTAssertEqual(got["type"] as? String, "truefalse", q.id)
                XCTAssertEqual(got["answer"] as? Bool, t.answer, q.id)
            case .fillIn(let f) where f.blanks.count == 1:
                XCTAssertEqual(got["type"] as? String, "shortanswer", q.id)
                XCTAssertEqual(got["accepted"] as? [String], f.blanks[0].accepted, q.id)
            case .fillIn(let f):
                XCTAssertEqual(got["type"] as? String, "cloze", q.id)
                XCTAssertEqual(got["gaps"] as? [[String]], f.blanks.map(\.accepted), q.id)
            case .caseAnalysis:
                XCTFail("no case analysis in banks")
            }
        }
    }

    /// The template trainers fill in (samples/题库导入模板.xlsx) imports cleanly, every row citing a provision.
    func testShippedTemplateImports() throws {
        let out = dir.url.appendingPathComponent("tpl.xml")
        let r = try AcademyProcess.run([
            "bank", "import", root.appendingPathComponent("samples/题库导入模板.xlsx").path, "-o", out.path,
            "--provisions", root.appendingPathComponent("Courses/notice-2018/provisions.xml").path, "--dry-run",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("5 questions") && r.stderr.contains("0 need a provision"), r.stderr)
        XCTAssertFalse(r.stdout.contains("provision=\"todo\""))
    }

    /// Ids already used by the content the bank joins are refused before anything is written,
    /// each named by its source row.
    func testIdsAlreadyInTheContentAreRefusedByRow() throws {
        let xlsx = dir.url.appendingPathComponent("s1.xlsx")
        let e = try AcademyProcess.run(["bank", "export", "bank.s1", "--format", "xlsx", "-o", xlsx.path] + content)
        XCTAssertEqual(e.status, 0, e.stderr)
        let out = dir.url.appendingPathComponent("again.xml")
        let r = try AcademyProcess.run(
            ["bank", "import", xlsx.path, "-o", out.path, "--provisions", root.appendingPathComponent("Courses/notice-2018/provisions.xml").path]
                + content)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("s1.xlsx:2: error: q.s1.001: duplicate id \"q.s1.001\""), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    var content: [String] {
        ["--content", root.appendingPathComponent("Courses").path, "--content", root.appendingPathComponent("QuestionBank").path]
    }
}
