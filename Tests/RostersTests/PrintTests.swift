import Foundation
import Records
import XCTest

@testable import Rosters

/// Printed pages, measured: the report through headless Chromium, the workbook through
/// LibreOffice, both to PDF with poppler's pdfinfo/pdftotext (scripts/install-deps.sh --test
/// installs chromium, libreoffice-calc and poppler-utils; a missing tool fails the test).
final class PrintTests: XCTestCase {
    static func run(_ tool: String, _ args: [String], timeout: TimeInterval = 300) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func pages(_ pdf: URL) throws -> Int {
        let (status, out) = try run("pdfinfo", [pdf.path])
        XCTAssertEqual(status, 0, "pdfinfo (poppler-utils) must be installed")
        let line = out.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? -1
    }

    static func pageText(_ pdf: URL, _ page: Int) throws -> String {
        try run("pdftotext", ["-f", String(page), "-l", String(page), "-layout", pdf.path, "-"]).1
    }

    /// 2,000 people in 6 大队 of 9–10 中队 each (56 中队); 1,900 overdue.
    static func bureau() -> [RosterRow] {
        let chinese = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        var units: [String] = []
        for d in 0..<6 {
            for z in 0..<(d < 2 ? 10 : 9) { units.append("示例市城管局/\(chinese[d])大队/\(chinese[z])中队") }
        }
        return (0..<2000).map { i in
            let status: CycleStatus = i % 20 == 0 ? .completed(on: Fixtures.date("2018-02-01T00:00:00Z")) : .overdue
            var r = Fixtures.row(String(format: "SL%05d", i), "姓名\(i)", units[i % units.count], status)
            if case .completed = status { r.countingScore = 88; r.maxScore = 100; r.passed = true }
            return r
        }
    }

    func testReportKeepsTheSignatureOnTheFirstPagesWith1900Overdue() throws {
        let rows = DepartmentOrder.sorted(Self.bureau(), department: \.department, badge: \.badge)
        XCTAssertEqual(rows.filter { if case .overdue = $0.status { true } else { false } }.count, 1900)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = try RosterReport.html(
            .init(
                rows: rows, rollup: RosterRollup(rows: rows), context: Fixtures.context(),
                header: ReportHeader(unit: "示例市城市管理局", contact: "李明", phone: "025-12345678"), level: 2))
        let file = dir.appendingPathComponent("report.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let pdf = dir.appendingPathComponent("report.pdf")
        let (status, _) = try Self.run(
            "chromium", ["--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", file.absoluteString])
        XCTAssertEqual(status, 0, "chromium must be installed (scripts/install-deps.sh --test)")
        let pages = try Self.pages(pdf)
        XCTAssertGreaterThan(pages, 20)
        let signaturePage = try (1...3).first { try Self.pageText(pdf, $0).contains("负责人（签字）") }
        XCTAssertNotNil(signaturePage, "the signature block is on page 1, 2 or 3")
        XCTAssertLessThanOrEqual(signaturePage ?? 99, 2, "signature on page 1 or 2")
        print("report, 2,000 people, 1,900 overdue: \(pages) pages, signature on page \(signaturePage ?? -1)")
        let first = try Self.pageText(pdf, 1)
        XCTAssertTrue(first.contains("第 1 页 共 \(pages) 页"), "page numbers: \(first.suffix(200))")
        XCTAssertTrue(first.contains("示例市城市管理局") && first.contains("025-12345678"))
        // Narrow headers are whole words on one line (no 已学课/程).
        XCTAssertFalse(try Self.pageText(pdf, 3).contains("课\n"))
        let last = try Self.pageText(pdf, pages)
        XCTAssertTrue(last.contains("第 \(pages) 页 共 \(pages) 页"))
    }

    func testWorkbookPrintsInAFewDozenPagesWithTheHeaderOnEveryPage() throws {
        let rows = DepartmentOrder.sorted(Self.bureau(), department: \.department, badge: \.badge)
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("roster.xlsx")
        try RosterExport.writeXLSX(rows, rollup: RosterRollup(rows: rows), context: Fixtures.context(), to: xlsx)
        let (status, _) = try Self.run(
            "soffice", ["-env:UserInstallation=file://\(dir.path)/lo", "--headless", "--convert-to", "pdf", "--outdir", dir.path, xlsx.path])
        XCTAssertEqual(status, 0, "soffice (libreoffice-calc) must be installed (scripts/install-deps.sh --test)")
        let pdf = dir.appendingPathComponent("roster.pdf")
        let pages = try Self.pages(pdf)
        XCTAssertGreaterThanOrEqual(pages, 20, "2,000 rows")
        XCTAssertLessThanOrEqual(pages, 60, "a few dozen pages, not 195")
        print("workbook, 2,000 people in 56 中队: \(pages) pages through LibreOffice")
        let (_, info) = try Self.run("pdfinfo", ["-f", "1", "-l", "1", pdf.path])
        XCTAssertTrue(info.contains("841.89 x 595.3"), "A4 landscape: \(info)")
        for page in [1, 2, pages / 2] {
            let text = try Self.pageText(pdf, page)
            XCTAssertTrue(text.contains("执法证号") && text.contains("姓名"), "header repeated on page \(page)")
            XCTAssertTrue(text.contains("第 \(page) 页"), "page number on page \(page)")
        }
        XCTAssertTrue(try Self.pageText(pdf, pages).contains("合计"), "the 汇总 sheet ends with its total")
        // Fit to one page wide: the last column's header is on the first page.
        XCTAssertTrue(try Self.pageText(pdf, 1).contains("双随机抽查"))
    }
}
