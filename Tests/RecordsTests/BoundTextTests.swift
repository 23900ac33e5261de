import Foundation
import GRDB
import GRDBSQLite
import XCTest

@testable import Records

/// The text bound to a SQLite statement is copied once into blocks the statement keeps
/// (`BoundText`), bound without SQLite copying it again, and reused after each run.
final class BoundTextTests: XCTestCase {
    func testCopiesStayPutUntilResetAndARoundNeedsNoMoreBlocksTheSecondTime() {
        let text = BoundText()
        func round() -> [(UnsafeRawPointer, [UInt8])] {
            var copies: [(UnsafeRawPointer, [UInt8])] = []
            for i in 0..<400 {  // about 20 KiB: several 4 KiB blocks
                let bytes = Array("值\(i)-".utf8) + [UInt8](repeating: UInt8(65 + i % 26), count: i % 60)
                copies.append((bytes.withUnsafeBytes { text.copy($0) }, bytes))
            }
            let large = [UInt8](repeating: 7, count: 10_000)  // larger than a block
            copies.append((large.withUnsafeBytes { text.copy($0) }, large))
            let empty: [UInt8] = []
            copies.append((empty.withUnsafeBytes { text.copy($0) }, empty))
            return copies
        }
        for (p, bytes) in round() {
            XCTAssertEqual(Array(UnsafeRawBufferPointer(start: p, count: bytes.count)), bytes)
        }
        let blocks = text.blockCount
        XCTAssertGreaterThan(blocks, 1)
        for _ in 0..<5 {
            text.reset()
            for (p, bytes) in round() {
                XCTAssertEqual(Array(UnsafeRawBufferPointer(start: p, count: bytes.count)), bytes)
            }
        }
        XCTAssertEqual(text.blockCount, blocks, "the same rounds reuse the same blocks")
    }

    /// Through a statement: values bound, run, bound again with others (shorter, empty, NULL)
    /// are stored exactly, and the bindings do not outlive the run.
    func testAStatementStoresEachRunsOwnText() throws {
        let values: [String?] = ["一二三四五六七八九十" + String(repeating: "x", count: 5_000), "短", "", nil, "\\N\t末"]
        let stored: [String?] = try DatabaseQueue().write { db in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, s TEXT)")
            let insert = try RawStatement(db, sql: "INSERT INTO t (n, s) VALUES (?, ?)")
            for (i, v) in values.enumerated() {
                insert.bind(1, Int64(i))
                insert.bind(2, v)
                try insert.run()
            }
            // The bindings are cleared after a run: stepping again stores NULLs, not stale text.
            try insert.run()
            return try String?.fetchAll(db, sql: "SELECT s FROM t ORDER BY rowid")
        }
        XCTAssertEqual(stored, values + [nil])
    }
}
