import Localization
/// A one-line text editor that counts display columns: a wide character is deleted whole by
/// Backspace and the cursor never lands inside it.
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    public var maxCharacters: Int

    public enum Outcome: Hashable, Sendable { case editing, commit, cancel }

    public init(text: String = "", maxCharacters: Int = 200) {
        characters = Array(text.prefix(maxCharacters))
        cursor = characters.count
        self.maxCharacters = maxCharacters
    }

    public var text: String { String(characters) }

    public mutating func insert(_ s: String) {
        for c in s {
            guard characters.count < maxCharacters else { return }
            if c == "\n" || c == "\r\n" || c == "\t" { insertChar(" "); continue }
            if let a = c.asciiValue, a < 0x20 || a == 0x7F { continue }
            insertChar(c)
        }
    }

    private mutating func insertChar(_ c: Character) {
        characters.insert(c, at: cursor)
        cursor += 1
        // Swift may merge a combining mark with the previous character.
        let merged = Array(String(characters))
        if merged.count != characters.count {
            cursor -= characters.count - merged.count
            characters = merged
        }
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .enter: return .commit
        case .escape: return .cancel
        case .char(let c): insert(String(c))
        case .paste(let s): insert(s)
        case .backspace, .ctrl("h"):
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .ctrl("u"): characters.removeFirst(cursor); cursor = 0
        case .ctrl("k"): characters.removeLast(characters.count - cursor)
        default: break
        }
        return .editing
    }

    /// The visible slice for a field `width` columns wide and the cursor's column within it.
    public func visible(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        // Scroll so the cursor stays inside the field, leaving a column for it at the end.
        var start = 0
        func cols(_ a: Int, _ b: Int) -> Int { characters[a..<b].reduce(0) { $0 + DisplayWidth.of($1) } }
        while start < cursor && cols(start, cursor) > width - 1 { start += 1 }
        var out = ""
        var used = 0
        var i = start
        while i < characters.count {
            let w = DisplayWidth.of(characters[i])
            if used + w > width { break }
            out.append(characters[i])
            used += w
            i += 1
        }
        return (out, cols(start, cursor))
    }
}
