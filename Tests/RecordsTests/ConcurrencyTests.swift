import Foundation
import TestSupport
import XCTest

@testable import Records

/// Many processes on one file, and a process killed mid-write, through the built binary.
final class ConcurrencyTests: XCTestCase {
    /// The built binary (`AcademyProcess.binaryURL`); a missing binary fails the test.
    static var binary: URL { get throws { try AcademyProcess.binaryURL() } }

    func prepared(people: Int) throws -> StoreFixture {
        let f = try StoreFixture()
        if people > 0 {
            try f.store.importStaff(
                (0..<people).map { StoreFixture.staff(String(format: "P%03d", $0), "人员\($0)", line: $0 + 2) },
                markMissingInactive: false, source: "x", at: Date())
        }
        try f.store.createCycle(
            TrainingCycle(
                id: "c", title: "t", courseID: "c", blueprintID: "b", departments: [], roles: [],
                opens: CalendarDay("2020-01-01")!, due: CalendarDay("2099-12-31")!, timeZoneID: "UTC"))
        return f
    }

    func spawn(_ args: [String], path: String) throws -> (Process, Pipe, Pipe) {
        let p = Process()
        p.executableURL = try Self.binary
        p.arguments = args + ["--db", path]
        var env = ProcessInfo.processInfo.environment
        env["ACADEMY_LANG"] = "en"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return (p, out, err)
    }

    func testTwentyProcessesLoseNothingAndNeverSeeLocked() throws {
        let f = try prepared(people: 20)
        let count = 15
        let procs = try (0..<20).map { i in
            try spawn(
                ["dev", "hammer", "--badge", String(format: "P%03d", i), "--cycle", "c", "--count", String(count)], path: f.path)
        }
        for (p, out, err) in procs {
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, e)
            XCTAssertFalse(e.lowercased().contains("locked"), e)
            XCTAssertTrue(o.hasPrefix("ok "), o)
        }
        let progress = try f.store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM progress") }
        let answers = try f.store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM answers") }
        XCTAssertEqual(progress, 20 * count)
        XCTAssertEqual(answers, 20 * count)
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        XCTAssertEqual(v.eventCount, Int64(20 + 1 + 20 + 2 * 20 * count))
    }

    func testTwentyProcessesCreatingOneNewFileAtOnce() throws {
        let f = try prepared(people: 0)
        let fresh = f.dir.appendingPathComponent("fresh.sqlite").path
        let procs = try (0..<20).map { _ in try spawn(["audit", "verify"], path: fresh) }
        for (p, _, err) in procs {
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, e)
        }
        XCTAssertTrue(try SQLiteEducationStore(path: fresh).verifyChain().isIntact)
    }

    func testKillMidWriteLeavesAConsistentVerifiableDatabase() throws {
        let f = try prepared(people: 2)
        let (p, _, _) = try spawn(["dev", "hammer", "--badge", "P000", "--cycle", "c", "--count", "100000"], path: f.path)
        let deadline = Date().addingTimeInterval(20)
        var written = 0
        while written < 40, Date() < deadline {
            usleep(20_000)
            written = try f.store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM progress") ?? 0 }
        }
        XCTAssertGreaterThanOrEqual(written, 40, "the writer never got going")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)

        let reopened = try SQLiteEducationStore(path: f.path)
        XCTAssertNil(try reopened.integrityProblem())
        let v = try reopened.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        // Every finished lesson has its event and vice versa (checked by verify), and the answers
        // table holds at most one fewer than the lessons (the kill may fall between the two).
        let (progress, answers) = try reopened.queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM progress") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM answers") ?? 0
            )
        }
        XCTAssertTrue(progress == answers || progress == answers + 1, "\(progress) lessons, \(answers) answers")

        // The command-line verifier agrees, and the process that was killed can resume.
        let (check, out, _) = try spawn(["audit", "verify"], path: f.path)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("chain intact"), text)
        let (resume, _, rerr) = try spawn(["dev", "hammer", "--badge", "P000", "--cycle", "c", "--count", "3"], path: f.path)
        let e = String(decoding: rerr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        resume.waitUntilExit()
        XCTAssertEqual(resume.terminationStatus, 0, e)
    }
}
