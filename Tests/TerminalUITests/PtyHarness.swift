import Foundation
import TerminalUI
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A running `academy` on a pseudo-terminal plus the emulated screen it drew.
final class PtySession {
    let pty: PseudoTerminal
    var screen: VirtualScreen
    private var fed = 0

    init(_ arguments: [String], width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        let exe = try AcademyProcess.binaryURL().path
        pty = try PseudoTerminal(width: width, height: height)
        screen = VirtualScreen(width: width, height: height)
        var env = ["ACADEMY_LANG": "zh-Hans", "LANG": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        try pty.spawn(exe, arguments, environment: env)
    }

    private func sync() {
        if pty.output.count > fed {
            screen.feed(Array(pty.output[fed...]))
            fed = pty.output.count
        }
    }

    /// Waits until the visible screen contains `text`.
    func waitFor(_ text: String, timeout: Double = 15) throws {
        try pty.wait(for: "\"\(text)\" on screen:\n\(screen.text)", timeout: timeout) {
            sync()
            return screen.contains(text)
        }
    }

    func waitUntil(_ what: String, timeout: Double = 15, _ cond: @escaping (VirtualScreen) -> Bool) throws {
        try pty.wait(for: what, timeout: timeout) {
            sync()
            return cond(screen)
        }
    }

    func type(_ s: String) { pty.send(s) }
    func type(_ bytes: [UInt8]) { pty.send(bytes) }

    func resize(width: Int, height: Int) {
        pty.resize(width: width, height: height)
        screen.resize(width: width, height: height)
    }

    /// Waits for exit; returns the exit code (128 + signal when killed).
    func exitCode(timeout: Double = 15) throws -> Int32 {
        let st = try pty.waitForExit(timeout: timeout)
        sync()
        return PseudoTerminal.exitCode(st)
    }

    var outputText: String { String(decoding: pty.output, as: UTF8.self) }
}
