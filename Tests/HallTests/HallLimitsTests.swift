import Foundation
import XCTest

@testable import Hall
import Records

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile and broken clients: each costs bounded memory and never disturbs other sessions.
final class HallLimitsTests: XCTestCase {
    /// A raw TCP connection to the hall.
    func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { throw NSError(domain: "connect", code: Int(errno)) }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Reads until the peer closes (true) or `timeout` passes (false).
    func closedByPeer(_ fd: Int32, within timeout: TimeInterval) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        var buf = [UInt8](repeating: 0, count: 4096)
        while Date() < end {
            let n = recv(fd, &buf, buf.count, 0)
            if n == 0 { return true }
            if n < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return true }
        }
        return false
    }

    func assertOthersUndisturbed(_ h: HallHarness, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try h.ssh("1002", code: "CCCC-DDDD", extra: ["-T"], stdin: "ping\nbye\n")
        XCTAssertTrue(r.stdout.contains("GOT: ping"), r.stdout + r.stderr, file: file, line: line)
    }

    func testConnectionLimit() throws {
        let h = try HallHarness { $0.maxConnections = 2 }
        // Each descriptor is closed once: a second close could hit a number the hall has reused
        // for a socket of its own in this process (NIO then fails its epoll_ctl and traps).
        var a = try connect(h.port), b = try connect(h.port)
        defer {
            if a >= 0 { close(a) }
            if b >= 0 { close(b) }
        }
        Thread.sleep(forTimeInterval: 0.3)
        let c = try connect(h.port)
        defer { close(c) }
        XCTAssertTrue(closedByPeer(c, within: 5), "the connection over the limit is closed at once")
        XCTAssertTrue(h.events("refused").contains { $0.contains("connection limit") })
        close(a)
        close(b)
        (a, b) = (-1, -1)
        Thread.sleep(forTimeInterval: 0.3)
        try assertOthersUndisturbed(h)
    }

    func testHalfOpenConnectionTimesOut() throws {
        let h = try HallHarness { $0.handshakeTimeout = 1 }
        let fd = try connect(h.port)
        defer { close(fd) }
        XCTAssertTrue(closedByPeer(fd, within: 5))
        XCTAssertEqual(h.events("handshake_timeout").count, 1)
    }

    func testGarbageInsteadOfTheBannerIsDropped() throws {
        let h = try HallHarness()
        // An HTTP request, then a megabyte without a newline, then binary noise.
        for payload in [
            Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), [UInt8](repeating: 0x41, count: 1 << 20),
            (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) },
        ] {
            let fd = try connect(h.port)
            defer { close(fd) }
            _ = payload.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            XCTAssertTrue(closedByPeer(fd, within: 10))
        }
        let end = Date().addingTimeInterval(5)
        while h.server.connectionCount > 0, Date() < end { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(h.server.connectionCount, 0)
        XCTAssertEqual(h.events("connection_error").count, 3, h.logLines.all.joined(separator: "\n"))
        try assertOthersUndisturbed(h)
    }

    func testPasteFloodIsBoundedAndOthersUndisturbed() throws {
        let h = try HallHarness { $0.limits.inputBurst = 16 * 1024; $0.limits.inputBytesPerSecond = 4096 }
        // 4 MB of typing arrives as fast as loopback carries it; then a line that should still work.
        let flood = String(repeating: "a", count: 4 << 20) + "\nafter\nbye\n"
        let started = Date()
        let r = try h.ssh("1001", code: "AAAA-BBBB", extra: ["-T"], stdin: flood, timeout: 60)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        // Most of the flood was dropped at the session's door.
        let longest = h.frontEnd.lines.map(\.count).max() ?? 0
        XCTAssertLessThan(longest, 64 * 1024)
        try assertOthersUndisturbed(h)
    }

    func testClientThatNeverReadsIsClosedAndOthersUndisturbed() throws {
        let h = try HallHarness { $0.limits.maxBufferedOutput = 128 * 1024; $0.limits.stallSeconds = 2 }
        // ssh whose standard output nobody reads: after its pipe and windows fill, it stops reading.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tools.path("sshpass"))
        p.arguments = ["-p", "AAAA-BBBB", try Tools.path("ssh")] + h.sshArguments("1001", extra: ["-T"])
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        input.fileHandleForWriting.write(Data("flood 500000000\n".utf8))
        let end = Date().addingTimeInterval(30)
        while Date() < end, !h.events("session_end").contains(where: { $0.contains("stalled") }) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(h.events("session_end").contains { $0.contains("\"reason\":\"stalled\"") }, h.logLines.all.joined(separator: "\n"))
        try assertOthersUndisturbed(h)
    }

    /// swift-nio-ssh 0.15.1 cannot parse an x11-req, so it cannot be refused with a channel
    /// failure: the connection that sends one is dropped. Only that one: an officer already in
    /// the middle of a session keeps typing and getting answers, and new logins still work.
    func testX11RequestDropsOnlyItsOwnConnection() throws {
        let h = try HallHarness()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tools.path("sshpass"))
        p.arguments = ["-p", "AAAA-BBBB", try Tools.path("ssh")] + h.sshArguments("1001", extra: ["-T"])
        let outPath = h.dir.appendingPathComponent("live.out")
        _ = FileManager.default.createFile(atPath: outPath.path, contents: nil)
        let out = try FileHandle(forWritingTo: outPath)
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        func output() -> String { String(decoding: (try? Data(contentsOf: outPath)) ?? Data(), as: UTF8.self) }
        func waitFor(_ text: String) -> Bool {
            let end = Date().addingTimeInterval(20)
            while Date() < end {
                if output().contains(text) { return true }
                usleep(20_000)
            }
            return false
        }
        input.fileHandleForWriting.write(Data("before\n".utf8))
        XCTAssertTrue(waitFor("GOT: before"), output())

        for flag in ["-X", "-Y"] {
            // With DISPLAY set the OpenSSH client sends x11-req (with fake cookies when there is no xauth).
            let x = try h.ssh("1002", code: "CCCC-DDDD", extra: ["-T", flag], stdin: "bye\n", env: ["DISPLAY": ":0"])
            XCTAssertNotEqual(x.status, 0, flag)
            XCTAssertFalse(x.stdout.contains("HELLO"), "\(flag): \(x.stdout)")
        }
        XCTAssertEqual(h.frontEnd.shells, ["1001"], "no X11 session reached the front end")
        let errors = h.events("connection_error")
        XCTAssertEqual(errors.count, 2, h.logLines.all.joined(separator: "\n"))
        XCTAssertTrue(errors.allSatisfy { $0.contains("x11-req?") }, errors.joined(separator: "\n"))

        // The officer who was already connected is undisturbed, and so is a new login.
        input.fileHandleForWriting.write(Data("after\n".utf8))
        XCTAssertTrue(waitFor("GOT: after"), output())
        try assertOthersUndisturbed(h)
        input.fileHandleForWriting.write(Data("bye\n".utf8))
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }
}
