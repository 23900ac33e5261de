import Foundation
import Records
import Spreadsheets
import XCTest

@testable import Rosters

/// Issue 11 §4: exports, the summary and the report stream the roster. A source that makes rows
/// on demand records, when it hands out its last row, how many bytes the output has already
/// received: a writer that gathered the rows first would have written (almost) nothing by then.
final class RosterStreamingTests: XCTestCase {
    /// Counts what reached it; `bytesAtLastRow` is read by the source.
    final class CountingSink: ByteSink {
        var bytes = 0
        func write(_ b: UnsafeRawBufferPointer) throws { bytes += b.count }
    }

    /// `n` rows made one at a time (never held together), in department order; on the last one
    /// the sink's count so far is noted. `passes` counts the store reads a writer makes.
    final class LazyRoster: @unchecked Sendable {
        let n: Int
        let sink: CountingSink?
        var bytesAtLastRow = -1
        var passes = 0
        init(n: Int, sink: CountingSink?) {
            self.n = n
            self.sink = sink
        }
        var rows: RosterRows {
            RosterRows { [self] subtree, body in
                passes += 1
                for i in 0..<n {
                    let dept = "省/市\(i * 10 / n)"
                    if let subtree, dept != subtree, !dept.hasPrefix(subtree + "/") { continue }
                    if i == n - 1 { bytesAtLastRow = sink?.bytes ?? -1 }
                    try body(
                        Fixtures.row(
                            String(format: "P%07d", i), "姓名\(i)", dept, i % 3 == 0 ? .overdue : .notStarted))
                }
            }
        }
    }

    let n = 50_000

    func testCSVIsWrittenWhileTheRowsStream() throws {
        let sink = CountingSink()
        let lazy = LazyRoster(n: n, sink: sink)
        let written = try RosterExport.writeCSV(lazy.rows, context: Fixtures.context(), to: sink, destinationName: "x")
        XCTAssertEqual(written, n)
        XCTAssertEqual(lazy.passes, 1)
        XCTAssertGreaterThan(lazy.bytesAtLastRow, sink.bytes * 9 / 10, "the CSV must be out before the last row is made")
    }

    func testJSONIsWrittenWhileTheRowsStream() throws {
        let sink = CountingSink()
        let lazy = LazyRoster(n: n, sink: sink)
        let rollup = try RosterRollup(lazy.rows)
        XCTAssertEqual(rollup.total.headcount, n)
        let before = lazy.passes
        try RosterExport.writeJSON(lazy.rows, rollup: rollup, context: Fixtures.context(), to: sink)
        XCTAssertEqual(lazy.passes, before + 1)
        XCTAssertGreaterThan(lazy.bytesAtLastRow, sink.bytes * 9 / 10)
    }

    func testStreamedJSONEqualsTheWholeDocument() throws {
        let rows = Fixtures.rows
        let whole = try RosterExport.json(rows, rollup: RosterRollup(rows: rows), context: Fixtures.context())
        let sink = MemorySink()
        try RosterExport.writeJSON(.array(rows), rollup: RosterRollup(rows: rows), context: Fixtures.context(), to: sink)
        XCTAssertEqual(
            try JSONSerialization.jsonObject(with: Data(sink.bytes)) as? NSDictionary,
            try JSONSerialization.jsonObject(with: whole) as? NSDictionary)
        let empty = MemorySink()
        try RosterExport.writeJSON(.array([]), rollup: RosterRollup(rows: []), context: Fixtures.context(), to: empty)
        let doc = try JSONSerialization.jsonObject(with: Data(empty.bytes)) as? [String: Any]
        XCTAssertEqual((doc?["rows"] as? [Any])?.count, 0)
    }

    func testReportAnnexesAreWrittenWhileTheRowsStream() throws {
        let sink = CountingSink()
        let lazy = LazyRoster(n: n, sink: sink)
        let rollup = try RosterRollup(lazy.rows)
        try RosterReport.write(.init(source: lazy.rows, rollup: rollup, context: Fixtures.context()), to: sink)
        // Annex 1 lists the overdue third: its rows are out before its pass ends.
        XCTAssertGreaterThan(lazy.bytesAtLastRow, 0)
        XCTAssertGreaterThan(sink.bytes, 100 * n / 3)
    }

    func testXLSXRosterSheetStreamsToItsBodyFile() throws {
        let dir = try Fixtures.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("r.xlsx")
        // The sheet's body is a file in a private directory beside the target; on the last row
        // it must already hold most of the rows.
        final class BodySize: @unchecked Sendable { var atLastRow = 0 }
        let size = BodySize()
        let n = self.n
        let rows = RosterRows { _, body in
            for i in 0..<n {
                if i == n - 1 { size.atLastRow = Self.bytesUnder(dir) }
                try body(Fixtures.row(String(format: "P%07d", i), "姓名\(i)", "省/市\(i * 10 / n)", .notStarted))
            }
        }
        XCTAssertEqual(try RosterExport.writeXLSX(rows, context: Fixtures.context(), to: url), n)
        XCTAssertGreaterThan(size.atLastRow, 50 * n, "the roster sheet's rows reach its body file as they come")
        XCTAssertEqual(try SpreadsheetReader.read(contentsOf: url).rows.count, n + 1, "header and rows")
    }

    static func bytesUnder(_ dir: URL) -> Int {
        var total = 0
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.fileSizeKey, .isHiddenKey], options: [])
        while let u = e?.nextObject() as? URL { total += (try? u.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0 }
        return total
    }

    func testEachDepartmentNarrowsTheSourceAndReRootsTheRollup() throws {
        let rows = DepartmentOrder.sorted(Fixtures.rows, department: \.department, badge: \.badge)
        let whole = RosterRollup(rows: rows)
        for node in whole.nodes.dropFirst() {
            let sub = rows.filter { $0.department == node.path || $0.department.hasPrefix(node.path + "/") }
            XCTAssertEqual(whole.subtree(at: node.path), RosterRollup(rows: sub, scope: node.path), node.path)
            XCTAssertEqual(try RosterRows.array(rows).narrowed(to: node.path).collect(), sub)
        }
    }

    func testStreamedRollupEqualsTheArrayOne() throws {
        let lazy = LazyRoster(n: 2_000, sink: nil)
        let rows = try lazy.rows.collect()
        XCTAssertEqual(try RosterRollup(lazy.rows, scope: "省"), RosterRollup(rows: rows, scope: "省"))
    }
}
