import Foundation
import Localization
import Records
import XCTest

@testable import Rosters

enum Fixtures {
    static let utc = TimeZone(identifier: "UTC")!
    static func date(_ s: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: s)!
    }

    static let cycle = TrainingCycle(
        id: "2018-spring", title: "2018年春节前全员培训", courseID: "c", blueprintID: "b",
        departments: [], roles: [], opens: CalendarDay("2018-01-15")!, due: CalendarDay("2018-02-10")!,
        timeZoneID: "Asia/Shanghai", createdAt: date("2018-01-01T00:00:00Z"))

    static func context(language: Language = .zhHans, department: String? = nil) -> RosterContext {
        RosterContext(
            cycle: cycle, department: department, generatedAt: date("2018-02-11T02:00:00Z"),
            head: ChainHead(seq: 7, hash: String(repeating: "ab", count: 32), at: nil), language: language)
    }

    static func row(
        _ badge: String, _ name: String, _ dept: String, _ status: CycleStatus, score: Double? = nil,
        passed: Bool? = nil, completedAt: Date? = nil, exemption: String? = nil, spot: Bool = false
    ) -> RosterRow {
        RosterRow(
            badge: badge, name: name, department: dept, role: .officer, status: status,
            itemsDone: 2, itemsTotal: 4, attemptsUsed: score == nil ? 0 : 1, countingScore: score,
            maxScore: score == nil ? nil : 100, passed: passed, completedAt: completedAt,
            exemptionReason: exemption, spotChecked: spot)
    }

    /// Awkward values on purpose: commas, quotes, newlines, formula prefixes, CJK.
    static var rows: [RosterRow] {
        [
            row(
                "A001", "张三", "江苏省/南京市/玄武区", .completed(on: date("2018-02-01T03:00:00Z")), score: 90, passed: true,
                completedAt: date("2018-02-01T03:00:00Z")),
            row("A002", "李,四 \"小李\"", "江苏省/南京市/玄武区", .overdue, spot: true),
            row("A003", "=HYPERLINK(\"http://x\")", "江苏省/南京市/鼓楼区", .failed, score: 40, passed: false),
            row("A004", "+王五", "江苏省/南京市/鼓楼区", .exempt(reason: "病假,住院\n两周"), exemption: "病假,住院\n两周"),
            row("A005", "-赵六", "江苏省/苏州市", .studying(done: 2, total: 4), score: 70, passed: true),
            row("A006", "@钱七\r\n第二行", "江苏省/苏州市", .notStarted),
        ]
    }

    static func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("rosters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// Runs python3 with a script; returns (status, stdout+stderr).
    static func python(_ script: String, args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
