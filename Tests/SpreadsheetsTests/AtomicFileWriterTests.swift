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
            for _ in 0..<10_000 { try out.write("0123456789") }  // crosses the buffer several times
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

@Suite struct InterruptCleanupTests {
    func registered(_ path: String) -> Bool {
        TemporaryFiles.lock.lock()
        defer { TemporaryFiles.lock.unlock() }
        for i in 0..<TemporaryFiles.capacity {
            if let p = TemporaryFiles.paths[i], String(cString: p) == path { return true }
        }
        return false
    }

    @Test func temporaryFilesAreRegisteredUntilCommitOrAbort() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let w = try AtomicFileWriter(destination: dir.file("a.csv"))
        #expect(registered(w.temporaryURL.path))
        try w.commit()
        #expect(!registered(w.temporaryURL.path))
        let w2 = try AtomicFileWriter(destination: dir.file("b.csv"))
        w2.abort()
        #expect(!registered(w2.temporaryURL.path))

        let x = try XLSXWriter(destination: dir.file("c.xlsx"))
        _ = try x.addSheet(named: "S")
        #expect(registered(x.workDirectory.path))
        #expect(registered(x.workDirectory.appendingPathComponent("sheet1.body").path))
        try x.finish()
        #expect(!registered(x.workDirectory.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted() == ["a.csv", "c.xlsx"])
    }

    @Test func signalRemovesPendingFilesInAChildProcess() throws {
        // A forked child registers its own files, installs the handler and sends itself SIGTERM;
        // only the child's registrations exist in its copy of the table... but the parent's
        // entries are copied too, so the child clears them first.
        let dir = try TempDir(); defer { dir.cleanup() }
        let file = dir.file(".x.tmp-test")
        let sub = dir.file(".x.tmp-dir")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: false)
        let inner = sub.appendingPathComponent("body")
        FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
        FileManager.default.createFile(atPath: inner.path, contents: Data("y".utf8))
        InterruptCleanup.install()  // initializes the tables in the parent (no signal is sent here)
        // Prepare everything before fork: the child must not allocate or take locks.
        let a = strdup(sub.path), b = strdup(file.path), c = strdup(inner.path)
        defer { free(a); free(b); free(c) }
        let pid = fork()
        if pid == 0 {
            for i in 0..<TemporaryFiles.capacity { TemporaryFiles.paths[i] = nil }
            TemporaryFiles.paths[0] = a; TemporaryFiles.isDirectory[0] = true
            TemporaryFiles.paths[1] = b; TemporaryFiles.isDirectory[1] = false
            TemporaryFiles.paths[2] = c; TemporaryFiles.isDirectory[2] = false
            // The test runner's threads may block signals; the mask is inherited by the child.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            raise(SIGTERM)
            _exit(0)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        // Killed by SIGTERM (the previous, default, action ran after the cleanup).
        #expect(status & 0x7F == SIGTERM)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(!FileManager.default.fileExists(atPath: sub.path))
    }
}
