import Foundation
import Localization

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
