import Localization

/// Text layout by display width: wrapping and truncation.
public enum TextLayout {
    /// Characters that should not begin a line (行首禁则).
    public static let noLineStart: Set<Character> = [
        "、", "。", "，", "．", "：", "；", "？", "！", "）", "」", "』", "】", "〕", "〉", "》", "”", "’",
        "…", "‥", "・", "々", "〜", "ー", "％", ",", ".", ":", ";", "?", "!", ")", "]", "}", "%",
    ]
    /// Characters that should not end a line (行尾禁则).
    public static let noLineEnd: Set<Character> = [
        "（", "「", "『", "【", "〔", "〈", "《", "“", "‘", "(", "[", "{",
    ]

    /// Removes controls (and ESC sequences' lead byte) so content can never move the cursor.
    public static func sanitize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if c == "\t" { out += "    "; continue }
            if let a = c.asciiValue, a < 0x20 || a == 0x7F { continue }
            if c.unicodeScalars.count == 1, let s = c.unicodeScalars.first,
                (0x80...0x9F).contains(s.value)
            {
                continue
            }
            out.append(c)
        }
        return out
    }

    /// Truncates `text` to at most `width` columns; when it does not fit, the result ends with
    /// `ellipsis` and is exactly `width` columns (a wide character that would overflow is
    /// replaced by padding so the width is exact).
    public static func truncate(_ text: String, width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if text.displayWidth <= width { return text }
        let ew = ellipsis.displayWidth
        guard ew <= width else { return String(repeating: ".", count: width) }
        var out = ""
        var used = 0
        for c in text {
            let w = DisplayWidth.of(c)
            if used + w > width - ew { break }
            out.append(c)
            used += w
        }
        if used < width - ew { out += String(repeating: " ", count: width - ew - used) }
        return out + ellipsis
    }

    /// Pads with spaces (or truncates) to exactly `width` columns.
    public static func pad(_ text: String, width: Int) -> String {
        let w = text.displayWidth
        if w > width { return truncate(text, width: width) }
        return text + String(repeating: " ", count: width - w)
    }

    private enum TokenKind { case space, word, wide }
    private struct Token {
        var text: String
        var width: Int
        var kind: TokenKind
    }

    private static func tokenize(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        var wordWidth = 0
        func flushWord() {
            if !word.isEmpty { tokens.append(Token(text: word, width: wordWidth, kind: .word)) }
            word = ""
            wordWidth = 0
        }
        for c in line {
            let w = DisplayWidth.of(c)
            if c == " " || c == "\u{3000}" {
                flushWord()
                tokens.append(Token(text: String(c), width: w, kind: .space))
            } else if w == 2 || noLineStart.contains(c) && !c.isASCII || noLineEnd.contains(c) && !c.isASCII {
                flushWord()
                tokens.append(Token(text: String(c), width: w, kind: .wide))
            } else if w == 0 && word.isEmpty, var last = tokens.popLast() {
                // A combining mark after a wide char stays with it.
                last.text.append(c)
                tokens.append(last)
            } else {
                word.append(c)
                wordWidth += w
            }
        }
        flushWord()
        return tokens
    }

    /// Wraps text to lines of at most `width` columns. Hard line breaks are kept; Latin words
    /// are not split unless longer than a line; CJK breaks between any two characters; a line
    /// does not start with closing punctuation such as 、。，）」 nor end with an opening one
    /// when a nearby break avoids it. Trailing spaces at a break are dropped.
    public static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 2)
        var result: [String] = []
        for raw in sanitizeKeepingNewlines(text).split(separator: "\n", omittingEmptySubsequences: false) {
            result += wrapLine(String(raw), width: width)
        }
        return result
    }

    private static func sanitizeKeepingNewlines(_ text: String) -> String {
        text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false)
            .map { sanitize(String($0)) }.joined(separator: "\n")
    }

    private static func wrapLine(_ line: String, width: Int) -> [String] {
        let tokens = tokenize(line)
        if tokens.isEmpty { return [""] }
        var lines: [[Token]] = []
        var current: [Token] = []
        var used = 0

        func trimmedWidth(_ ts: [Token]) -> Int { ts.reduce(0) { $0 + $1.width } }
        func newLine() {
            while let last = current.last, last.kind == .space { current.removeLast() }
            lines.append(current)
            current = []
            used = 0
        }

        var i = 0
        while i < tokens.count {
            var tok = tokens[i]
            if tok.kind == .space && current.isEmpty && !lines.isEmpty {
                i += 1  // no leading space on a continuation line
                continue
            }
            if used + tok.width <= width {
                current.append(tok)
                used += tok.width
                i += 1
                continue
            }
            if tok.kind == .space {
                newLine()
                i += 1
                continue
            }
            if tok.kind == .word && tok.width > width {
                // Split an over-long word by characters, filling the current line first.
                var piece = ""
                var pw = 0
                var rest = Substring(tok.text)
                while let c = rest.first {
                    let w = DisplayWidth.of(c)
                    if used + pw + w > width { break }
                    piece.append(c)
                    pw += w
                    rest = rest.dropFirst()
                }
                if !piece.isEmpty { current.append(Token(text: piece, width: pw, kind: .word)) }
                newLine()
                tok = Token(text: String(rest), width: DisplayWidth.of(rest), kind: .word)
                var copy = tokens
                copy[i] = tok
                return lines.map { $0.map(\.text).joined() } + wrapLineTokens(Array(copy[i...]), width: width)
            }
            // Kinsoku: a closing mark must not start the next line: carry the previous
            // character over with it (when the line has something else to keep).
            if tok.kind == .wide, let first = tok.text.first, noLineStart.contains(first),
                current.count > 1, let last = current.last, last.kind != .space
            {
                current.removeLast()
                newLine()
                current = [last]
                used = last.width
                continue
            }
            // An opening mark must not end a line: move it down with the next token.
            if let last = current.last, let lc = last.text.last, noLineEnd.contains(lc), current.count > 1 {
                current.removeLast()
                newLine()
                current = [last]
                used = last.width
                continue
            }
            newLine()
        }
        if !current.isEmpty || lines.isEmpty { newLine() }
        _ = trimmedWidth
        return lines.map { $0.map(\.text).joined() }
    }

    private static func wrapLineTokens(_ tokens: [Token], width: Int) -> [String] {
        wrapLine(tokens.map(\.text).joined(), width: width)
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self {
            if c == "\r\n" || c == "\r" { out.append("\n") } else { out.append(c) }
        }
        return out
    }
}
