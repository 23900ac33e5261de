import Foundation
import XCTest

@testable import Records

/// Issue 9 §2 and the attacks that need the commands: anchoring the head outside the database,
/// `audit verify --against`, and regrade refusing a store that does not verify.
extension CLITests {
    func sqlite3(_ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, sql]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, sql)
    }

    func setUpCycle() throws {
        XCTAssertEqual(try academy(["staff", "import", Self.sampleCSV.path], now: "2018-01-09T00:00:00Z").status, 0)
        let create = try academy(
            [
                "cycle", "create", "2018-spring", "--title", "春训", "--course", "c1", "--blueprint", "b1",
                "--department", "示例省/示例市/示例区/城市管理综合行政执法大队/一中队", "--role", "officer",
                "--opens", "2018-01-15", "--due", "2018-02-14",
            ], now: "2018-01-10T00:00:00Z")
        XCTAssertEqual(create.status, 0, create.err)
    }

    func testTailTruncationIsCaughtAgainstEveryKindOfRecordedHead() throws {
        try setUpCycle()
        let anchors = dir.appendingPathComponent("anchors.txt").path
        let first = try academy(["audit", "anchor", "-o", anchors], now: "2018-01-11T00:00:00Z")
        XCTAssertEqual(first.status, 0, first.err)
        // The last event, which the attacker will remove: an exemption.
        XCTAssertEqual(
            try academy(
                ["cycle", "exempt", "2018-spring", "--badge", "SL0005", "--reason", "长期病假", "--by", "周建国"],
                now: "2018-01-20T00:00:00Z"
            ).status, 0)
        let second = try academy(["audit", "anchor", "-o", anchors], now: "2018-01-21T00:00:00Z")
        XCTAssertEqual(second.status, 0, second.err)
        let lines = try String(contentsOfFile: anchors, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasPrefix("academy-anchor seq=31 sha256="), String(lines[1]))
        XCTAssertTrue(lines[1].hasSuffix(" events=31 at=2018-01-21T00:00:00Z"), String(lines[1]))
        try Data(try academy(["audit", "head"]).out.utf8).write(to: dir.appendingPathComponent("head.txt"))
        try Data(try academy(["audit", "head", "--format", "json"]).out.utf8).write(to: dir.appendingPathComponent("head.json"))
        for (format, file) in [("csv", "r.csv"), ("json", "r.json"), ("xlsx", "r.xlsx")] {
            let r = try academy(
                ["roster", "export", "--cycle", "2018-spring", "--format", format, "-o", file, "--assume-lessons", "1",
                 "--assume-max-attempts", "1"])
            XCTAssertEqual(r.status, 0, r.err)
        }
        let report = try academy(
            ["roster", "report", "--cycle", "2018-spring", "-o", "report.html", "--assume-lessons", "1", "--assume-max-attempts", "1"])
        XCTAssertEqual(report.status, 0, report.err)
        let recorded = ["anchors.txt", "head.txt", "head.json", "r.csv", "r.json", "r.xlsx", "report.html"]
        for file in recorded {
            let ok = try academy(["audit", "verify", "--against", file])
            XCTAssertEqual(ok.status, 0, "\(file): \(ok.err)")
            XCTAssertTrue(ok.out.contains("head #31"), "\(file): \(ok.out)")
        }

        // Tail truncation: the last event and its row removed, the head moved back to match.
        try sqlite3(
            """
            DROP TRIGGER events_append_only_delete;
            DELETE FROM events WHERE seq = 31;
            UPDATE chain_head SET seq = 30, hash = (SELECT hash FROM events WHERE seq = 30);
            DELETE FROM exemptions;
            """)
        // On its own the store is consistent again: only a head kept elsewhere shows the loss.
        XCTAssertEqual(try academy(["audit", "verify"]).status, 0)
        for file in recorded {
            let caught = try academy(["audit", "verify", "--against", file])
            XCTAssertEqual(caught.status, 1, file)
            XCTAssertTrue(
                caught.err.contains("the recorded head is event #31 but the chain has only 30 events"), "\(file): \(caught.err)")
        }
        // The first anchor still matches: the file says which heads hold.
        let both = try academy(["audit", "verify", "--against", "anchors.txt"])
        XCTAssertTrue(both.out.contains("head #30"), both.out)

        // A rewritten history (same length, different event) is named as such.
        try sqlite3(
            """
            DROP TRIGGER events_append_only_update;
            UPDATE events SET hash = 'ff' || substr(hash, 3) WHERE seq = 30;
            UPDATE chain_head SET hash = (SELECT hash FROM events WHERE seq = 30);
            """)
        let rewritten = try academy(["audit", "verify", "--against", "anchors.txt", "--chain-only"])
        XCTAssertEqual(rewritten.status, 1)
    }

    func testAgainstRefusesFilesWithoutAHead() throws {
        try setUpCycle()
        let none = try write("notes.txt", "nothing here\n")
        let r = try academy(["audit", "verify", "--against", none])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("no recorded head found"), r.err)
        let missing = try academy(["audit", "verify", "--against", "missing.txt"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("missing.txt: no such file"), missing.err)
    }

    func testAnchorAppendsOnlyToARegularFile() throws {
        try setUpCycle()
        let target = try write("real.txt", "")
        let link = dir.appendingPathComponent("link.txt").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let viaLink = try academy(["audit", "anchor", "-o", link])
        XCTAssertEqual(viaLink.status, 1)
        XCTAssertTrue(viaLink.err.contains("symbolic link"), viaLink.err)
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let viaFifo = try academy(["audit", "anchor", "-o", fifo])
        XCTAssertEqual(viaFifo.status, 1)
        XCTAssertTrue(viaFifo.err.contains("not a regular file"), viaFifo.err)
        let torn = try write("torn.txt", "academy-anchor seq=1 sha256=")
        let afterTorn = try academy(["audit", "anchor", "-o", torn])
        XCTAssertEqual(afterTorn.status, 1)
        XCTAssertTrue(afterTorn.err.contains("last line is incomplete"), afterTorn.err)
        // A store that does not verify is never anchored.
        try sqlite3("UPDATE staff SET name = '假名' WHERE badge = 'SL0001'")
        let tampered = try academy(["audit", "anchor", "-o", "anchors.txt"])
        XCTAssertEqual(tampered.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("anchors.txt").path))
    }

    func testVerifyWarnsAboutAWorldReadableDatabaseAndNamesTheDifference() throws {
        try setUpCycle()
        XCTAssertFalse(try academy(["audit", "verify"]).err.contains("warning"))
        chmod(db, 0o644)
        let v = try academy(["audit", "verify"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.err.contains("warning: the database file \(db) has mode 644"), v.err)
        try sqlite3("UPDATE staff SET role = 'assistant' WHERE badge = 'SL0005'")
        let zh = try academy(["audit", "verify"], lang: "zh-Hans")
        XCTAssertEqual(zh.status, 1)
        XCTAssertTrue(
            zh.err.contains("表 staff 中 badge='SL0005' 的列 role 与事件链不符：存储值 'assistant'，重放值 'officer'"), zh.err)
    }

    func testRegradeRefusesAStoreThatDoesNotVerify() throws {
        try setUpCycle()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let content = ["--content", root.appendingPathComponent("Courses").path, "--content", root.appendingPathComponent("QuestionBank").path]
        let clean = try academy(["exam", "regrade", "--cycle", "2018-spring"] + content)
        XCTAssertEqual(clean.status, 0, clean.err)
        try sqlite3("UPDATE cycles SET roles = '[]'")
        let events = try academy(["audit", "head", "--format", "json"]).out
        let refused = try academy(["exam", "regrade", "--cycle", "2018-spring"] + content)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("does not pass audit verify"), refused.err)
        XCTAssertEqual(try academy(["audit", "head", "--format", "json"]).out, events, "nothing written")
    }

    func testUnexemptCommand() throws {
        try setUpCycle()
        XCTAssertEqual(
            try academy(["cycle", "exempt", "2018-spring", "--badge", "SL0005", "--reason", "病假", "--by", "周"], now: "2018-01-20T00:00:00Z").status, 0)
        let r = try academy(["cycle", "unexempt", "2018-spring", "--badge", "SL0005", "--reason", "已返岗", "--by", "周"], now: "2018-01-21T00:00:00Z")
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("exemption from cycle 2018-spring is revoked"), r.out)
        let again = try academy(["cycle", "unexempt", "2018-spring", "--badge", "SL0005", "--reason", "x", "--by", "y"])
        XCTAssertEqual(again.status, 1)
        let outside = try academy(["cycle", "exempt", "2018-spring", "--badge", "SL0001", "--reason", "x", "--by", "y"])
        XCTAssertEqual(outside.status, 1)
        XCTAssertTrue(outside.err.contains("not in the population"), outside.err)
        XCTAssertEqual(try academy(["audit", "verify"]).status, 0)
    }
}
