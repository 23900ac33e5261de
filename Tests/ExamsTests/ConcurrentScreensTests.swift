import Courseware
import Exams
import Foundation
import Localization
import OfficerUI
import Records
import TerminalUI
import Testing

/// One exam screen over a `StreamTerminal`, its frames fed into a `VirtualScreen` that the test
/// reads from another thread.
final class ScreenHarness: @unchecked Sendable {
    private let lock = NSLock()
    private var screen: VirtualScreen
    private(set) var terminal: StreamTerminal!
    private(set) var bytesWritten = 0

    init(width: Int, height: Int) {
        screen = VirtualScreen(width: width, height: height)
        terminal = StreamTerminal(width: width, height: height) { [unowned self] bytes in
            lock.withLock {
                screen.feed(bytes)
                bytesWritten += bytes.count
            }
        }
    }

    var text: String { lock.withLock { screen.text } }
    var width: Int { lock.withLock { screen.width } }
    var onAlternateScreen: Bool { lock.withLock { screen.onAlternateScreen } }
    var cursorVisible: Bool { lock.withLock { screen.cursorVisible } }

    func type(_ s: String) { terminal.receive(Array(s.utf8)) }

    func resize(width: Int, height: Int) {
        lock.withLock { screen.resize(width: width, height: height) }
        terminal.resize(width: width, height: height)
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    func waitFor(_ s: String, timeout: TimeInterval = 60) throws {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if text.contains(s) { return }
            usleep(10_000)
        }
        throw Timeout(description: "waiting for \"\(s)\"; the screen shows:\n\(text)")
    }
}

/// Two or more exam screens in one process at once, each at its own size, in its own language,
/// on its own terminal: 50 officers sit whole papers concurrently through the real service,
/// store, session and screen, with no process and no tty.
@Suite struct ConcurrentScreensTests {
    @Test func fiftyConcurrentSessionsSitWholePapers() throws {
        let n = 50
        let f = try ServiceFixture(crowd: n)
        let clock = WallClock.fixed(f.clock.now)
        // Each sitting is handed to exactly one screen thread; the officer thread only types.
        struct Sitting: @unchecked Sendable {
            var exam: OpenExam
            var keys: [String]
            var language: Language
            var harness: ScreenHarness
        }
        var sittings: [Sitting] = []
        for i in 0..<n {
            let exam = try ExamService(store: f.store, content: f.content, clock: clock, drawSeed: { UInt64(i) })
                .open(badge: String(format: "C%03d", i), cycleID: nil)
            // The right key for each question, worked out before the screen owns the session.
            let keys = (0..<exam.session.count).map { k -> String in
                switch ServiceFixture.correctAnswer(exam.session, contentSet: f.contentSet, at: k) {
                case .options(let o): String(o[0] + 1)
                case .trueFalse(let b): b ? "T" : "F"
                case .blanks: "?"
                }
            }
            sittings.append(
                Sitting(
                    exam: exam, keys: keys, language: i % 2 == 0 ? .zhHans : .en,
                    harness: ScreenHarness(width: 60 + i % 40, height: 18 + i % 12)))
        }

        let endings = Locked<[Int: ExamFullScreen.Ending]>([:])
        let failures = Locked<[String]>([])
        let group = DispatchGroup()
        for (i, s) in sittings.enumerated() {
            group.enter()
            let screen = Thread {
                let e = ExamFullScreen.run(s.exam, on: s.harness.terminal, language: s.language, clock: clock)
                endings.mutate { $0[i] = e }
                group.leave()
            }
            screen.stackSize = 1 << 20
            screen.start()
            group.enter()
            let officer = Thread {
                defer { group.leave() }
                let zh = s.language == .zhHans
                let h = s.harness
                do {
                    for (k, key) in s.keys.enumerated() {
                        try h.waitFor(zh ? "第 \(k + 1)/\(s.keys.count) 题" : "Question \(k + 1)/\(s.keys.count)")
                        if k == 2 && i % 3 == 0 { h.resize(width: 100 - i % 30, height: 30 - i % 8) }
                        h.type(key)
                        try h.waitFor(zh ? "✓ 已保存" : "✓ Saved")
                        if k + 1 < s.keys.count { h.type("n") }
                    }
                    h.type("s")
                    try h.waitFor(zh ? "全部题目均已作答" : "All questions are answered")
                    h.type("y")
                    try h.waitFor(zh ? "成绩：30 / 30 分" : "Score: 30 / 30")
                    // Each screen speaks its own language, whatever its neighbours speak.
                    if h.text.contains(zh ? "Score" : "成绩") {
                        failures.mutate { $0.append("session \(i) mixes languages:\n\(h.text)") }
                    }
                    h.type("q")
                } catch {
                    failures.mutate { $0.append("session \(i): \(error)") }
                    h.terminal.terminate(signal: SIGTERM)
                }
            }
            officer.start()
        }
        #expect(group.wait(timeout: .now() + 300) == .success)
        #expect(failures.value.isEmpty, "\(failures.value.joined(separator: "\n"))")
        for (i, s) in sittings.enumerated() {
            let zh = s.language == .zhHans
            #expect(endings.value[i] == .submitted(summary: zh ? "已交卷：30/30 分，合格。" : "Submitted: 30/30, passed."), "session \(i)")
            // Each screen kept its own size: the resized ones at their new width, the others at theirs.
            #expect(s.harness.width == (i % 3 == 0 ? 100 - i % 30 : 60 + i % 40))
            // Full-screen mode was left: main screen back, cursor shown.
            #expect(!s.harness.onAlternateScreen && s.harness.cursorVisible, "session \(i)")
        }
        let attempts = try f.store.attempts(cycleID: "2026-spring")
        #expect(attempts.count == n)
        #expect(attempts.allSatisfy { $0.state == .submitted && $0.currentGrade?.score == 30 })
        #expect(try f.store.verifyChain().isIntact)
    }
}

/// A value shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
