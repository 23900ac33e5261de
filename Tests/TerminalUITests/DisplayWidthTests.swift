import Localization
import Testing

@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test func pinnedCharacters() {
        #expect(DisplayWidth.of("中" as Character) == 2)
        #expect(DisplayWidth.of("ａ" as Character) == 2)  // U+FF41 full-width a
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x0301)!) == 0)  // combining acute
        #expect(DisplayWidth.of("e\u{0301}" as Character) == 1)
        #expect(DisplayWidth.of("😀" as Character) == 2)
        #expect(DisplayWidth.of("、" as Character) == 2)
        #expect(DisplayWidth.of("。" as Character) == 2)
        #expect(DisplayWidth.of("…" as Character) == 1)  // ambiguous → 1
        #expect(DisplayWidth.of("\u{200B}" as Character) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x07)!) == 0)
        #expect(DisplayWidth.of("１" as Character) == 2)
        #expect(DisplayWidth.of("㊣" as Character) == 2)
    }

    @Test func stringWidths() {
        #expect("城市管理执法".displayWidth == 12)
        #expect("第 3/30 题".displayWidth == 10)
        #expect("ABC中文".displayWidth == 7)
        #expect("".displayWidth == 0)
    }

    @Test func truncateIsExact() {
        #expect(TextLayout.truncate("城市管理执法人员", width: 8) == "城市管 …")
        // 7 columns: 3 wide chars = 6, ellipsis 1 → 7.
        #expect(TextLayout.truncate("城市管理执法人员", width: 7).displayWidth == 7)
        // 6 columns: 2 wide chars = 4, a wide char won't fit in the last column → pad.
        let t = TextLayout.truncate("城市管理执法人员", width: 6)
        #expect(t.displayWidth == 6)
        #expect(t == "城市 …")
        #expect(TextLayout.truncate("short", width: 10) == "short")
        #expect(TextLayout.truncate("abcdef", width: 4) == "abc…")
        for w in 1...20 {
            #expect(TextLayout.truncate("执法Law enforcement 规范", width: w).displayWidth <= w)
        }
    }
}

@Suite struct WrapTests {
    @Test func cjkBreaksAnywhereWithinWidth() {
        let lines = TextLayout.wrap("城市管理执法人员应当严格规范公正文明执法", width: 10)
        #expect(lines == ["城市管理执", "法人员应当", "严格规范公", "正文明执法"])
        for l in lines { #expect(l.displayWidth <= 10) }
    }

    @Test func latinWordsAreNotSplit() {
        let lines = TextLayout.wrap("use the academy study command", width: 12)
        #expect(lines == ["use the", "academy", "study", "command"])
    }

    @Test func mixedText() {
        let lines = TextLayout.wrap("执法人员须出示CMLE执法证件", width: 10)
        for l in lines { #expect(l.displayWidth <= 10) }
        #expect(lines.joined() == "执法人员须出示CMLE执法证件")
        #expect(lines.contains { $0.contains("CMLE") })
    }

    @Test func longWordIsSplit() {
        let lines = TextLayout.wrap("abcdefghijklmnop", width: 5)
        #expect(lines == ["abcde", "fghij", "klmno", "p"])
    }

    @Test func kinsokuNoLeadingPunctuation() {
        // Width 8 = 4 wide chars; the 5th char is '，' which must not start a line.
        let lines = TextLayout.wrap("一二三四，五六七八。", width: 8)
        for l in lines {
            #expect(l.displayWidth <= 8)
            if let f = l.first { #expect(!TextLayout.noLineStart.contains(f), "line starts with \(f): \(lines)") }
        }
        #expect(lines.joined() == "一二三四，五六七八。")
    }

    @Test func kinsokuNoTrailingOpenBracket() {
        let lines = TextLayout.wrap("一二三「四五」六", width: 8)
        for l in lines {
            if let last = l.last { #expect(!TextLayout.noLineEnd.contains(last), "\(lines)") }
        }
        #expect(lines.joined() == "一二三「四五」六")
    }

    @Test func hardBreaksAndEmptyLines() {
        #expect(TextLayout.wrap("甲\n\n乙", width: 10) == ["甲", "", "乙"])
    }

    @Test func exactFillAtWidth() {
        let s = String(repeating: "执", count: 40)
        let lines = TextLayout.wrap(s, width: 80)
        #expect(lines == [s])
        let odd = TextLayout.wrap(s, width: 41)
        #expect(odd.count == 2)
        #expect(odd[0].displayWidth == 40)
    }

    @Test func controlsAreRemoved() {
        #expect(TextLayout.wrap("a\u{1B}[2Jb", width: 10) == ["a[2Jb"])
    }
}

@Suite struct WrapPropertyTests {
    @Test func randomTextKeepsEveryCharacterWithinWidth() {
        var rng = SplitMix(seed: 7)
        let pieces = [
            "城市", "管理", "执法", "，", "。", "、", "（", "）", "「", "」", " ", "law", "enforcement",
            "ＡＢＣ", "123", "😀", "e\u{0301}", "supercalifragilistic", "　",
        ]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<(1 + Int(rng.next() % 40)) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let width = 2 + Int(rng.next() % 40)
            let lines = TextLayout.wrap(text, width: width)
            for l in lines { #expect(l.displayWidth <= width, "\(width): \(lines)") }
            let strip: (String) -> String = { $0.filter { $0 != " " && $0 != "\u{3000}" } }
            #expect(strip(lines.joined()) == strip(text), "\(width): \(text) → \(lines)")
        }
    }
}
