import Localization
import Testing

@testable import TerminalUI

@Suite struct ScreenBufferTests {
    @Test func wideCharsTakeTwoCells() {
        var b = ScreenBuffer(width: 10, height: 2)
        let end = b.put("中a文", row: 0, col: 0)
        #expect(end == 5)
        #expect(b[0, 0].text == "中")
        #expect(b[0, 1].isContinuation)
        #expect(b[0, 2].text == "a")
        #expect(b.rowText(0) == "中a文     ")
    }

    @Test func neverSplitAtRightEdge() {
        var b = ScreenBuffer(width: 5, height: 1)
        b.put("中文字", row: 0, col: 0)
        #expect(b.rowText(0) == "中文 ")
        #expect(!b[0, 4].isContinuation)
    }

    @Test func overwritingHalfOfWideChar() {
        var b = ScreenBuffer(width: 6, height: 1)
        b.put("中文", row: 0, col: 0)
        b.put("x", row: 0, col: 1)
        #expect(b.rowText(0) == " x文  ")
    }

    @Test func firstFrameIsFullThenDiffsOnly() {
        var r = DiffRenderer()
        var b = ScreenBuffer(width: 80, height: 24)
        b.put("第 1/30 题", row: 0, col: 0)
        let first = r.render(b)
        #expect(first.contains("\u{1B}[2J"))
        #expect(first.contains("第 1/30 题"))
        let same = r.render(b)
        #expect(!same.contains("题"))
        #expect(same.utf8.count < 20)
        b.put("2", row: 0, col: 2)
        let diff = r.render(b)
        #expect(diff.contains("\u{1B}[1;3H\u{1B}[0m2"))
        #expect(!diff.contains("\u{1B}[2J"))
        #expect(diff.utf8.count < 40)
    }

    @Test func diffReplayMatchesFrame() {
        // Replaying the renderer's output on the emulator yields the frame, frame after frame.
        var r = DiffRenderer()
        var screen = VirtualScreen(width: 80, height: 24)
        var b = ScreenBuffer(width: 80, height: 24)
        let texts = [
            "城市管理执法人员行为规范", "Academy 考试 第 3/30 题 剩余 12:34", "A. 出示执法证件",
            "全角ＡＢＣ与半角abc混排，句末。", String(repeating: "执", count: 40),
        ]
        for step in 0..<12 {
            b.clear()
            for (i, t) in texts.enumerated() {
                b.put(t, row: (i * 3 + step) % 24, col: (step * 7 + i) % 50, style: step % 2 == 0 ? [] : .reverse)
            }
            screen.feed(Array(r.render(b).utf8))
            for row in 0..<24 {
                #expect(screen.rowText(row) == b.rowText(row), "step \(step) row \(row)")
            }
        }
    }
}

@Suite struct DiffRendererFuzzTests {
    /// Random overlapping writes of mixed-width text, frame after frame: replaying only the diffs
    /// on the emulator always reproduces the frame exactly.
    @Test func randomFramesReplayExactly() {
        var rng = SplitMix(seed: 42)
        let pieces = ["执法", "a", "ＡＢ", "中文字", "xyz", "。", "e\u{0301}", "😀", " ", "規範化", "Law"]
        for (w, h) in [(80, 24), (41, 10), (40, 12)] {
            var r = DiffRenderer()
            var screen = VirtualScreen(width: w, height: h)
            var b = ScreenBuffer(width: w, height: h)
            for frame in 0..<60 {
                if frame % 7 == 0 { b.clear() }
                for _ in 0..<15 {
                    var text = ""
                    for _ in 0..<(1 + Int(rng.next() % 6)) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
                    let style: Style = rng.next() % 3 == 0 ? .reverse : []
                    b.put(text, row: Int(rng.next() % UInt64(h)), col: Int(rng.next() % UInt64(w)), style: style)
                }
                screen.feed(Array(r.render(b).utf8))
                for row in 0..<h {
                    // Buffer invariant: every continuation follows a wide lead and vice versa.
                    for x in 0..<w {
                        let wide = !b[row, x].isContinuation && DisplayWidth.of(b[row, x].text) == 2
                        #expect(wide == (x + 1 < w && b[row, x + 1].isContinuation), "lead at \(row),\(x)")
                        if b[row, x].isContinuation {
                            #expect(x > 0 && DisplayWidth.of(b[row, x - 1].text) == 2, "orphan at \(row),\(x)")
                        }
                    }
                    #expect(screen.rowText(row) == b.rowText(row), "\(w)x\(h) frame \(frame) row \(row)")
                }
            }
        }
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
