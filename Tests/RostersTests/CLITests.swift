import Foundation
import TestSupport
import Records
import XCTest

/// `academy roster …` and `academy spotcheck draw` through the built binary.
final class RosterCLITests: XCTestCase {
    /// The built binary (`AcademyProcess.binaryURL`); a missing binary fails the test.
    static var binary: URL { get throws { try AcademyProcess.binaryURL() } }

    var dir: URL!
    var db: String { dir.appendingPathComponent("academy.sqlite").path }

    override func setUpWithError() throws {
        dir = try Fixtures.tempDir()
        let store = try SQLiteEducationStore(path: db)
        try store.importStaff(
            (0..<40).map { i in
                StaffInput(
                    badge: String(format: "P%03d", i), name: i == 3 ? "=SUM(A1)" : "人员\(i)",
                    department: "示例省/示例市/\(i % 2 == 0 ? "甲区" : "乙区")", role: .officer, status: nil, line: i + 2)
            }, markMissingInactive: false, source: "t", at: Date())
        try store.createCycle(
            TrainingCycle(
                id: "c", title: "春节前培训", courseID: "c", blueprintID: "b", departments: [],
                roles: [], opens: CalendarDay("2018-01-15")!, due: CalendarDay("2018-02-10")!,
                timeZoneID: "Asia/Shanghai"))
        try store.createCycle(
            TrainingCycle(
                id: "empty", title: "空", courseID: "c", blueprintID: "b", departments: ["无人省"],
                roles: [], opens: CalendarDay("2018-01-15")!, due: CalendarDay("2018-02-10")!,
                timeZoneID: "Asia/Shanghai"))
    }

    override func tearDown() { if let dir { try? FileManager.default.removeItem(at: dir) } }

    struct Result { var status: Int32; var out: Data; var err: String; var text: String { String(decoding: out, as: UTF8.self) } }

    @discardableResult
    func academy(_ args: [String], lang: String = "en") throws -> Result {
        let p = Process()
        p.executableURL = try Self.binary
        p.arguments = args + ["--db", db]
        var env = ProcessInfo.processInfo.environment
        env["ACADEMY_LANG"] = lang
        env["ACADEMY_NOW"] = "2018-02-20T00:00:00Z"
        p.environment = env
        p.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: o, err: String(decoding: e, as: UTF8.self))
    }

    func testExportFormatsAndErrors() throws {
        let csv = try academy(["roster", "export", "--cycle", "c", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.err)
        XCTAssertEqual(csv.out.filter { $0 == 0x0A }.count, 41, "CRLF records")
        XCTAssertTrue(csv.text.contains("'=SUM(A1)"))
        XCTAssertTrue(csv.text.contains(",overdue,"), "everyone is overdue after the window")

        let zh = try academy(["roster", "export", "--cycle", "c", "--department", "示例省/示例市/甲区"], lang: "zh-Hans")
        XCTAssertTrue(zh.text.hasPrefix("\u{FEFF}执法证号,姓名"), zh.text)
        XCTAssertEqual(zh.out.filter { $0 == 0x0A }.count, 21)

        let json = try academy(["roster", "export", "--cycle", "c", "--format", "json", "-o", "r.json"])
        XCTAssertEqual(json.status, 0, json.err)
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("r.json"))) as? [String: Any]
        XCTAssertEqual(obj?["schema_version"] as? Int, 1)
        XCTAssertEqual((obj?["rows"] as? [Any])?.count, 40)

        let x = try academy(["roster", "export", "--cycle", "c", "--format", "xlsx", "-o", "r.xlsx"])
        XCTAssertEqual(x.status, 0, x.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("r.xlsx")).prefix(2), Data("PK".utf8))

        // --encoding belongs to CSV: naming it for another format is a usage error, not ignored.
        let wrongEncoding = try academy(["roster", "export", "--cycle", "c", "--format", "json", "--encoding", "gb18030"])
        XCTAssertEqual(wrongEncoding.status, 2, wrongEncoding.err)
        XCTAssertTrue(wrongEncoding.err.contains("csv only"), wrongEncoding.err)

        let unknown = try academy(["roster", "export", "--cycle", "nope"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("nope"), unknown.err)
        let dept = try academy(["roster", "summary", "--cycle", "c", "--department", "火星"])
        XCTAssertEqual(dept.status, 1)
        XCTAssertTrue(dept.err.contains("unknown department"), dept.err)

        let bad = try academy(["roster", "export", "--cycle", "c", "-o", "missing/dir/r.csv"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("missing/dir"), bad.err)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }, [],
            "no temporary files left behind")

        let empty = try academy(["roster", "export", "--cycle", "empty", "-o", "e.csv"])
        XCTAssertEqual(empty.status, 0, empty.err)
        XCTAssertTrue(empty.err.contains("empty"), empty.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("e.csv")).filter { $0 == 0x0A }.count, 1)
    }

    func testSummaryReportAndSpotCheck() throws {
        let s = try academy(["roster", "summary", "--cycle", "c"], lang: "zh-Hans")
        XCTAssertEqual(s.status, 0, s.err)
        XCTAssertTrue(s.text.contains("甲区"), s.text)
        let sj = try academy(["roster", "summary", "--cycle", "c", "--format", "json"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: sj.out) as? [String: Any])?["schema_version"] as? Int, 1)

        let inspectors = dir.appendingPathComponent("inspectors.txt")
        try Data("检查员甲\n检查员乙\n".utf8).write(to: inspectors)
        let d1 = try academy([
            "spotcheck", "draw", "--cycle", "c", "--percent", "10", "--seed", "99",
            "--inspectors", inspectors.path, "--format", "json",
        ])
        XCTAssertEqual(d1.status, 0, d1.err)
        let j1 = try JSONSerialization.jsonObject(with: d1.out) as? [String: Any]
        let sel1 = (j1?["selected"] as? [[String: Any]])?.compactMap { $0["badge"] as? String }
        XCTAssertEqual(sel1?.count, 4)
        let d2 = try academy([
            "spotcheck", "draw", "--cycle", "c", "--percent", "10", "--seed", "99",
            "--inspectors", inspectors.path, "--format", "json",
        ])
        let j2 = try JSONSerialization.jsonObject(with: d2.out) as? [String: Any]
        XCTAssertEqual((j2?["selected"] as? [[String: Any]])?.compactMap { $0["badge"] as? String }, sel1, "same seed, same draw")
        XCTAssertNotEqual(j1?["id"] as? Int, j2?["id"] as? Int, "each draw is its own event")

        let roster = try academy(["roster", "export", "--cycle", "c", "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: roster.out) as? [String: Any])?["rows"] as? [[String: Any]] ?? []
        XCTAssertEqual(
            Set(rows.filter { $0["spot_checked"] as? Bool == true }.compactMap { $0["badge"] as? String }), Set(sel1 ?? []))
        let record = try academy(["record", "show", sel1?.first ?? "", "--format", "json"])
        XCTAssertEqual(record.status, 0, record.err)
        XCTAssertTrue(record.text.contains("检查员"), record.text)

        let badPct = try academy(["spotcheck", "draw", "--cycle", "c", "--percent", "0", "--seed", "1"])
        XCTAssertEqual(badPct.status, 1)
        let emptyDraw = try academy(["spotcheck", "draw", "--cycle", "empty", "--percent", "10", "--seed", "1"])
        XCTAssertEqual(emptyDraw.status, 1)
        XCTAssertTrue(emptyDraw.err.contains("empty"), emptyDraw.err)

        let r = try academy(["roster", "report", "--cycle", "c", "-o", "report.html"], lang: "zh-Hans")
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("=SUM(A1)"))
        XCTAssertTrue(html.contains("逾期未完成人员名单"))
        let head = try academy(["audit", "head"])
        let hash = head.text.split(whereSeparator: { !$0.isHexDigit }).map(String.init).first { $0.count == 64 }
        XCTAssertNotNil(hash, head.text)
        XCTAssertTrue(html.contains(hash ?? "-"), "report carries the audit head hash")
    }
}
