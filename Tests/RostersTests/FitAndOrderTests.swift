import Foundation
import Localization
import Records
import Spreadsheets
import XCTest

@testable import Rosters

/// `roster summary` at a given width (issue 14 §1).
final class SummaryWidthTests: XCTestCase {
    /// 24 Chinese characters = 48 columns.
    static let longName = "示例市城市管理综合行政执法局东城区第一执法大队部"

    func rows() -> [RosterRow] {
        XCTAssertEqual(Self.longName.count, 24)
        return [
            Fixtures.row("A1", "甲", "市局/" + Self.longName + "/一中队", .completed(on: Fixtures.date("2018-02-01T00:00:00Z")), score: 90, passed: true),
            Fixtures.row("A2", "乙", "市局/" + Self.longName + "/二中队", .overdue),
            Fixtures.row("A3", "丙", "市局/二大队", .notStarted),
        ]
    }

    func check(width: Int, bar: Bool) {
        let text = SummaryText.render(RosterRollup(rows: rows()), context: Fixtures.context(), width: width)
        let lines = text.split(separator: "\n").map(String.init)
        for l in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(l), width, "\(width) columns: \(l)") }
        let dept = lines.first { $0.contains("示例市") }!
        XCTAssertTrue(dept.contains("…"), "a long name is cut with …: \(dept)")
        XCTAssertEqual(lines.contains { $0.contains("█") }, bar, text)
        // Figures are never cut: every data line ends with the overdue count, numbers intact.
        let total = lines.first { $0.hasPrefix("合计") }!
        XCTAssertTrue(total.hasSuffix(" 1"), total)
        XCTAssertTrue(total.contains(" 3 "), total)
        XCTAssertTrue(total.contains("33.3%"), total)
        // Children indented under their parent, own name only.
        XCTAssertTrue(lines.contains { $0.hasPrefix("    一中队") }, text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  二大队") }, text)
        XCTAssertFalse(text.contains("市局/"), "no repeated full paths")
    }

    func testEightyColumns() { check(width: 80, bar: true) }
    func testSixtyColumnsDropsTheBar() { check(width: 60, bar: false) }

    func testWideTerminalKeepsFullNames() {
        let text = SummaryText.render(RosterRollup(rows: rows()), context: Fixtures.context(), width: 160)
        XCTAssertTrue(text.contains(Self.longName))
        XCTAssertTrue(text.contains("█"))
    }

    func testScopedRollupShowsOnlyTheSubtreeAndItsRoot() {
        let scoped = rows().filter { $0.department.hasPrefix("市局/二大队") }
        let r = RosterRollup(rows: scoped, scope: "市局/二大队")
        XCTAssertEqual(r.nodes.map(\.path), ["市局/二大队"])
        XCTAssertEqual(r.label(r.total, .zhHans).text, "二大队")
        let text = SummaryText.render(r, context: Fixtures.context(department: "市局/二大队"), width: 80)
        XCTAssertFalse(text.split(separator: "\n").contains { $0.hasPrefix("市局 ") || $0.hasPrefix("合计") }, text)
    }
}

/// One department order in every listing (issue 14 §3): staff list, roster rows in CSV, JSON
/// and XLSX, the report's lists and the summary.
final class OneOrderEverywhereTests: XCTestCase {
    func testNaturalOrderInEveryOutput() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteEducationStore(path: dir.appendingPathComponent("a.sqlite").path)
        // Inserted in code-point order, which is the wrong one: 十二 < 二 < 十 by code point.
        let units = ["大队/十二中队", "大队/十中队", "大队/二中队", "大队/一中队", "支队/10组", "支队/2组"]
        let expected = ["大队/一中队", "大队/二中队", "大队/十中队", "大队/十二中队", "支队/2组", "支队/10组"]
        _ = try store.importStaff(
            units.enumerated().map { i, u in
                StaffInput(badge: "B\(i)", name: "人\(i)", department: "市局/" + u, role: .officer, status: nil, line: i + 2)
            }, markMissingInactive: false, source: "t", at: Fixtures.date("2018-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "c", title: "t", courseID: "c", blueprintID: "b", departments: [], roles: [],
                opens: CalendarDay("2018-01-15")!, due: CalendarDay("2018-02-10")!, timeZoneID: "Asia/Shanghai"))
        let paths = expected.map { "市局/" + $0 }
        func order(_ text: String) -> [String] {
            paths.compactMap { p in text.range(of: p).map { (p, $0.lowerBound) } }.sorted { $0.1 < $1.1 }.map(\.0)
        }

        XCTAssertEqual(try store.staffList(department: nil).map(\.department), paths, "staff list")
        let loaded = try RosterService.load(
            store: store, cycleID: "c", department: nil,
            rule: CompletionRule(requiredItemIDs: ["l"], maxAttempts: 1, counting: .highest),
            now: Fixtures.date("2018-03-01T00:00:00Z"), language: .zhHans)
        XCTAssertEqual(try loaded.rows().map(\.department), paths, "roster rows")

        let csv = dir.appendingPathComponent("r.csv")
        try RosterService.export(loaded, format: .csv, to: .file(csv))
        XCTAssertEqual(order(try String(contentsOf: csv, encoding: .utf8)), paths, "CSV")
        let json = dir.appendingPathComponent("r.json")
        try RosterService.export(loaded, format: .json, to: .file(json))
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as! [String: Any]
        XCTAssertEqual((doc["rows"] as! [[String: Any]]).map { $0["department"] as! String }, paths, "JSON rows")
        let depts = (doc["departments"] as! [[String: Any]]).map { $0["path"] as! String }
        XCTAssertEqual(depts.filter(paths.contains), paths, "JSON departments")
        let xlsx = dir.appendingPathComponent("r.xlsx")
        try RosterService.export(loaded, format: .xlsx, to: .file(xlsx))
        let (status, out) = try Fixtures.python(
            """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print("\\n".join(str(r[2]) for r in wb["名册"].iter_rows(min_row=2, values_only=True)))
            print("\\n".join(str(r[11]) for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[11]))
            """, args: [xlsx.path])
        XCTAssertEqual(status, 0, out)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(6)), paths, "XLSX 名册")
        XCTAssertEqual(lines.dropFirst(6).filter(paths.contains), paths, "XLSX 汇总")

        // Everyone is overdue (now is after the window): the report's 附件1 lists them all.
        let html = try RosterReport.html(.init(source: loaded.source, rollup: try loaded.rollup(), context: loaded.context))
        let annex = String(html[html.range(of: "附件1")!.lowerBound...])
        XCTAssertEqual(order(annex), paths, "report lists")
        let summary = SummaryText.render(try loaded.rollup(), context: loaded.context, width: 100)
        let names = summary.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .compactMap { l in ["一中队", "二中队", "十中队", "十二中队", "2组", "10组"].first { l.hasPrefix($0 + " ") } }
        XCTAssertEqual(names, ["一中队", "二中队", "十中队", "十二中队", "2组", "10组"], summary)
    }
}

/// `--department` by unique suffix, `--status`, `--role` (issue 14 §3).
final class FilterTests: XCTestCase {
    let known = ["市局", "市局/东城区大队", "市局/东城区大队/一中队", "市局/西城区大队", "市局/西城区大队/一中队"]

    func testSuffixResolvesToTheUniquePath() throws {
        XCTAssertEqual(try RosterService.resolveDepartment("东城区大队", known: known, cycleID: "c"), "市局/东城区大队")
        XCTAssertEqual(try RosterService.resolveDepartment("东城区大队/一中队/", known: known, cycleID: "c"), "市局/东城区大队/一中队")
        XCTAssertEqual(try RosterService.resolveDepartment("市局/西城区大队", known: known, cycleID: "c"), "市局/西城区大队")
        XCTAssertNil(try RosterService.resolveDepartment("  ", known: known, cycleID: "c"))
        // Whole components only: "城区大队" is not a suffix of a component boundary.
        XCTAssertEqual(try RosterService.resolveDepartment("城区大队", known: known, cycleID: "c"), "城区大队")
    }

    func testAmbiguousSuffixListsTheMatches() {
        XCTAssertThrowsError(try RosterService.resolveDepartment("一中队", known: known, cycleID: "c")) { error in
            XCTAssertEqual(
                error as? RosterError, .ambiguousDepartment("一中队", matches: ["市局/东城区大队/一中队", "市局/西城区大队/一中队"]))
            let text = (error as! RosterError).message.zh
            XCTAssertTrue(text.contains("市局/东城区大队/一中队") && text.contains("市局/西城区大队/一中队"), text)
        }
    }

    func testStatusAndRoleFilters() {
        var rows = Fixtures.rows
        rows[1].role = .assistant
        let overdue = RosterService.filter(rows, statuses: [.overdue], roles: [])
        XCTAssertEqual(overdue.map(\.badge), ["A002"])
        let notDone = RosterService.filter(rows, statuses: [.notCompleted], roles: [])
        XCTAssertEqual(notDone.map(\.badge), ["A002", "A003", "A005", "A006"])
        XCTAssertEqual(RosterService.filter(rows, statuses: [], roles: [.assistant]).map(\.badge), ["A002"])
        XCTAssertEqual(RosterService.filter(rows, statuses: [.failed, .exempt], roles: [.officer]).map(\.badge), ["A003", "A004"])
    }
}

final class ReportHeaderTests: XCTestCase {
    func testParsesTheThreeKeysWithCommentsAndEscapes() throws {
        let h = try ReportHeader.parse(
            "# 填报信息\nunit = \"示例市城市管理局\"\ncontact = \"李明\"  # 科长\nphone = \"025-1234\\\"5678\"\n", path: "report.toml")
        XCTAssertEqual(h, ReportHeader(unit: "示例市城市管理局", contact: "李明", phone: "025-1234\"5678"))
        XCTAssertEqual(ReportHeader(unit: "A").overriding(h), ReportHeader(unit: "A", contact: "李明", phone: "025-1234\"5678"))
    }

    func testErrorsNameFileAndLine() {
        for (text, needle) in [("unit = 示例", "quoted"), ("\n\nfax = \"1\"", "fax"), ("unit \"x\"", "key = ")] {
            XCTAssertThrowsError(try ReportHeader.parse(text, path: "/d/report.toml")) { e in
                let m = (e as! RosterError).message.en
                XCTAssertTrue(m.hasPrefix("/d/report.toml:"), m)
                XCTAssertTrue(m.contains(needle), m)
            }
        }
        XCTAssertThrowsError(try ReportHeader.parse("\n\nfax = \"1\"", path: "r.toml")) { e in
            XCTAssertTrue((e as! RosterError).message.en.hasPrefix("r.toml:3:"))
        }
    }

    /// A report.toml saved with Windows line ends (CRLF) reads the same, and errors still name
    /// the right line.
    func testWindowsLineEnds() throws {
        let h = try ReportHeader.parse("# 填报信息\r\nunit = \"示例市城市管理局\"\r\n\r\nphone = \"025-1234\"\r\n", path: "r.toml")
        XCTAssertEqual(h, ReportHeader(unit: "示例市城市管理局", phone: "025-1234"))
        XCTAssertThrowsError(try ReportHeader.parse("unit = \"A\"\r\n\r\nfax = \"1\"\r\n", path: "r.toml")) { e in
            XCTAssertTrue((e as! RosterError).message.en.hasPrefix("r.toml:3:"), (e as! RosterError).message.en)
        }
    }
}
