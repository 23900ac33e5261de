import BankInterchange
import CourseLoading
import Courseware
import Foundation
import TestSupport
import XCTest

/// `BankImportJob` and `BankExportJob` without the binary: what they write, what they say, and
/// which failures are usage errors.
final class BankJobsTests: XCTestCase {
    let root = AcademyProcess.packageRoot
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    func job(_ source: URL, _ output: String) -> BankImportJob {
        var job = BankImportJob(source: source.path, output: dir.url.appendingPathComponent(output).path)
        job.content = [dir.url.appendingPathComponent("none").path]  // joins no content
        return job
    }

    func testDryRunBuildsTheBankAndWritesNothing() throws {
        let src = try dir.write("新题.csv", BankCommandTests.good)
        var j = job(src, "trainer.xml")
        j.dryRun = true
        j.topic = "测试"
        var notes: [String] = []
        let outcome = try j.run(.en) { notes.append($0) }
        XCTAssertTrue(outcome.xml.contains("<single-choice id=\"q.trainer.001\" topic=\"测试\""), outcome.xml)
        XCTAssertTrue(outcome.xml.contains("由 academy bank import 从 新题.csv 导入。"))
        XCTAssertTrue(outcome.summary.hasPrefix("(dry run, nothing written) 3 questions ("), outcome.summary)
        XCTAssertTrue(outcome.summary.hasSuffix("; 1 skipped; 3 need a provision"), outcome.summary)
        XCTAssertTrue(notes.contains { $0.contains("新题.csv:5: column 题型: skipped") }, "\(notes)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: j.output))
    }

    func testWritesThenRefusesToReplaceWithoutForce() throws {
        let src = try dir.write("a.csv", BankCommandTests.good)
        let j = job(src, "a.xml")
        let outcome = try j.run(.zhHans) { _ in }
        XCTAssertEqual(try String(contentsOfFile: j.output, encoding: .utf8), outcome.xml)
        XCTAssertTrue(outcome.summary.hasPrefix("已写入 \(j.output)：3 道题"), outcome.summary)
        XCTAssertThrowsError(try j.run(.en) { _ in }) {
            XCTAssertEqual($0 as? BankJobFailure, BankJobFailure("\(j.output) exists; use --force to replace it (never change ids an exam has used)"))
        }
        var forced = j
        forced.force = true
        XCTAssertNoThrow(try forced.run(.en) { _ in })
    }

    func testUsageProblemsAreMarked() throws {
        let src = try dir.write("a.data", BankCommandTests.good)
        XCTAssertEqual(catchFailure { try job(src, "a.xml").run(.en) { _ in } }?.usage, true)
        var bad = job(try dir.write("a.csv", BankCommandTests.good), "题库.xml")
        XCTAssertEqual(catchFailure { try bad.run(.en) { _ in } }?.usage, true)
        bad.id = "bank.ok"
        XCTAssertNoThrow(try bad.run(.en) { _ in })
    }

    func testBadRowsAreEachNotedAndNothingIsWritten() throws {
        let text = BankCommandTests.good.replacingOccurrences(of: ",A,通知第一部分。", with: ",E,通知第一部分。")
        let j = job(try dir.write("bad.csv", text), "bad.xml")
        var notes: [String] = []
        let failure = catchFailure { try j.run(.en) { notes.append($0) } }
        XCTAssertEqual(failure, BankJobFailure("1 error; nothing was written (fix them and import again)"))
        XCTAssertTrue(notes.contains { $0.contains("bad.csv:2: column 答案: error:") }, "\(notes)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: j.output))
    }

    func testExportFromAFileOrAnIdAndTheFailures() throws {
        let bankFile = root.appendingPathComponent("QuestionBank/notice-2018/bank-s1.xml").path
        let out = dir.url.appendingPathComponent("s1.xml").path
        let summary = try BankExportJob(bank: bankFile, format: .moodleXML, output: out).run(.en, note: { _ in }) {
            XCTFail("a file needs no content")
            return ContentSet()
        }
        XCTAssertTrue(summary.hasPrefix("exported "), summary)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).contains("<quiz>"))
        let content = try ContentLocator.load([root.appendingPathComponent("QuestionBank/notice-2018").path]).content
        let id = try XCTUnwrap(content.banks.first?.id)
        let xlsx = dir.url.appendingPathComponent("s1.xlsx").path
        XCTAssertNoThrow(try BankExportJob(bank: id, format: .xlsx, output: xlsx).run(.en, note: { _ in }) { content })
        XCTAssertTrue(FileManager.default.fileExists(atPath: xlsx))
        let unknown = catchFailure {
            try BankExportJob(bank: "bank.none", format: .xlsx, output: xlsx).run(.zhHans, note: { _ in }) { content }
        }
        XCTAssertEqual(unknown?.usage, false)
        XCTAssertTrue(unknown?.message.hasPrefix("没有文件或 id 为“bank.none”的题库；现有题库：") == true)
        let notABank = try dir.write("x.xml", "<provisions/>")
        XCTAssertNotNil(catchFailure { try BankExportJob(bank: notABank.path, format: .xlsx, output: xlsx).run(.en, note: { _ in }) { content } })
    }

    func catchFailure(_ body: () throws -> Any) -> BankJobFailure? {
        do { _ = try body() } catch { return error as? BankJobFailure }
        return nil
    }
}
