import Foundation
import TestSupport
import XCTest

@testable import Records

/// A fresh store, with a small staff list and one open cycle. The backend is the one the run
/// selects (`ACADEMY_TEST_BACKEND=postgres` runs the same tests on a fresh PostgreSQL database),
/// unless a test that works on the SQLite file itself pins `.sqlite`.
final class StoreFixture {
    enum Backend { case selected, sqlite, postgres }

    let dir: URL
    /// The SQLite file (also set, unused, when the store is on PostgreSQL).
    let path: String
    let store: any EducationStore
    /// The PostgreSQL URL when the store is on PostgreSQL.
    let url: String?
    static let utc = TimeZone(identifier: "UTC")!

    init(backend: Backend = .selected, file: StaticString = #filePath, line: UInt = #line) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("academy.sqlite").path
        if backend == .postgres || (backend == .selected && TestPostgres.selected) {
            let url = try TestPostgres.freshDatabase(prefix: "records")
            self.url = url
            store = try PostgresEducationStore(url: url)
        } else {
            url = nil
            store = try SQLiteEducationStore(path: path)
        }
    }

    /// The store as SQLite, for tests pinned to `.sqlite`.
    var sqliteStore: SQLiteEducationStore { store as! SQLiteEducationStore }

    deinit { try? FileManager.default.removeItem(at: dir) }

    static let department = "示例省/示例市/示例区/城市管理综合行政执法大队"

    static func staff(
        _ badge: String, _ name: String, dept: String = department, role: StaffRole = .officer,
        status: StaffStatus? = nil, line: Int = 2
    ) -> StaffInput {
        StaffInput(badge: badge, name: name, department: dept, role: role, status: status, line: line)
    }

    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)!
    }

    @discardableResult
    func seedStaff() throws -> StaffImportSummary {
        try store.importStaff(
            [
                Self.staff("A001", "张三", line: 2),
                Self.staff("A002", "李四", dept: Self.department + "/一中队", line: 3),
                Self.staff("A003", "王五", role: .assistant, line: 4),
                Self.staff("B001", "赵六", dept: "示例省/示例市/另一区/执法大队", line: 5),
            ], markMissingInactive: false, source: "staff.csv", at: Self.date("2026-01-01T00:00:00Z"))
    }

    func seedCycle(id: String = "2026-spring", roles: [StaffRole] = [.officer]) throws {
        try store.createCycle(
            TrainingCycle(
                id: id, title: "2026年春节前全员培训", courseID: "course-1", blueprintID: "bp-1",
                departments: [Self.department], roles: roles,
                opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!,
                timeZoneID: "Asia/Shanghai", createdAt: Self.date("2026-01-05T00:00:00Z")))
    }

    func request(
        _ badge: String, cycle: String = "2026-spring", at: String = "2026-01-15T02:00:00Z",
        max: Int = 3, questions: [String] = ["q1", "q2"]
    ) -> AttemptRequest {
        AttemptRequest(
            badge: badge, cycleID: cycle, maxAttempts: max, blueprintID: "bp-1", blueprintVersion: 1,
            bankHash: "bankhash", seed: 42, paper: Data("{\"paper\":true}".utf8), questionIDs: questions,
            timeLimitSeconds: 1800, startedAt: Self.date(at))
    }

    /// Runs `sqlite3 path sql`; fails the test on a non-zero exit.
    func sqlite(_ sql: String, options: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = options + [path, sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, String(decoding: errData, as: UTF8.self), file: file, line: line)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
