/// Terminal column widths from the generated East Asian Width table (`WidthTable.swift`,
/// produced by `scripts/gen-width-table.py`). Swift's Unicode properties carry no East Asian
/// width and glibc's `wcwidth` depends on the locale, so the table is the portable source.
public enum DisplayWidth {
    /// Columns a single scalar takes: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        if v < 0xA0 { return 0 }  // DEL and C1 controls
        if contains(WidthTable.zero, v) { return 0 }
        if contains(WidthTable.wide, v) { return 2 }
        return 1
    }

    /// Columns a grapheme cluster takes: the width of its first visible scalar, widened to 2
    /// by an emoji presentation selector (U+FE0F).
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        var w = 0
        for s in scalars {
            let sw = of(s)
            if sw > 0 { w = sw; break }
        }
        if w == 1, scalars.contains(where: { $0.value == 0xFE0F }) { w = 2 }
        return w
    }

    /// Columns a string takes.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        for c in text {
            if c.isASCII, let a = c.asciiValue {
                total += a >= 0x20 && a < 0x7F ? 1 : 0
            } else {
                total += of(c)
            }
        }
        return total
    }

    private static func contains(_ table: [(UInt32, UInt32)], _ v: UInt32) -> Bool {
        var lo = 0
        var hi = table.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = table[mid]
            if v < r.0 { hi = mid - 1 } else if v > r.1 { lo = mid + 1 } else { return true }
        }
        return false
    }
}

extension StringProtocol {
    /// Terminal columns this text takes (CJK and full-width forms count two).
    public var displayWidth: Int { DisplayWidth.of(self) }
}

extension DisplayWidth {
    /// Columns of the widest line of `text` (lines split at LF): what a spreadsheet column must
    /// hold.
    public static func widestLine<S: StringProtocol>(_ text: S) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).reduce(0) { max($0, of($1)) }
    }
}
