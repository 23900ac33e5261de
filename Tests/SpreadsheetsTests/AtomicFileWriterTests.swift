import Foundation
import Testing
@testable import Spreadsheets

@Suite struct AtomicFileWriterTests {
    func contents(_ dir: TempDir) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
    }

    @Test func writesAndReplaces() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("roster.csv")
        try AtomicFileWriter.write(to: url) { try $0.write("first") }
        #expect(try String(contentsOf: url, encoding: .utf8) == "first")
        try AtomicFileWriter.write(to: url) { out in
            for _ in 0..<10_000 { try out.write("0123456789") }   // crosses the buffer several times
        }
        #expect(try Data(contentsOf: url).count == 100_000)
        #expect(try contents(dir) == ["roster.csv"])
    }

    @Test func errorInBodyLeavesOldFileAndNoTemp() throws {
        struct Boom: Error {}
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = try dir.write("roster.csv", "old content")
        #expect(throws: Boom.self) {
            try AtomicFileWriter.write(to: url) { out in
                try out.write(String(repeating: "x", count: 200_000))
                throw Boom()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old content")
        #expect(try contents(dir) == ["roster.csv"])
    }

    @Test func droppedWithoutCommitRemovesTemp() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        do {
            let w = try AtomicFileWriter(destination: dir.file("a.csv"))
            try w.write("partial")
            #expect(FileManager.default.fileExists(atPath: w.temporaryURL.path))
            #expect(w.temporaryURL.deletingLastPathComponent().path == dir.url.path)
        }
        #expect(try contents(dir) == [])
    }

    @Test func missingDirectoryIsAClearError() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        do {
            _ = try AtomicFileWriter(destination: dir.file("no/such/dir/out.csv"))
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .writeFailed)
            #expect(e.file.hasSuffix("out.csv"))
            #expect(e.english.contains("does not exist"))
        }
    }

    @Test func directoryInTheWay() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(at: dir.file("out.csv"), withIntermediateDirectories: false)
        #expect(throws: SpreadsheetError.self) { try AtomicFileWriter(destination: dir.file("out.csv")) }
    }

    @Test func unwritableDirectory() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let ro = dir.file("ro")
        try FileManager.default.createDirectory(at: ro, withIntermediateDirectories: false)
        chmod(ro.path, 0o555)
        defer { chmod(ro.path, 0o755) }
        // root ignores directory permissions; /proc is unwritable for everyone.
        let target = geteuid() == 0 ? URL(fileURLWithPath: "/proc/academy-test.csv") : ro.appendingPathComponent("out.csv")
        do {
            try AtomicFileWriter.write(to: target) { try $0.write("x") }
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .writeFailed)
            #expect(e.english.contains("cannot create a file"))
            #expect(!e.chinese.isEmpty)
        }
    }

    @Test func diskFullIsReportedAndOldFileKept() throws {
        // /dev/full is a device, so use a small tmpfs-less trick: write through a sink whose fd is /dev/full.
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let fd = open("/dev/full", O_WRONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let sink = FileDescriptorSink(fd: fd, name: "/dev/full")
        do {
            try sink.write("x")
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .writeFailed)
            #expect(e.english.contains("No space"))
            #expect(e.chinese.contains("磁盘空间不足"))
        }
    }

    @Test func permissionsFollowTheUmask() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let url = dir.file("p.csv")
        try AtomicFileWriter.write(to: url, permissions: 0o640) { try $0.write("x") }
        let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
        let mode = (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
        #expect(mode & 0o777 == 0o640 & ~0o022 || mode & 0o777 == 0o640)
    }
}
