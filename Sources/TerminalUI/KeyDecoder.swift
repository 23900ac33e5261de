/// A key press (or paste) decoded from the terminal's byte stream.
public enum Key: Hashable, Sendable {
    /// Printable text, one grapheme at a time (may be CJK, full-width, emoji…).
    case char(Character)
    /// Ctrl plus a letter, lowercase: `.ctrl("c")` for Ctrl-C.
    case ctrl(Character)
    case enter, tab, backTab, backspace, delete, escape, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Text delivered by bracketed paste (ESC[200~ … ESC[201~), controls removed except
    /// newline. Capped at `KeyDecoder.maxPasteBytes`.
    case paste(String)
    /// A sequence the decoder does not know; ignored by screens.
    case unknown
}

/// Turns raw bytes from a terminal in raw mode into keys. Feed it whatever `read` returned:
/// UTF-8 sequences and escape sequences may be split across reads. A lone ESC is ambiguous
/// until more bytes come or a short timeout passes: call `flushPending()` then.
public struct KeyDecoder: Sendable {
    /// Paste text kept at most; the rest of a paste is consumed and dropped.
    public static let maxPasteBytes = 64 * 1024
    /// Longest escape sequence accepted before it is dropped as garbage.
    static let maxSequence = 32

    private enum State: Sendable {
        case ground
        case escape  // saw ESC
        case csi([UInt8])  // ESC [ params…
        case ss3  // ESC O
        case utf8([UInt8], Int)  // partial UTF-8, needed total length
        case paste
    }

    private var state: State = .ground
    private var pasteBytes: [UInt8] = []
    private var pasteTail: [UInt8] = []  // candidate end marker bytes
    private var pasteDropped = false

    public init() {}

    /// True while bytes are buffered waiting for the rest of a sequence.
    public var hasPending: Bool {
        if case .ground = state { return false }
        return true
    }

    /// True when the only thing pending is a lone ESC (the caller should flush after a timeout).
    public var pendingIsLoneEscape: Bool {
        if case .escape = state { return true }
        return false
    }

    public mutating func feed<S: Sequence>(_ bytes: S) -> [Key] where S.Element == UInt8 {
        var keys: [Key] = []
        for b in bytes { step(b, &keys) }
        return keys
    }

    /// Resolves whatever is pending as if no more bytes will come (a lone ESC becomes Escape;
    /// a truncated sequence is dropped). A paste in progress is kept open.
    public mutating func flushPending() -> [Key] {
        switch state {
        case .escape:
            state = .ground
            return [.escape]
        case .csi, .ss3:
            state = .ground
            return [.unknown]
        case .utf8:
            state = .ground
            return [.char("\u{FFFD}")]
        case .ground, .paste:
            return []
        }
    }

    private static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    private mutating func step(_ b: UInt8, _ keys: inout [Key]) {
        switch state {
        case .ground:
            ground(b, &keys)
        case .escape:
            if b == UInt8(ascii: "[") {
                state = .csi([])
            } else if b == UInt8(ascii: "O") {
                state = .ss3
            } else if b == 0x1B {
                keys.append(.escape)  // ESC ESC: first is a lone Escape
                state = .escape
            } else {
                // Alt+key: report Escape then the key itself.
                keys.append(.escape)
                state = .ground
                ground(b, &keys)
            }
        case .csi(var params):
            if (0x40...0x7E).contains(b) {
                state = .ground
                let key = Self.csiKey(params, final: b)
                if key == .paste("") {
                    state = .paste
                    pasteBytes = []
                    pasteTail = []
                    pasteDropped = false
                } else {
                    keys.append(key)
                }
            } else if (0x20...0x3F).contains(b) && params.count < Self.maxSequence {
                params.append(b)
                state = .csi(params)
            } else {
                state = .ground
                keys.append(.unknown)
                if b == 0x1B { state = .escape }
            }
        case .ss3:
            state = .ground
            switch b {
            case UInt8(ascii: "A"): keys.append(.up)
            case UInt8(ascii: "B"): keys.append(.down)
            case UInt8(ascii: "C"): keys.append(.right)
            case UInt8(ascii: "D"): keys.append(.left)
            case UInt8(ascii: "H"): keys.append(.home)
            case UInt8(ascii: "F"): keys.append(.end)
            case UInt8(ascii: "M"): keys.append(.enter)
            case UInt8(ascii: "P")...UInt8(ascii: "S"): keys.append(.function(Int(b) - 0x50 + 1))
            default: keys.append(.unknown)
            }
        case .utf8(var buf, let need):
            if b & 0xC0 == 0x80 {
                buf.append(b)
                if buf.count == need {
                    state = .ground
                    if let s = String(validating: buf, as: UTF8.self), let c = s.first {
                        keys.append(.char(c))
                    } else {
                        keys.append(.char("\u{FFFD}"))
                    }
                } else {
                    state = .utf8(buf, need)
                }
            } else {
                state = .ground
                keys.append(.char("\u{FFFD}"))
                ground(b, &keys)
            }
        case .paste:
            pasteStep(b, &keys)
        }
    }

    private mutating func pasteStep(_ b: UInt8, _ keys: inout [Key]) {
        let end = Self.pasteEnd
        if b == end[pasteTail.count] {
            pasteTail.append(b)
            if pasteTail.count == end.count {
                state = .ground
                let text = String(decoding: pasteBytes, as: UTF8.self)
                keys.append(.paste(Self.cleanPaste(text)))
                pasteBytes = []
                pasteTail = []
            }
            return
        }
        // Not the end marker after all: the held bytes are paste content.
        appendPaste(pasteTail)
        pasteTail = []
        if b == end[0] {
            pasteTail = [b]
        } else {
            appendPaste([b])
        }
    }

    private mutating func appendPaste(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if pasteBytes.count + bytes.count <= Self.maxPasteBytes {
            pasteBytes.append(contentsOf: bytes)
        } else {
            pasteDropped = true
        }
    }

    static func cleanPaste(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\r\n" || c == "\r" || c == "\n" { out.append("\n"); continue }
            if c == "\t" { out.append(" "); continue }
            if let a = c.asciiValue, a < 0x20 || a == 0x7F { continue }
            out.append(c)
        }
        return out
    }

    private mutating func ground(_ b: UInt8, _ keys: inout [Key]) {
        switch b {
        case 0x1B: state = .escape
        case 0x0D, 0x0A: keys.append(.enter)
        case 0x09: keys.append(.tab)
        case 0x7F, 0x08: keys.append(.backspace)
        case 0x00: keys.append(.unknown)
        case 0x01...0x1A: keys.append(.ctrl(Character(Unicode.Scalar(b + 0x60))))
        case 0x1C...0x1F: keys.append(.unknown)
        case 0x20...0x7E: keys.append(.char(Character(Unicode.Scalar(b))))
        case 0xC2...0xDF: state = .utf8([b], 2)
        case 0xE0...0xEF: state = .utf8([b], 3)
        case 0xF0...0xF4: state = .utf8([b], 4)
        default: keys.append(.char("\u{FFFD}"))
        }
    }

    private static func csiKey(_ params: [UInt8], final: UInt8) -> Key {
        let p = String(decoding: params, as: UTF8.self)
        let first = p.split(separator: ";").first.flatMap { Int($0) }
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return .right
        case UInt8(ascii: "D"): return .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "Z"): return .backTab
        case UInt8(ascii: "~"):
            switch first {
            case 1, 7: return .home
            case 4, 8: return .end
            case 2: return .insert
            case 3: return .delete
            case 5: return .pageUp
            case 6: return .pageDown
            case 200: return .paste("")  // start marker, handled by the caller
            case 11, 12, 13, 14, 15: return .function(first! - 10)
            case 17, 18, 19, 20, 21: return .function(first! - 11)
            case 23, 24: return .function(first! - 12)
            default: return .unknown
            }
        default: return .unknown
        }
    }
}
