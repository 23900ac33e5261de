import Foundation
import TestSupport
import XCTest

@testable import Hall
import Records

#if canImport(Glibc)
    import Glibc
#endif

/// Sessions over a real pty: OpenSSH `ssh -tt` with a registered key, in a pseudo-terminal.
final class HallSessionTests: XCTestCase {
    /// Makes a key for `badge` and registers it.
    func registerKey(_ h: HallHarness, _ badge: String) throws -> String {
        let key = h.dir.appendingPathComponent("id_\(badge)").path
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: try Tools.path("ssh-keygen"))
        gen.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", key]
        try gen.run()
        gen.waitUntilExit()
        let pub = try OfficerPublicKey(text: String(contentsOfFile: key + ".pub", encoding: .utf8), file: key + ".pub")
        try h.store.addHallKey(HallKey(badge: badge, fingerprint: pub.fingerprint, publicKey: pub.line, addedAt: Date()))
        return key
    }

    func interactive(_ h: HallHarness, _ badge: String, key: String, width: Int = 100, height: Int = 30) throws -> PseudoTerminal {
        let pty = try PseudoTerminal(width: width, height: height)
        try pty.spawn(try Tools.path("ssh"), ["-tt"] + h.sshArguments(badge, key: key), environment: ["LANG": "C.UTF-8"])
        try pty.wait(for: "greeting", timeout: 20) { pty.text.contains("HELLO \(badge)") }
        return pty
    }

    func testPtySizeAndResize() throws {
        let h = try HallHarness()
        let key = try registerKey(h, "1001")
        let pty = try interactive(h, "1001", key: key, width: 100, height: 30)
        XCTAssertTrue(pty.text.contains("pty=true size=100x30"), pty.text)
        pty.resize(width: 60, height: 20)
        try pty.wait(for: "resize") { pty.text.contains("RESIZE 60x20") }
        pty.send("bye\r")
        XCTAssertEqual(PseudoTerminal.exitCode(try pty.waitForExit(timeout: 10)), 0)
    }

    func testSecondLoginTakesOver() throws {
        let h = try HallHarness()
        let key = try registerKey(h, "1001")
        let first = try interactive(h, "1001", key: key)
        first.send("one\r")
        try first.wait(for: "echo") { first.text.contains("GOT: one") }
        let second = try h.ssh("1001", code: "AAAA-BBBB", extra: ["-T"], stdin: "two\nbye\n")
        XCTAssertTrue(second.stdout.contains("GOT: two"), second.stdout + second.stderr)
        try first.wait(for: "takeover notice") { first.text.contains("您的账号已在另一处登录") }
        _ = try first.waitForExit(timeout: 10)
        XCTAssertEqual(h.events("takeover").count, 1)
        // The first session ended before the second began: their lines never interleave.
        XCTAssertEqual(h.frontEnd.lines, ["one", "two", "bye"])
    }

    func testIdleWarningThenClose() throws {
        let h = try HallHarness { $0.limits.idleWarnSeconds = 1; $0.limits.idleCloseSeconds = 3 }
        let key = try registerKey(h, "1001")
        let pty = try interactive(h, "1001", key: key)
        try pty.wait(for: "idle warning", timeout: 10) { pty.text.contains("NOTICE 提示：长时间无操作") }
        try pty.wait(for: "idle close", timeout: 10) { pty.text.contains("长时间无操作，连接已关闭") }
        _ = try pty.waitForExit(timeout: 10)
        XCTAssertTrue(h.events("session_end").contains { $0.contains("\"reason\":\"idle\"") })
    }

    func testGracefulStopTellsEveryoneAndEndsWithinFiveSeconds() throws {
        let h = try HallHarness()
        let k1 = try registerKey(h, "1001")
        let k2 = try registerKey(h, "1002")
        let a = try interactive(h, "1001", key: k1)
        let b = try PseudoTerminal(width: 80, height: 24)
        try b.spawn(try Tools.path("ssh"), ["-tt"] + h.sshArguments("1002", key: k2), environment: ["LANG": "en_US.UTF-8"])
        try b.wait(for: "greeting", timeout: 20) { b.text.contains("HELLO 1002") }
        let started = Date()
        h.server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        try a.wait(for: "closing notice (zh)") { a.text.contains("考场即将关闭。您的答案均已保存") }
        _ = try a.waitForExit(timeout: 5)
        _ = try b.waitForExit(timeout: 5)
        XCTAssertEqual(h.server.connectionCount, 0)
        XCTAssertTrue(try h.store.hallSessions().allSatisfy { $0.state != .connected })
    }

    func testKickEndsTheSessionThroughTheStore() throws {
        let h = try HallHarness()
        let key = try registerKey(h, "1001")
        let pty = try interactive(h, "1001", key: key)
        XCTAssertEqual(try h.store.hallSession(badge: "1001")?.state, .connected)
        XCTAssertTrue(try h.store.requestHallKick(badge: "1001", at: Date()))
        try pty.wait(for: "kick notice", timeout: 10) { pty.text.contains("监考员结束了您的连接") }
        _ = try pty.waitForExit(timeout: 10)
        XCTAssertEqual(try h.store.hallSession(badge: "1001")?.state, .kicked)
        XCTAssertFalse(try h.store.requestHallKick(badge: "1001", at: Date()), "nobody left to kick")
    }
}

extension PseudoTerminal {
    var text: String { String(decoding: output, as: UTF8.self) }
}
