import Foundation
import Localization
import TerminalUI
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal layer through a real pseudo-terminal, on `academy tui-demo` (no database).
@Suite(.serialized) struct PtyTerminalTests {
    @Test func quitRestoresTerminal() throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        #expect(!s.pty.isCooked)
        #expect(s.screen.onAlternateScreen)
        s.type("q")
        try s.waitFor("暂时离开考试")
        s.type("y")
        #expect(try s.exitCode() == 0)
        #expect(s.pty.isCooked)
        #expect(!s.screen.onAlternateScreen)
        #expect(s.screen.cursorVisible)
        #expect(s.outputText.contains("LEFT 0"))
    }

    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func signalRestoresTerminal(sig: Int32) throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        #expect(!s.pty.isCooked)
        s.pty.signal(sig)
        #expect(try s.exitCode() == 128 + sig)
        #expect(s.pty.isCooked, "termios not restored after signal \(sig)")
        #expect(!s.screen.onAlternateScreen)
        #expect(s.screen.cursorVisible)
    }

    @Test(arguments: [SIGABRT, SIGSEGV])
    func crashSignalRestoresAndStillDies(sig: Int32) throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        s.pty.signal(sig)
        #expect(try s.exitCode() == 128 + sig)  // killed by the signal, not exited
        #expect(s.pty.isCooked, "termios not restored after signal \(sig)")
        #expect(!s.screen.onAlternateScreen)
    }

    @Test func ctrlCIsAKeyThatLeavesAfterConfirmation() throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        s.type([0x03])
        try s.waitFor("暂时离开考试")
        s.type([0x03])
        #expect(try s.exitCode() == 0)
        #expect(s.pty.isCooked)
        #expect(!s.screen.onAlternateScreen)
    }

    @Test func wholeDemoExamByKeystrokes() throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        s.type("A")
        try s.waitFor("(●) A. 执法证件")
        try s.waitFor("✓ 已保存")
        s.type("n")
        try s.waitFor("第 2/5 题")
        s.type("14")  // toggle A and D
        try s.waitFor("[✓] D. 吃拿卡要")
        s.type("4")  // toggle D off
        try s.waitFor("[ ] D. 吃拿卡要")
        s.type("2\u{1B}[C")  // B, then → next
        try s.waitFor("第 3/5 题")
        s.type("F")
        try s.waitFor("(●) F. 错误")
        s.type("m")  // flag (f means false on a true/false question)
        try s.waitFor("⚑ 已标记")
        s.type("n")
        try s.waitFor("第 4/5 题")
        s.type("\r")
        try s.waitFor("第 1 空：")
        s.type("严格规范x\u{7F}\r")
        try s.waitFor("第 2 空：")
        s.type("公正文明\r")
        try s.waitFor("第 2 空：公正文明")
        try s.waitFor("第 1 空：严格规范")
        s.type("g5\r")
        try s.waitFor("第 5/5 题")
        try s.waitFor("案例一")
        s.type("o")
        try s.waitFor("总览：已答 4  未答 1  标记 1")
        s.type("\u{1B}")
        try s.waitFor("第 5/5 题")
        s.type("s")
        try s.waitFor("还有 1 题未作答")
        s.type("n")
        try s.waitUntil("dialog closed") { !$0.contains("还有 1 题未作答") }
        s.type("B")
        try s.waitFor("(●) B. 错误")
        s.type("s")
        try s.waitFor("全部题目均已作答")
        s.type("y")
        try s.waitFor("成绩：5 / 5 分")
        s.type("q")
        #expect(try s.exitCode() == 0)
        #expect(s.outputText.contains("SUBMITTED 5"))
        #expect(s.pty.isCooked)
    }

    @Test func timeUpSubmitsAutomatically() throws {
        let s = try PtySession(["tui-demo", "--seconds", "5"])
        try s.waitFor("第 1/5 题")
        s.type("A")
        try s.waitFor("✓ 已保存")
        try s.waitFor("考试时间到，已按已保存的答案自动交卷", timeout: 10)
        try s.waitFor("成绩：1 / 5 分")
        s.type("q")
        #expect(try s.exitCode() == 0)
    }

    @Test func followsResizeAndRefusesTinyWindows() throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        s.resize(width: 120, height: 30)
        try s.waitUntil("countdown at the right edge of 120 columns") {
            $0.rowText(0).hasSuffix("剩余 29:59 ") || $0.rowText(0).hasSuffix("剩余 30:00 ")
        }
        s.resize(width: 39, height: 20)
        try s.waitFor("窗口太小")
        try s.waitFor("Window too small:")
        s.type("a")  // ignored: the question is not visible
        s.resize(width: 60, height: 9)
        try s.waitFor("now 60x9.")
        s.resize(width: 40, height: 10)
        try s.waitFor("第 1/5 题")
        for r in 0..<10 { #expect(s.screen.rowText(r).displayWidth == 40) }
        #expect(s.screen.contains("未作答"))
        s.resize(width: 80, height: 24)
        try s.waitUntil("footer at the bottom row") { $0.rowText(23).contains("q 离开") }
        s.pty.signal(SIGTERM)
        #expect(try s.exitCode() == 128 + SIGTERM)
    }

    @Test func pasteFloodIsHarmless() throws {
        let s = try PtySession(["tui-demo"])
        try s.waitFor("第 1/5 题")
        // A 200 KB bracketed paste, then 20 000 raw keys mixing answers and navigation.
        var paste = Array("\u{1B}[200~".utf8)
        for i in 0..<20000 { paste += Array("粘贴\(i)\r\n".utf8) }
        paste += Array("\u{1B}[201~".utf8)
        s.type(paste)
        var flood: [UInt8] = []
        for i in 0..<20000 { flood.append(i % 2 == 0 ? UInt8(ascii: "1") : UInt8(ascii: "2")) }
        s.type(flood)
        s.type("n")
        try s.waitFor("第 2/5 题", timeout: 30)
        s.type("p")
        try s.waitFor("(●) B. 工作证")
        try s.waitFor("✓ 已保存")
        s.type("q")
        try s.waitFor("暂时离开考试")
        s.type("y")
        #expect(try s.exitCode() == 0)
        #expect(s.outputText.contains("LEFT 1"))
        // Redraws are coalesced: far fewer bytes than one full frame per key.
        #expect(s.pty.output.count < 2_000_000)
    }

    @Test(arguments: [80, 41])
    func chineseAtTheEdgeOfTheWidth(width: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("academy-pty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // Text area is width − 2 columns: one stem exactly fills it with wide characters, one
        // is a column short, one has an odd-width Latin prefix.
        let inner = width - 2
        let exact = String(repeating: "执", count: inner / 2) + String(repeating: "法", count: inner / 2)
        let odd = "A" + String(repeating: "规", count: inner / 2) + "范，文明。"
        let file = dir.appendingPathComponent("stems.txt")
        try (exact + "\n" + odd + "\n").write(to: file, atomically: true, encoding: .utf8)
        let s = try PtySession(["tui-demo", "--stems", file.path], width: width, height: 24)
        try s.waitFor("第 1/2 题")
        for r in 0..<24 { #expect(s.screen.rowText(r).displayWidth == width, "row \(r): \(s.screen.rowText(r))") }
        #expect(s.screen.contains(String(repeating: "执", count: inner / 2)))
        #expect(s.screen.contains(String(repeating: "法", count: inner / 2)))
        s.type("n")
        try s.waitFor("第 2/2 题")
        let rows = (0..<24).map { s.screen.rowText($0) }
        for r in rows { #expect(r.displayWidth == width) }
        // The continuation line does not start with 「，」 and the text is complete.
        let stemRows = rows.filter { $0.contains("规") || $0.contains("文明") }
        #expect(stemRows.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("，") })
        let joined = stemRows.map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.contains(odd), "\(stemRows)")
        s.pty.signal(SIGHUP)
        #expect(try s.exitCode() == 128 + SIGHUP)
        #expect(s.pty.isCooked)
    }
}
