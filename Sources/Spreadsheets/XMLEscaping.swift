import Foundation

/// What a writer does with a character XML 1.0 cannot carry (C0 controls other than TAB, LF and
/// CR, and U+FFFE / U+FFFF; Swift strings cannot hold lone surrogates).
public enum IllegalXMLCharacterPolicy: Sendable, Hashable {
    /// Throw an `.unrepresentableCharacter` error naming the cell (the default: nothing changes silently).
    case refuse
    /// Drop the character.
    case strip
    /// Put U+FFFD (�) in its place, so the change stays visible.
    case replace
}

/// A small XML writer's escaping, correct for XML 1.0: `&`, `<`, `>` always; `"` in attributes;
/// TAB/LF as character references in attributes (attribute-value normalization would turn them
/// into spaces); CR always as `&#13;` (end-of-line handling would drop it).
enum XMLEscaping {
    /// Appends `s` escaped. Returns the first illegal scalar when `policy` is `.refuse` (nothing
    /// sensible has been appended in that case; the caller throws).
    @discardableResult
    static func append(_ s: String, attribute: Bool, policy: IllegalXMLCharacterPolicy, to out: inout [UInt8]) -> Unicode.Scalar?
    {
        var s = s
        return s.withUTF8 { u -> Unicode.Scalar? in
            // Fast path: nothing to escape.
            var clean = true
            for b in u where b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0xEF {
                clean = false
                break
            }
            if clean {
                out.append(contentsOf: u)
                return nil
            }
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                switch b {
                case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                case 0x22 where attribute: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                case 0x09 where attribute: out.append(contentsOf: Array("&#9;".utf8))
                case 0x0A where attribute: out.append(contentsOf: Array("&#10;".utf8))
                case 0x0D: out.append(contentsOf: Array("&#13;".utf8))
                case 0x09, 0x0A: out.append(b)
                case 0x00..<0x20:
                    switch policy {
                    case .refuse: return Unicode.Scalar(b)
                    case .strip: break
                    case .replace: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    }
                case 0xEF where i + 2 < n && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF):
                    switch policy {
                    case .refuse: return Unicode.Scalar(u[i + 2] == 0xBE ? 0xFFFE : 0xFFFF)
                    case .strip: break
                    case .replace: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    }
                    i += 3
                    continue
                default:
                    out.append(b)
                }
                i += 1
            }
            return nil
        }
    }

    static func escaped(_ s: String, attribute: Bool = true) -> String {
        var out: [UInt8] = []
        append(s, attribute: attribute, policy: .replace, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// True when the text needs `xml:space="preserve"` to keep its whitespace.
    static func needsPreserve(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return false }
        if first.properties.isWhitespace || last.properties.isWhitespace { return true }
        return s.utf8.contains(0x0A) || s.utf8.contains(0x09) || s.utf8.contains(0x0D)
    }
}

/// Display width for column sizing: East Asian wide and fullwidth characters count 2.
enum DisplayWidth {
    static func of(_ s: String) -> Int {
        var widest = 0
        var current = 0
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v == 0x0A { widest = max(widest, current); current = 0; continue }
            if v < 0x300 { current += v < 0x20 ? 0 : 1; continue }
            current += isWide(v) ? 2 : (isZeroWidth(v) ? 0 : 1)
        }
        return max(widest, current)
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || v == 0x200B || v == 0x200D || (0xFE00...0xFE0F).contains(v)
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
