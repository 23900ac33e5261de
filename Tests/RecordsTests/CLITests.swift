import Foundation
import TestSupport
import XCTest

@testable import Records

/// The staff, cycle, record and audit commands through the built binary.
final class CLITests: XCTestCase {
    var dir: URL!
    var db: String { dir.appendingPathComponent("academy.sqlite").path }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("records-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    struct Result { var status: Int32; var out: String; var err: String }

    @discardableResult
    func academy(_ args: [String], lang: String = "en", now: String? = nil, db useDB: Bool = true) throws -> Result {
        let p = Process()
        p.executableURL = try ConcurrencyTests.binary
        p.arguments = args + (useDB ? ["--db", db] : [])
        var env = ProcessInfo.processInfo.environment
        env["ACADEMY_LANG"] = lang
        env["TZ"] = "Asia/Shanghai"
        env["ACADEMY_NOW"] = now
        env.removeValue(forKey: "ACADEMY_DB")
        p.environment = env
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    static var sampleCSV: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("samples/staff-sample.csv")
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testSampleImportIsIdempotentAndListsInChinese() throws {
        let first = try academy(["staff", "import", Self.sampleCSV.path])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.out.contains("29 added"), first.out)
        let again = try academy(["staff", "import", Self.sampleCSV.path])
        XCTAssertTrue(again.out.contains("0 added, 0 updated, 29 unchanged"), again.out)
        XCTAssertTrue(again.out.contains("(0 events)"), again.out)
        let list = try academy(["staff", "list", "--department", "示例省/示例市/示例区/城市管理综合行政执法大队/三中队"], lang: "zh-Hans")
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.out.contains("执法证号"), list.out)
        XCTAssertTrue(list.out.contains("街面巡查组"), list.out)
        XCTAssertTrue(list.out.contains("共 11 人"), list.out)
        let show = try academy(["staff", "show", "SL0012", "--format", "json"])
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        XCTAssertEqual(obj["status"] as? String, "inactive")
        XCTAssertEqual(try academy(["staff", "show", "NOPE"]).status, 1)
    }

    func testBadFileWritesNothingAndNamesEveryRow() throws {
        let path = try write(
            "bad.csv",
            """
            badge,name,department,role
            X1,张三,示例省/示例市,officer
            X1,李四,示例省/示例市,officer
            X2,,示例省/示例市,driver

            """)
        let r = try academy(["staff", "import", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("bad.csv:3: column 'badge': duplicate badge X1 (first on line 2)"), r.err)
        XCTAssertTrue(r.err.contains("bad.csv:4: column 'name': name is empty"), r.err)
        XCTAssertTrue(r.err.contains("bad.csv:4: column 'role': unknown role 'driver'"), r.err)
        XCTAssertTrue(r.err.contains("nothing was imported"), r.err)
        let list = try academy(["staff", "list", "--format", "json"])
        let listed = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [Any]
        XCTAssertEqual(listed?.count, 0, list.out)
        let empty = try write("empty.csv", "")
        XCTAssertTrue(try academy(["staff", "import", empty]).err.contains("empty.csv:1: the file is empty"))
    }

    /// A file large enough to be checked while it is written: a bad row at its end refuses the
    /// whole file as a small one does, and a later `staff list` shows nobody.
    func testBadRowAtTheEndOfALargeFileWritesNothing() throws {
        var csv = "badge,name,department,role\n"
        for i in 0..<3_000 { csv += "Y\(i),人员\(i),示例省/示例市,officer\n" }
        csv += "Y9,重复,示例省/示例市,officer\n"
        let path = try write("large.csv", csv)
        let r = try academy(["staff", "import", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("large.csv:3002: column 'badge': duplicate badge Y9 (first on line 11)"), r.err)
        XCTAssertTrue(r.err.contains("1 problem(s); nothing was imported"), r.err)
        let list = try academy(["staff", "list", "--format", "json"])
        let listed = try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [Any]
        XCTAssertEqual(listed?.count, 0, list.out)
        XCTAssertEqual(try academy(["audit", "verify"]).status, 0)
    }

    func testCycleLifecycleRecordAndAudit() throws {
        let imported = try academy(["staff", "import", Self.sampleCSV.path])
        XCTAssertEqual(imported.status, 0, imported.err)
        let create = try academy(
            [
                "cycle", "create", "2018-spring", "--title", "2018年春节前全员培训", "--course", "c1",
                "--blueprint", "b1", "--department", "示例省/示例市/示例区/城市管理综合行政执法大队/一中队",
                "--role", "officer", "--opens", "2018-01-15", "--due", "2018-02-14", "--unchecked",
            ],
            now: "2018-01-10T00:00:00Z")
        XCTAssertEqual(create.status, 0, create.err)
        // Without content and without --unchecked, unknown ids cannot be checked: refused.
        let blind = try academy([
            "cycle", "create", "2018-other", "--title", "x", "--course", "c1", "--blueprint", "b1",
            "--opens", "2018-01-15", "--due", "2018-02-14",
        ])
        XCTAssertEqual(blind.status, 1)
        XCTAssertTrue(blind.err.contains("no content found"), blind.err)
        XCTAssertTrue(create.out.contains("population now 4"), create.out)
        XCTAssertEqual(
            try academy([
                "cycle", "create", "2018-spring", "--title", "x", "--course", "c", "--blueprint", "b",
                "--opens", "2018-01-15", "--due", "2018-02-14",
            ]).status, 1)
        let bad = try academy([
            "cycle", "create", "x", "--title", "x", "--course", "c", "--blueprint", "b",
            "--opens", "2018-02-30", "--due", "2018-02-14",
        ])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("--opens"), bad.err)
        let ex = try academy(
            ["cycle", "exempt", "2018-spring", "--badge", "SL0005", "--reason", "长期病假", "--by", "周建国"],
            now: "2018-01-20T00:00:00Z")
        XCTAssertEqual(ex.status, 0, ex.err)
        let show = try academy(["cycle", "show", "2018-spring", "--format", "json"])
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        XCTAssertEqual(obj["population"] as? Int, 4)
        XCTAssertEqual(obj["exempt"] as? Int, 1)
        XCTAssertEqual(obj["timeZone"] as? String, "Asia/Shanghai")
        XCTAssertEqual(obj["windowEnd"] as? String, "2018-02-14T16:00:00Z")
        XCTAssertTrue(try academy(["cycle", "list"]).out.contains("2018-spring"))

        let record = try academy(["record", "show", "SL0005", "--format", "json"])
        XCTAssertEqual(record.status, 0, record.err)
        let rec = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(record.out.utf8)) as? [String: Any])
        XCTAssertEqual(rec["schema"] as? String, "academy.record/1")
        let cycles = try XCTUnwrap(rec["cycles"] as? [[String: Any]])
        XCTAssertEqual((cycles.first?["exemption"] as? [String: Any])?["reason"] as? String, "长期病假")
        let text = try academy(["record", "show", "SL0005"], lang: "zh-Hans")
        XCTAssertTrue(text.out.contains("教育培训档案"), text.out)
        XCTAssertTrue(text.out.contains("免训：长期病假（批准人 周建国"), text.out)

        let verify = try academy(["audit", "verify"])
        XCTAssertEqual(verify.status, 0, verify.err)
        XCTAssertTrue(verify.out.contains("chain intact: 31 events"), verify.out)
        let head = try academy(["audit", "head"])
        XCTAssertEqual(head.out.split(separator: "\n").first?.count, 64)

        // Tamper with the exemption event's payload through sqlite3; verify names it and exits 1.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [
            db,
            "DROP TRIGGER events_append_only_update; UPDATE events SET payload = replace(payload, '长期病假', '出差') WHERE seq = 31;",
        ]
        try p.run()
        p.waitUntilExit()
        let tampered = try academy(["audit", "verify"], lang: "zh-Hans")
        XCTAssertEqual(tampered.status, 1)
        XCTAssertTrue(tampered.err.contains("事件 #31 被修改"), tampered.err)
    }

    func testNotADatabaseViaEnvironmentAndDefaultPath() throws {
        let notes = try write("notes.txt", "hello")
        let p = Process()
        p.executableURL = try ConcurrencyTests.binary
        p.arguments = ["staff", "list"]
        p.environment = ["ACADEMY_DB": notes, "ACADEMY_LANG": "en", "PATH": "/usr/bin:/bin"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1)
        XCTAssertTrue(e.contains("notes.txt: not an SQLite database file; nothing was written"), e)
        // Without --db or ACADEMY_DB the file is ./academy.sqlite.
        XCTAssertEqual(try academy(["audit", "head"], db: false).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("academy.sqlite").path))
    }
}

extension CLITests {
    /// A history written through the store, shown by `record show` in both languages and as JSON.
    func testRecordShowsRegradeBothGradesSpotCheckAndLessons() throws {
        let store = try SQLiteEducationStore(path: db)
        try store.importStaff(
            [StoreFixture.staff("A001", "张三")], markMissingInactive: false, source: "s.csv",
            at: StoreFixture.date("2026-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "2026-spring", title: "春训", courseID: "c", blueprintID: "b",
                departments: [], roles: [], opens: CalendarDay("2026-01-10")!,
                due: CalendarDay("2026-02-10")!, timeZoneID: "Asia/Shanghai"))
        let t = StoreFixture.date("2026-01-15T02:05:00Z")
        try store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "lesson-1", at: t)
        let a = try store.startAttempt(
            AttemptRequest(
                badge: "A001", cycleID: "2026-spring", maxAttempts: 2, blueprintID: "b",
                blueprintVersion: 3, bankHash: "abcdef0123456789", seed: 99,
                paper: Data("{}".utf8), questionIDs: ["q1"], timeLimitSeconds: 600,
                startedAt: t))
        try store.submitAttempt(
            attemptID: a.id, report: Data("{}".utf8), score: 55, maxScore: 100, passed: false,
            submittedAt: t.addingTimeInterval(300), reason: .timeout)
        try store.regradeAttempt(
            attemptID: a.id, report: Data("{}".utf8), score: 65, maxScore: 100, passed: true,
            reason: "答案更正", at: t.addingTimeInterval(86_400))
        try store.recordSpotCheck(cycleID: "2026-spring", seed: 7, percent: 5, selected: ["A001"], inspectors: ["李检查"], at: t)
        try store.queue.close()

        let zh = try academy(["record", "show", "A001"], lang: "zh-Hans")
        XCTAssertEqual(zh.status, 0, zh.err)
        XCTAssertTrue(zh.out.contains("2026-01-15 10:05  lesson-1"), zh.out)
        XCTAssertTrue(zh.out.contains("（超时自动交卷）"), zh.out)
        XCTAssertTrue(zh.out.contains("55/100 未通过 ⇒ 65/100 通过（重新评分：答案更正，2026-01-16 10:05）"), zh.out)
        XCTAssertTrue(zh.out.contains("蓝图 b v3，种子 99，题库 abcdef012345"), zh.out)
        XCTAssertTrue(zh.out.contains("双随机抽查"), zh.out)
        XCTAssertTrue(zh.out.contains("李检查"), zh.out)
        let en = try academy(["record", "show", "A001"])
        XCTAssertTrue(en.out.contains("55/100 failed ⇒ 65/100 passed (regraded: 答案更正"), en.out)
        let json = try academy(["record", "show", "A001", "--format", "json"])
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let cycle = try XCTUnwrap((obj["cycles"] as? [[String: Any]])?.first)
        let attempt = try XCTUnwrap((cycle["attempts"] as? [[String: Any]])?.first)
        XCTAssertEqual((attempt["grades"] as? [[String: Any]])?.compactMap { $0["score"] as? Double }, [55, 65])
        XCTAssertEqual(attempt["endReason"] as? String, "timeout")
        XCTAssertEqual(attempt["seed"] as? String, "99")
        XCTAssertEqual((cycle["spotChecks"] as? [[String: Any]])?.first?["inspectors"] as? [String], ["李检查"])
        XCTAssertEqual(try academy(["record", "show", "NOBODY"]).status, 1)
    }
}

extension CLITests {
    static var repoRoot: URL { sampleCSV.deletingLastPathComponent().deletingLastPathComponent() }

    /// With the shipped course and blueprint, `cycle show` counts statuses and `record show`
    /// marks the attempt that counts (the blueprint takes the highest of 3).
    func testStatusCountsAndCountingAttemptFromTheShippedContent() throws {
        let content = [
            "--content", Self.repoRoot.appendingPathComponent("Courses").path,
            "--content", Self.repoRoot.appendingPathComponent("QuestionBank").path,
        ]
        XCTAssertEqual(try academy(["staff", "import", Self.sampleCSV.path]).status, 0)
        let create = try academy(
            [
                "cycle", "create", "2018-spring", "--title", "2018年春节前全员培训",
                "--course", "strict-enforcement-2018", "--blueprint", "all-staff-2018",
                "--department", "示例省/示例市/示例区/城市管理综合行政执法大队/一中队",
                "--opens", "2018-01-15", "--due", "2018-02-14", "--allow-past",
            ] + content)
        XCTAssertEqual(create.status, 0, create.err)
        let unknown = try academy(
            [
                "cycle", "create", "x", "--title", "x", "--course", "no-such-course",
                "--blueprint", "all-staff-2018", "--opens", "2018-01-15", "--due", "2018-02-14", "--allow-past",
            ] + content)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("no course no-such-course"), unknown.err)

        let store = try SQLiteEducationStore(path: db)
        let t = StoreFixture.date("2018-01-20T02:00:00Z")
        for (n, score) in [(1, 60.0), (2, 85.0)] {
            let a = try store.startAttempt(
                AttemptRequest(
                    badge: "SL0005", cycleID: "2018-spring", maxAttempts: 3,
                    blueprintID: "all-staff-2018", blueprintVersion: 1, bankHash: "h",
                    seed: UInt64(n), paper: Data("{}".utf8), questionIDs: [],
                    timeLimitSeconds: 3600, startedAt: t.addingTimeInterval(Double(n) * 7200)))
            try store.submitAttempt(
                attemptID: a.id, report: Data("{}".utf8), score: score, maxScore: 100, passed: score >= 70,
                submittedAt: t.addingTimeInterval(Double(n) * 7200 + 1800), reason: .submitted)
        }
        try store.exempt(cycleID: "2018-spring", badge: "SL0006", reason: "借调", grantedBy: "周建国", at: t)
        try store.queue.close()

        let show = try academy(["cycle", "show", "2018-spring", "--format", "json"] + content, now: "2018-01-21T00:00:00Z")
        XCTAssertEqual(show.status, 0, show.err)
        let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        let counts = try XCTUnwrap(obj["statusCounts"] as? [String: Int])
        XCTAssertEqual(counts["passed"], 1)
        XCTAssertEqual(counts["exempt"], 1)
        XCTAssertEqual(counts["not_started"], 5)
        let late = try academy(["cycle", "show", "2018-spring", "--format", "json"] + content, now: "2018-03-01T00:00:00Z")
        let lateCounts = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(late.out.utf8)) as? [String: Any])?["statusCounts"] as? [String: Int])
        XCTAssertEqual(lateCounts["overdue"], 6)

        let record = try academy(["record", "show", "SL0005"] + content, now: "2018-01-21T00:00:00Z")
        XCTAssertEqual(record.status, 0, record.err)
        let lines = record.out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.contains("#2") && $0.contains("85/100 passed") && $0.contains("← counts") }, record.out)
        XCTAssertFalse(lines.contains { $0.contains("#1") && $0.contains("← counts") }, record.out)
        XCTAssertTrue(record.out.contains("status: exam passed"), record.out)
    }
}
