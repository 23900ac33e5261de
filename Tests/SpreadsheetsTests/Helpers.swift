import Foundation
import Testing

@testable import Spreadsheets

/// A fresh directory under the system temp dir, removed by the caller with `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("sheets-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let u = file(name)
        try Data(bytes).write(to: u)
        return u
    }
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

func cells(_ t: SheetTable) -> [[String]] { t.rows.map(\.cells) }
func lines(_ t: SheetTable) -> [Int] { t.rows.map(\.line) }

func csv(_ text: String, source: String = "t.csv") throws -> SheetTable {
    try SpreadsheetReader.read(data: Data(text.utf8), source: source)
}

func csvError(_ bytes: [UInt8], source: String = "t.csv") -> SpreadsheetError? {
    do {
        _ = try SpreadsheetReader.read(data: Data(bytes), source: source)
        return nil
    } catch let e as SpreadsheetError {
        return e
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Runs a process and returns (status, stdout, stderr).
@discardableResult
func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    if let stdin {
        let inPipe = Pipe()
        p.standardInput = inPipe
        try p.run()
        inPipe.fileHandleForWriting.write(stdin)
        try inPipe.fileHandleForWriting.close()
    } else {
        try p.run()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// The python3 on PATH (tests that need openpyxl use it).
func python3() -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(dir)/python3"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
