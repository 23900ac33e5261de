import Foundation
import Localization
import Records
import XCTest

@testable import Rosters

/// What `roster export`, `roster report|certificates` and `audit verify --against` do before they
/// write, tested without the binary.
final class MovedFromCLITests: XCTestCase {
    func testStatusFilterParsing() {
        let parsed = RosterStatusFilter.parse(["overdue, not-started", "exempt"])
        XCTAssertEqual(parsed.filters, [.overdue, .notStarted, .exempt])
        XCTAssertNil(parsed.unknown)
        XCTAssertEqual(RosterStatusFilter.parse(["passed,late", "nope"]).unknown, "late")
        XCTAssertEqual(RosterStatusFilter.parse([]).filters, [])
    }

    func testOutsideGBKScan() throws {
        XCTAssertNil(try OutsideGBK.scan(.array(Fixtures.rows)))
        var rows = Fixtures.rows
        rows[1].name = "𠮷"
        rows[3].department = "江苏省/䶮"
        for i in 0..<6 { rows.append(Fixtures.row("X\(i)", "䶮\(i)", "江苏省", .notStarted)) }
        let found = try XCTUnwrap(try OutsideGBK.scan(.array(rows)))
        XCTAssertEqual(found.count, 8)
        XCTAssertEqual(found.first.count, 5)
        XCTAssertEqual(found.first[0], OutsideGBK.Row(line: 3, badge: "A002", name: "𠮷"))
        XCTAssertEqual(found.first[1].line, 5)
        let en = found.warning(in: .en).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(en[0].hasPrefix("warning: 8 rows hold characters outside GBK"))
        XCTAssertEqual(en[1], "  row 3：A002 𠮷")
        XCTAssertEqual(en.count, 6)
        XCTAssertEqual(found.warning(in: .zhHans).split(separator: "\n")[1], "  第 3 行：A002 𠮷")
    }

    func testReportHeaderBesideTheDatabase() {
        XCTAssertEqual(ReportHeader.file(besideDatabase: "/srv/academy/academy.sqlite").path, "/srv/academy/report.toml")
    }

    func testRecordedHeads() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hash = String(repeating: "ab", count: 32)
        let anchors = dir.appendingPathComponent("anchors.txt")
        try Data("academy-anchor seq=4 sha256=\(hash) events=4 at=2026-01-01T00:00:00Z\n".utf8).write(to: anchors)
        let heads = try RecordedHeads.read(anchors.path)
        XCTAssertEqual(heads.map(\.seq), [4])
        XCTAssertEqual(heads.map(\.hash), [hash])
        func failure(_ path: String) -> BilingualText? {
            do {
                _ = try RecordedHeads.read(path)
                return nil
            } catch { return error.message }
        }
        let missing = dir.appendingPathComponent("missing").path
        XCTAssertEqual(failure(missing), BilingualText(zh: "\(missing)：文件不存在", en: "\(missing): no such file"))
        XCTAssertEqual(failure(dir.path)?.en, "\(dir.path): no such file")
        let empty = dir.appendingPathComponent("empty.txt")
        try Data("nothing here".utf8).write(to: empty)
        XCTAssertEqual(
            failure(empty.path)?.en,
            "\(empty.path): no recorded head found (expected a report, a roster export, audit head output or an audit anchor file)")
        let fifo = dir.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertEqual(failure(fifo)?.en, "\(fifo): not a regular file")
    }

    func testPrintedCertificatesInAFile() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("missing.html").path
        XCTAssertThrowsError(try CertificatesHTML.read(file: missing)) {
            guard case RosterError.unreadable(let path, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(path, missing)
        }
        let empty = dir.appendingPathComponent("empty.html")
        try Data("<html></html>".utf8).write(to: empty)
        XCTAssertThrowsError(try CertificatesHTML.read(file: empty.path)) {
            XCTAssertEqual(($0 as? CertificatesHTML.NoCertificate)?.message.en, "\(empty.path): no certificate found")
        }
        let one = dir.appendingPathComponent("one.html")
        try Data(#"<section class="cert" data-code="abcd-ef01"><td data-k="name">张三</td></section>"#.utf8).write(to: one)
        let printed = try CertificatesHTML.read(file: one.path)
        XCTAssertEqual(printed.map(\.code), ["abcd-ef01"])
        XCTAssertEqual(printed.first?.fields, ["name": "张三"])
    }
}
