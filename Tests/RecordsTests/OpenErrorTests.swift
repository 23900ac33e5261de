import Foundation
import TestSupport
import XCTest

@testable import Records

/// Files the store must refuse without writing a byte.
final class OpenErrorTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("records-open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func assertRefused(_ path: String, _ expected: (StoreError) -> Bool, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let before = try? Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SQLiteEducationStore(path: path), file: file, line: line) { error in
            guard let e = error as? StoreError else { return XCTFail("not a StoreError: \(error)", file: file, line: line) }
            XCTAssertTrue(expected(e), "\(e)", file: file, line: line)
            XCTAssertTrue(e.description.contains(path), file: file, line: line)
        }
        XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: path)), before, "the file changed", file: file, line: line)
        // A read-only look at a WAL database may leave an empty -wal beside it, never content.
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
        XCTAssertTrue(wal.isEmpty, "something was written to the WAL", file: file, line: line)
    }

    func testNotADatabase() throws {
        let path = dir.appendingPathComponent("notes.sqlite").path
        try Data("执法证号,姓名\nA1,张三\n".utf8).write(to: URL(fileURLWithPath: path))
        try assertRefused(path) { if case .notADatabase = $0 { true } else { false } }
    }

    func testCorruptDatabase() throws {
        let good = dir.appendingPathComponent("good.sqlite").path
        let store = try SQLiteEducationStore(path: good)
        try store.importStaff(
            (1...300).map { StoreFixture.staff("B\($0)", "姓名\($0)", line: $0 + 1) },
            markMissingInactive: false, source: "x", at: Date())
        try store.queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try store.queue.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        // Keep the header, scramble every page after the first.
        for i in 4096..<bytes.count { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let bad = dir.appendingPathComponent("bad.sqlite").path
        try bytes.write(to: URL(fileURLWithPath: bad))
        try assertRefused(bad) { if case .corrupt = $0 { true } else { false } }
    }

    func testUnreadableFile() throws {
        let path = dir.appendingPathComponent("locked.sqlite").path
        _ = try SQLiteEducationStore(path: path)
        chmod(path, 0)
        defer { chmod(path, 0o644) }
        guard getuid() == 0 else {
            XCTAssertThrowsError(try SQLiteEducationStore(path: path)) {
                guard case .unreadable? = $0 as? StoreError else { return XCTFail("\($0)") }
            }
            return
        }
        // Root reads every file: the command runs as `nobody` instead (CI runs as root).
        chmod(dir.path, 0o755)
        let r = try AcademyProcess.run(
            ["-u", "nobody", "--", try AcademyProcess.binaryURL().path, "--db", path, "staff", "list"],
            executable: URL(fileURLWithPath: "/usr/sbin/runuser"))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path): cannot read the database file (Permission denied); nothing was written"), r.stderr)
    }

    func testNewerSchemaIsRefused() throws {
        let path = dir.appendingPathComponent("newer.sqlite").path
        let store = try SQLiteEducationStore(path: path)
        try store.queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try store.queue.close()
        try assertRefused(path) {
            if case let .newerSchema(_, unknown) = $0 { unknown == ["v9-from-the-future"] } else { false }
        }
    }

    func testAnotherApplicationsDatabase() throws {
        let path = dir.appendingPathComponent("other.sqlite").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path, "CREATE TABLE contacts (id INTEGER); INSERT INTO contacts VALUES (1);"]
        try p.run()
        p.waitUntilExit()
        try assertRefused(path) { if case .foreignDatabase = $0 { true } else { false } }
    }

    func testEmptyFileBecomesADatabaseAndReopens() throws {
        let path = dir.appendingPathComponent("empty.sqlite").path
        FileManager.default.createFile(atPath: path, contents: Data())
        _ = try SQLiteEducationStore(path: path)
        let again = try SQLiteEducationStore(path: path)
        XCTAssertTrue(try again.verifyChain().isIntact)
        let mode = try again.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    func testMissingDirectory() {
        XCTAssertThrowsError(try SQLiteEducationStore(path: dir.appendingPathComponent("no/such/dir/a.sqlite").path)) {
            guard case .unreadable? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
    }
}
