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

    func testAuditVerifyAgainstRecordedHeads() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteEducationStore(path: dir.appendingPathComponent("a.sqlite").path)
        _ = try store.importStaff(
            [StaffInput(badge: "V1", name: "审", department: "示例省/示例市", role: .officer, status: nil, line: 2)],
            markMissingInactive: false, source: "t", at: Date())
        let head = try store.chainHead()
        let kept = dir.appendingPathComponent("kept.txt"), cut = dir.appendingPathComponent("cut.txt")
        try Data("academy-anchor seq=\(head.seq) sha256=\(head.hash) events=\(head.seq) at=2026-01-01T00:00:00Z\n".utf8).write(to: kept)
        let beyond = head.seq + 5
        try Data("academy-anchor seq=\(beyond) sha256=\(String(repeating: "cd", count: 32)) events=\(beyond) at=2026-01-01T00:00:00Z\n".utf8)
            .write(to: cut)
        var said: [(String, Bool)] = []
        let ok = try AuditVerify(against: [kept.path], chainOnly: false, integrityCheck: true).run(store) { said.append(($0.en, $1)) }
        XCTAssertTrue(ok)
        XCTAssertEqual(said.map(\.1), [false, false], "\(said)")
        XCTAssertTrue(said[0].0.hasSuffix("is in the chain"), said[0].0)
        said = []
        let truncated = try AuditVerify(against: [kept.path, cut.path], chainOnly: true, integrityCheck: true).run(store) {
            said.append(($0.en, $1))
        }
        XCTAssertFalse(truncated)
        XCTAssertEqual(said.map(\.1), [false, true], "the verdict on the cut head goes to stderr, and no final line")
        XCTAssertTrue(said[1].0.contains("truncated"), said[1].0)
        XCTAssertThrowsError(try AuditVerify(against: [dir.appendingPathComponent("none").path], chainOnly: false, integrityCheck: true))
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
