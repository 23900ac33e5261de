import CourseLoading
import Courseware
import ExamAssembly
import Exams
import Foundation
import Records
import TestSupport
import XCTest

/// The exam side's tools without the binary: where content is cached, `academy --version`'s
/// text, and the benchmark measurements.
final class ExamToolsTests: XCTestCase {
    func testCacheDirectoryFollowsTheEnvironment() {
        XCTAssertNil(ExamContentCache.defaultDirectory(environment: ["ACADEMY_CACHE_DIR": "off", "HOME": "/home/a"]))
        XCTAssertEqual(ExamContentCache.defaultDirectory(environment: ["ACADEMY_CACHE_DIR": "/c", "HOME": "/home/a"])?.path, "/c")
        XCTAssertEqual(
            ExamContentCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/home/a"])?.path, "/x/academy")
        XCTAssertEqual(
            ExamContentCache.defaultDirectory(environment: ["ACADEMY_CACHE_DIR": "", "HOME": "/home/a"])?.path,
            "/home/a/.cache/academy")
        XCTAssertNil(ExamContentCache.defaultDirectory(environment: [:]))
    }

    func testVersionNamesTheContentItsFingerprintAndEachBankHash() throws {
        let root = AcademyProcess.packageRoot
        let paths = [root.appendingPathComponent("Courses/notice-2018").path, root.appendingPathComponent("QuestionBank/notice-2018").path]
        let env = ["ACADEMY_CONTENT": paths.joined(separator: ":"), "ACADEMY_CONFIG": "/nonexistent/academy.conf"]
        let text = VersionReport.text(version: "1.2.3", commit: "abc1234", shipped: "00ff", .en, environment: env)
        let lines = text.split(separator: "\n").map(String.init)
        let digest = try ContentFingerprint.sha256(paths: paths)
        XCTAssertEqual(Array(lines.prefix(5)), [
            "academy 1.2.3", "commit abc1234", "shipped content SHA-256 00ff", "content in use: " + paths.joined(separator: ", "),
            "content SHA-256 \(digest) (differs from the shipped content)",
        ])
        let exam = ExamContent(try ContentLocator.load(paths).content, hashPools: true)
        XCTAssertFalse(exam.bankHashes.isEmpty)
        XCTAssertEqual(Array(lines.dropFirst(5)), exam.bankHashes.keys.sorted().map { "bank \($0) \(exam.bankHashes[$0]!)" })
        let zh = VersionReport.text(version: "dev", commit: "unknown", shipped: digest, .zhHans, environment: env)
        XCTAssertTrue(zh.contains("内容 SHA-256 \(digest)（与随包内容一致）"), zh)
        let missing = VersionReport.text(
            version: "dev", commit: "x", shipped: nil, .en, environment: ["ACADEMY_CONTENT": "/nonexistent/content"])
        XCTAssertTrue(missing.hasPrefix("academy dev\ncommit x\ncontent in use: /nonexistent/content\n"), missing)
    }

    func testBenchPreparesAStoreAndTimesPapersAndSaves() throws {
        let f = try ServiceFixture()
        let now = ServiceFixture.date("2026-03-01T00:00:00Z")
        let dir = f.dir.appendingPathComponent("bench")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteEducationStore(path: dir.appendingPathComponent("b.sqlite").path)
        try ExamBench.prepare(store, badge: "B1", cycle: "cb", course: "course-1", blueprint: "bp-1", now: now)
        let cycle = try XCTUnwrap(store.cycle(id: "cb"))
        XCTAssertEqual(cycle.opens, CalendarDay(year: 2025, month: 1, day: 1))
        XCTAssertEqual(cycle.due, CalendarDay(year: 2027, month: 12, day: 31))
        XCTAssertEqual(try store.staffMember(badge: "B1")?.status, .active)

        let savesStore = try SQLiteEducationStore(path: dir.appendingPathComponent("s.sqlite").path)
        let saves = try ExamBench.saves(savesStore, count: 5, clock: WallClock { now })
        XCTAssertTrue(saves.hasPrefix("saves=5 p50_ms="), saves)

        let bp = try XCTUnwrap(f.contentSet.blueprint("bp-1"))
        let papers = try ExamBench.papers(try Assembler(blueprint: bp, in: f.contentSet), count: 3, json: true)
        XCTAssertTrue(papers.hasPrefix("papers=3 seconds="), papers)
        XCTAssertTrue(papers.contains(" questions_per_paper=6 "), papers)
    }
}
