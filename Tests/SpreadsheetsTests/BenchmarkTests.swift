import Foundation
import Testing

@testable import Spreadsheets

/// Scale runs, off by default. `Benchmarks/spreadsheets.sh` runs them with SHEETS_BENCH_ROWS set
/// and prints one line per step: seconds and the growth of the process's peak RSS (VmHWM).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SHEETS_BENCH_ROWS"] != nil))
struct SpreadsheetsBenchmark {
    static var rows: Int { Int(ProcessInfo.processInfo.environment["SHEETS_BENCH_ROWS"] ?? "") ?? 100_000 }

    static func peakRSSKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
        }
        return -1
    }

    static func measure(_ label: String, _ body: () throws -> Void) rethrows {
        let before = peakRSSKiB()
        let start = Date()
        try body()
        let seconds = Date().timeIntervalSince(start)
        let after = peakRSSKiB()
        print(
            String(
                format: "BENCH %@: %.2f s, peak RSS %d MiB (grew %d MiB)", label, seconds, after / 1024, (after - before) / 1024))
    }

    static func row(_ i: Int, _ d: Date) -> [CellValue] {
        [
            .text(String(format: "NJ%07d", i)), .text(["张三", "欧阳修", "李四", "王五"][i % 4] + String(i % 97)),
            .text("江苏省/南京市/玄武区/城市管理综合行政执法大队/第\(i % 50)中队"), .text(i % 3 == 0 ? "协管人员" : "执法人员"),
            .text(i % 10 == 0 ? "逾期" : "已完成"), .integer(i % 8), .integer(8), .integer(1 + i % 3),
            .number(Double(60 + i % 41) + 0.5), .boolean(i % 7 != 0), .date(d.addingTimeInterval(Double(i))),
            .text(i % 25 == 0 ? "因公出差，经批准免考" : ""),
        ]
    }

    @Test func xlsxWriteAndReadBack() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("roster.xlsx")
        let n = Self.rows
        let d = Date(timeIntervalSince1970: 1_518_193_800)
        try Self.measure("xlsx write \(n)x12") {
            let w = try XLSXWriter(destination: url)
            let s = try w.addSheet(named: "名单")
            try s.writeHeader(["执法证号", "姓名", "所属部门", "人员类别", "状态", "已学课时", "总课时", "考试次数", "成绩", "通过", "完成日期", "免考原因"])
            for i in 0..<n { try s.writeRow(Self.row(i, d)) }
            let summary = try w.addSheet(named: "汇总")
            try summary.writeHeader(["部门", "人数"])
            try summary.writeRow([.text("玄武区"), .integer(n)])
            try w.finish()
        }
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        print("BENCH xlsx size: \(size / 1024) KiB")
        if let keep = ProcessInfo.processInfo.environment["SHEETS_BENCH_KEEP"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: url, to: URL(fileURLWithPath: keep))
        }
        try Self.measure("xlsx read \(n)x12") {
            let t = try SpreadsheetReader.read(contentsOf: url)
            #expect(t.rows.count == n + 1)
        }
    }

    @Test func csvWriteAndRead() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("roster.csv")
        let n = Self.rows
        let d = Date(timeIntervalSince1970: 1_518_193_800)
        let tz = TimeZone(identifier: "Asia/Shanghai")!
        try Self.measure("csv write \(n)x12 utf-8") {
            try AtomicFileWriter.write(to: url) { out in
                let w = try CSVWriter(sink: out, timeZone: tz)
                for i in 0..<n { try w.writeRow(Self.row(i, d)) }
                try w.finish()
            }
        }
        try Self.measure("csv read \(n)x12 utf-8") {
            let t = try SpreadsheetReader.read(contentsOf: url)
            #expect(t.rows.count == n)
        }
        try Self.measure("csv write \(n)x12 gb18030") {
            try AtomicFileWriter.write(to: url) { out in
                let w = try CSVWriter(sink: out, encoding: .gb18030, timeZone: tz)
                for i in 0..<n { try w.writeRow(Self.row(i, d)) }
                try w.finish()
            }
        }
        try Self.measure("csv read \(n)x12 gb18030") {
            let t = try SpreadsheetReader.read(contentsOf: url)
            #expect(t.rows.count == n)
            #expect(t.format == .csv(.gb18030))
        }
    }
}
