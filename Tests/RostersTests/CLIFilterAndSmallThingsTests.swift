import Foundation
import Localization
import Records
import Rosters
import XCTest

/// Issue 14 through the binary: export filters, encodings, widths, per-unit reports,
/// certificates, and the small things of §5.
extension RosterCLITests {
    func testExportStatusRoleAndDepartmentSuffix() throws {
        // ACADEMY_NOW is after the window: the 40 people who never started are all overdue.
        let overdue = try academy(["roster", "export", "--cycle", "c", "--status", "overdue,failed"])
        XCTAssertEqual(overdue.status, 0, overdue.err)
        // Data lines: the header and the people, not the closing `# academy audit head` line.
        func lines(_ csv: String) -> Int { csv.split(separator: "\r\n").filter { !$0.hasPrefix("# academy audit head") }.count }
        XCTAssertTrue(overdue.text.contains("\r\n# academy audit head seq="), overdue.text.suffix(200).description)
        XCTAssertEqual(lines(overdue.text), 41)
        let completed = try academy(["roster", "export", "--cycle", "c", "--status", "completed"])
        XCTAssertEqual(lines(completed.text), 1, "header only")
        let assistants = try academy(["roster", "export", "--cycle", "c", "--role", "assistant"])
        XCTAssertEqual(lines(assistants.text), 1)
        let suffix = try academy(["roster", "export", "--cycle", "c", "--department", "甲区", "--status", "not-completed"])
        XCTAssertEqual(suffix.status, 0, suffix.err)
        XCTAssertEqual(lines(suffix.text), 21)
        let bad = try academy(["roster", "export", "--cycle", "c", "--status", "late"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.err.contains("unknown status \"late\"") && bad.err.contains("not-completed"), bad.err)
    }

    func testAmbiguousDepartmentSuffixListsMatches() throws {
        let store = try SQLiteEducationStore(path: db)
        _ = try store.importStaff(
            [StaffInput(badge: "Q1", name: "孙", department: "示例省/他市/甲区", role: .officer, status: nil, line: 2)],
            markMissingInactive: false, source: "t", at: Date())
        let r = try academy(["roster", "summary", "--cycle", "c", "--department", "甲区"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.err.contains("示例省/示例市/甲区") && r.err.contains("示例省/他市/甲区"), r.err)
    }

    func testNamesOutsideGBK() throws {
        let store = try SQLiteEducationStore(path: db)
        _ = try store.importStaff(
            [StaffInput(badge: "P100", name: "王𠮷", department: "示例省/示例市/甲区", role: .officer, status: nil, line: 2)],
            markMissingInactive: false, source: "t", at: Date())
        let gb = try academy(["roster", "export", "--cycle", "c", "--encoding", "gb18030", "-o", "r.csv"])
        XCTAssertEqual(gb.status, 0, gb.err)
        XCTAssertTrue(gb.err.contains("warning: 1 rows hold characters outside GBK"), gb.err)
        XCTAssertTrue(gb.err.contains("P100 王𠮷"), gb.err)
        let gbk = try academy(["roster", "export", "--cycle", "c", "--encoding", "gbk", "-o", "k.csv"])
        XCTAssertEqual(gbk.status, 1)
        XCTAssertTrue(gbk.err.contains("U+20BB7") && gbk.err.contains("GBK"), gbk.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("k.csv").path))
        let utf8 = try academy(["roster", "export", "--cycle", "c", "--encoding", "utf8", "-o", "u.csv"])
        XCTAssertFalse(utf8.err.contains("GBK"), utf8.err)
    }

    func testSummaryWidthOption() throws {
        for width in [60, 80] {
            let r = try academy(["roster", "summary", "--cycle", "c", "--width", String(width)], lang: "zh-Hans")
            XCTAssertEqual(r.status, 0, r.err)
            for line in r.text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(DisplayWidth.of(String(line)), width, String(line))
            }
        }
        // Not a terminal: 80 columns.
        let plain = try academy(["roster", "summary", "--cycle", "c"])
        XCTAssertTrue(plain.text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        XCTAssertNotEqual(try academy(["roster", "summary", "--cycle", "c", "--width", "5"]).status, 0)
    }

    func testReportFieldsFromReportTomlAndEachDepartment() throws {
        try "unit = \"示例市城市管理局\"\ncontact = \"李明\"\n".write(
            to: dir.appendingPathComponent("report.toml"), atomically: true, encoding: .utf8)
        let r = try academy(["roster", "report", "--cycle", "c", "--phone", "025-1", "-o", "r.html"], lang: "zh-Hans")
        XCTAssertEqual(r.status, 0, r.err)
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("示例市城市管理局") && html.contains("李明") && html.contains("025-1"))
        let each = try academy(["roster", "report", "--cycle", "c", "--each-department", "3", "-o", "out/"], lang: "zh-Hans")
        XCTAssertEqual(each.status, 0, each.err)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path).sorted()
        XCTAssertEqual(files, ["1-乙区.html", "2-甲区.html", "index.html"], "乙 before 甲 by code point")
        let bad = try academy(["roster", "report", "--cycle", "c", "--level", "7", "-o", "x.html"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("--level 7"), bad.err)
        try "unit = 示例\n".write(to: dir.appendingPathComponent("report.toml"), atomically: true, encoding: .utf8)
        let badToml = try academy(["roster", "report", "--cycle", "c", "-o", "y.html"])
        XCTAssertEqual(badToml.status, 1)
        XCTAssertTrue(badToml.err.contains("report.toml:1:"), badToml.err)
    }

    func testCertificatesAndVerifyRefuseUnknownCodes() throws {
        let r = try academy(["roster", "certificates", "--cycle", "c", "-o", "certs.html"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.err.contains("0 certificates"), r.err)
        let v = try academy(["record", "verify", "0123-4567-89ab-cdef-0123"])
        XCTAssertEqual(v.status, 1)
        XCTAssertTrue(v.err.contains("INVALID"), v.err)
        XCTAssertNotEqual(try academy(["record", "verify"]).status, 0, "a code or --file")
    }

    func testLeadingDashValuesAndPastWindows() throws {
        let create = try academy([
            "cycle", "create", "old", "--title", "-补录", "--course", "c", "--blueprint", "b",
            "--opens", "2018-01-01", "--due", "2018-01-31", "--unchecked",
        ])
        XCTAssertEqual(create.status, 1, "the window ended before ACADEMY_NOW")
        XCTAssertTrue(create.err.contains("--allow-past"), create.err)
        let past = try academy([
            "cycle", "create", "old", "--title", "-补录", "--course", "c", "--blueprint", "b",
            "--opens", "2018-01-01", "--due", "2018-01-31", "--allow-past", "--unchecked",
        ])
        XCTAssertEqual(past.status, 0, past.err)
        let future = try academy([
            "cycle", "create", "new", "--title", "t", "--course", "c", "--blueprint", "b",
            "--opens", "2018-02-01", "--due", "2018-03-31", "--unchecked",
        ])
        XCTAssertEqual(future.status, 0, future.err)
        let exempt = try academy(["cycle", "exempt", "c", "--badge", "P001", "--reason", "-借调市局专班", "--by", "周建国"])
        XCTAssertEqual(exempt.status, 0, exempt.err)
        let store = try SQLiteEducationStore(path: db)
        XCTAssertEqual(try store.exemption(cycleID: "c", badge: "P001")?.reason, "-借调市局专班")
    }
}

extension RosterCLITests {
    func testCertificatesFileVerifiesAndAnEditedOneFails() throws {
        let seed = try academy(["dev", "seed", "--people", "60", "--lessons", "2", "--attempts", "3", "--cycle", "synthetic"])
        XCTAssertEqual(seed.status, 0, seed.err)
        let assume = ["--assume-lessons", "2", "--assume-max-attempts", "3"]
        let certs = try academy(["roster", "certificates", "--cycle", "synthetic", "-o", "certs.html"] + assume)
        XCTAssertEqual(certs.status, 0, certs.err)
        let file = dir.appendingPathComponent("certs.html")
        let html = try String(contentsOf: file, encoding: .utf8)
        let count = html.components(separatedBy: "<section class=\"cert\"").count - 1
        XCTAssertGreaterThan(count, 0, certs.err)
        let ok = try academy(["record", "verify", "--file", "certs.html"] + assume)
        XCTAssertEqual(ok.status, 0, ok.err)
        XCTAssertTrue(ok.text.contains("checked \(count): \(count) match, 0 do not"), ok.text)
        // Raise one printed score: that certificate no longer matches the record.
        let edited = html.replacingOccurrences(of: "<td data-k=\"score\">", with: "<td data-k=\"score\">9", options: [], range: html.range(of: "<td data-k=\"score\">"))
        try edited.write(to: dir.appendingPathComponent("edited.html"), atomically: true, encoding: .utf8)
        let bad = try academy(["record", "verify", "--file", "edited.html"] + assume)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("MISMATCH: Score reads \"9"), bad.err)
        XCTAssertTrue(bad.text.contains("\(count - 1) match, 1 do not"), bad.text)
        // One code typed by hand.
        let code = String(html.split(separator: "data-code=\"")[1].prefix(24))
        let one = try academy(["record", "verify", code] + assume)
        XCTAssertEqual(one.status, 0, one.err)
        XCTAssertTrue(one.text.hasPrefix("VALID"), one.text)
    }
}
