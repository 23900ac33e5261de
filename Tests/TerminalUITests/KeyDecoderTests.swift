import Testing

@testable import TerminalUI

@Suite struct KeyDecoderTests {
    func decode(_ chunks: [[UInt8]]) -> [Key] {
        var d = KeyDecoder()
        var keys: [Key] = []
        for c in chunks { keys += d.feed(c) }
        return keys + d.flushPending()
    }

    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func basicKeys() {
        #expect(decode([bytes("a1\r\t\u{7F}")]) == [.char("a"), .char("1"), .enter, .tab, .backspace])
        #expect(decode([[0x03, 0x01]]) == [.ctrl("c"), .ctrl("a")])
        #expect(decode([bytes("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D")]) == [.up, .down, .right, .left])
        #expect(
            decode([bytes("\u{1B}[5~\u{1B}[6~\u{1B}[H\u{1B}[F\u{1B}[1~\u{1B}[4~")])
                == [.pageUp, .pageDown, .home, .end, .home, .end])
        #expect(decode([bytes("\u{1B}OA\u{1B}[3~\u{1B}[Z")]) == [.up, .delete, .backTab])
    }

    @Test func utf8Text() {
        #expect(decode([bytes("中文ａ😀")]) == [.char("中"), .char("文"), .char("ａ"), .char("😀")])
    }

    @Test func splitAtEveryByte() {
        let input = bytes("中\u{1B}[5~x\u{1B}[200~粘贴\u{1B}[201~\u{1B}OB")
        let whole = decode([input])
        #expect(whole == [.char("中"), .pageUp, .char("x"), .paste("粘贴"), .down])
        // Split at every possible point: same result.
        for i in 1..<input.count {
            #expect(decode([Array(input[..<i]), Array(input[i...])]) == whole, "split at \(i)")
        }
        #expect(decode(input.map { [$0] }) == whole)
    }

    @Test func loneEscapeNeedsFlush() {
        var d = KeyDecoder()
        #expect(d.feed([0x1B]).isEmpty)
        #expect(d.pendingIsLoneEscape)
        #expect(d.flushPending() == [.escape])
        #expect(!d.hasPending)
        #expect(d.feed([0x1B, 0x1B, UInt8(ascii: "[")]) == [.escape])
        #expect(d.feed([UInt8(ascii: "A")]) == [.up])
    }

    @Test func pasteFlood() {
        var payload = ""
        for i in 0..<5000 { payload += "第\(i)题A1\u{1B}[D\r\n" }
        let input = bytes("\u{1B}[200~" + payload + "\u{1B}[201~q")
        var d = KeyDecoder()
        var keys: [Key] = []
        var i = 0
        while i < input.count {  // 4 KiB reads, as a terminal would deliver them
            let end = min(i + 4096, input.count)
            keys += d.feed(input[i..<end])
            i = end
        }
        #expect(keys.count == 2)
        guard case .paste(let text) = keys.first else { Issue.record("no paste"); return }
        #expect(!text.contains("\u{1B}"))
        #expect(text.utf8.count <= KeyDecoder.maxPasteBytes)
        #expect(text.hasPrefix("第0题A1[D\n"))
        #expect(keys.last == .char("q"))
    }

    @Test func unbracketedFloodIsJustKeys() {
        let input = [UInt8](repeating: UInt8(ascii: "1"), count: 20000)
        let keys = decode([input])
        #expect(keys.count == 20000)
    }

    @Test func garbageDoesNotStick() {
        #expect(decode([[0xFF, UInt8(ascii: "a")]]) == [.char("\u{FFFD}"), .char("a")])
        #expect(decode([[0xE4, UInt8(ascii: "a")]]) == [.char("\u{FFFD}"), .char("a")])
        #expect(decode([bytes("\u{1B}[99x") + bytes("b")]) == [.unknown, .char("b")])
    }
}
