import Foundation

/// Fill-in normalisation. Two answers match when their normalised forms are equal; nothing else
/// is guessed (「百分之七十」 matches 70% only if the question lists it).
///
/// Steps, in order:
/// 1. Unicode NFKC — folds full-width letters, digits and most punctuation to ASCII (７０％ → 70%),
///    and half-width katakana to full-width.
/// 2. Punctuation folding for what NFKC leaves alone: 。→.  、→,  “”„‟〝〞→"  ‘’‚‛→'  「」『』→"
///    《》〈〉→<>  【】〔〕→[]  dashes (‐‑‒–—―−) → -  …→...  ·•・→·  ～〜→~.
/// 3. Latin case folding (lower-case).
/// 4. Whitespace: every run of white space becomes one space, trimmed at both ends, and dropped
///    entirely unless it separates two Latin letters or digits (so 「全 过程」 = 「全过程」,
///    「70 %」 = 「70%」, but 「full process」 keeps its space).
/// 5. List separators: 、 ，, ；; all become `,` (「常态化；长效化」 = 「常态化、长效化」).
/// 6. Enclosing marks: quotation marks or brackets around the whole answer are dropped, repeatedly
///    (「“双随机”」 = 「双随机」, 「《行政处罚法》」 = 「行政处罚法」), but only when they enclose
///    everything and appear nowhere inside (「“吃”“拿”」 keeps its marks).
public enum FillInNormalizer {
    public static func normalize(_ s: String) -> String {
        let nfkc = s.precomposedStringWithCompatibilityMapping
        var folded: [Unicode.Scalar] = []
        folded.reserveCapacity(nfkc.unicodeScalars.count)
        for u in nfkc.unicodeScalars {
            switch u {
            case "\u{3002}", "\u{FF61}": folded.append(".")
            case "\u{3001}", "\u{FF64}", ";": folded.append(",")
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{201F}", "\u{301D}", "\u{301E}",
                "\u{300C}", "\u{300D}", "\u{300E}", "\u{300F}":
                folded.append("\"")
            case "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}": folded.append("'")
            case "\u{300A}", "\u{3008}": folded.append("<")
            case "\u{300B}", "\u{3009}": folded.append(">")
            case "\u{3010}", "\u{3014}": folded.append("[")
            case "\u{3011}", "\u{3015}": folded.append("]")
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}":
                folded.append("-")
            case "\u{2026}": folded.append(contentsOf: [".", ".", "."])
            case "\u{2022}", "\u{30FB}": folded.append("\u{00B7}")
            case "\u{301C}", "\u{FF5E}": folded.append("~")
            default: folded.append(u)
            }
        }
        // Case folding of Latin letters.
        var lowered = String(String.UnicodeScalarView(folded)).lowercased().unicodeScalars.map { $0 }
        // Whitespace collapse.
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(lowered.count)
        var pendingSpace = false
        for u in lowered {
            if u.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace, let last = out.last, isLatinAlnum(last), isLatinAlnum(u) { out.append(" ") }
            pendingSpace = false
            out.append(u)
        }
        lowered = out
        return String(String.UnicodeScalarView(stripEnclosing(lowered[...])))
    }

    /// Opening mark → closing mark, after the folding above (“” → ", 《》 → <>, 【】 → [], （） → ()).
    static let enclosingPairs: [Unicode.Scalar: Unicode.Scalar] = [
        "\"": "\"", "'": "'", "<": ">", "[": "]", "(": ")", "{": "}",
    ]

    static func stripEnclosing(_ s: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var s = s
        while s.count > 2, let first = s.first, let close = enclosingPairs[first], s.last == close {
            let inner = s.dropFirst().dropLast()
            guard !inner.contains(first), !inner.contains(close) else { break }
            s = inner
        }
        return s
    }

    static func isLatinAlnum(_ u: Unicode.Scalar) -> Bool {
        (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9")
            || (u.value >= 0xC0 && u.value <= 0x24F && u.properties.isAlphabetic)
    }
}
