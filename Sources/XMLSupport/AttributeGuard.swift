#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// libxml2 2.9 checks each new attribute of a start tag against all earlier ones, so a tag with
/// 100,000 attributes costs minutes of CPU. No Academy document needs more than a handful; this
/// one linear pre-scan refuses tags with more than `limit` attributes before libxml2 sees them.
enum AttributeGuard {
    static let limit = 256

    /// The byte offset of the first start tag with more than `limit` attributes, if any.
    /// Fast path: a tag lies between one `<` and the next (`<` cannot occur inside a tag), and a
    /// tag with more than `limit` attributes holds more than `limit` `=`; so unless some stretch
    /// between two `<` holds that many `=`, no tag can, and the exact scan is skipped.
    static func firstOverfullTag(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = b.baseAddress, !b.isEmpty else { return nil }
        let n = b.count
        var i = 0
        var suspicious = false
        while i < n {
            let next = memchr(base + i + 1, 0x3C, n - i - 1).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? n
            if next - i > limit {
                var equals = 0
                var j = i
                while j < next, let hit = memchr(base + j, 0x3D, next - j) {
                    equals += 1
                    if equals > limit { break }
                    j = (UnsafeRawPointer(hit) - UnsafeRawPointer(base)) + 1
                }
                if equals > limit {
                    suspicious = true
                    break
                }
            }
            i = next
        }
        return suspicious ? exactScan(b) : nil
    }

    /// The exact scan: skips comments, CDATA and processing instructions, counts `=` outside
    /// quotes in each tag.
    static func exactScan(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        var i = 0
        @inline(__always) func starts(_ s: StaticString, at j: Int) -> Bool {
            let len = s.utf8CodeUnitCount
            guard j + len <= n else { return false }
            let p = s.utf8Start
            for k in 0..<len where b[j + k] != p[k] { return false }
            return true
        }
        @inline(__always) func skip(past s: StaticString, from j: Int) -> Int {
            var k = j
            let first = s.utf8Start[0]
            while k < n {
                if b[k] == first && starts(s, at: k) { return k + s.utf8CodeUnitCount }
                k += 1
            }
            return n
        }
        while i < n {
            guard b[i] == 0x3C else { i += 1; continue }  // '<'
            if starts("<!--", at: i) { i = skip(past: "-->", from: i + 4); continue }
            if starts("<![CDATA[", at: i) { i = skip(past: "]]>", from: i + 9); continue }
            if starts("<?", at: i) { i = skip(past: "?>", from: i + 2); continue }
            if starts("<!", at: i) { return nil }  // DOCTYPE: refused by the parser anyway
            let tagStart = i
            var equals = 0
            var quote: UInt8 = 0
            i += 1
            while i < n {
                let c = b[i]
                if quote != 0 {
                    if c == quote { quote = 0 }
                } else if c == 0x22 || c == 0x27 {
                    quote = c
                } else if c == 0x3D {
                    equals += 1
                    if equals > limit { return tagStart }
                } else if c == 0x3E || c == 0x3C {
                    break
                }
                i += 1
            }
        }
        return nil
    }
}

extension AttributeGuard {
    /// The name of the first element, skipping the XML declaration, comments, processing
    /// instructions and whitespace; nil when a DOCTYPE or anything else comes first.
    static func rootElementName(in b: UnsafeBufferPointer<UInt8>) -> String? {
        let n = b.count
        var i = 0
        func find(_ a: UInt8, _ c: UInt8, _ d: UInt8?, from j: Int) -> Int? {
            var k = j
            while k + 1 < n {
                if b[k] == a && b[k + 1] == c && (d == nil || (k + 2 < n && b[k + 2] == d!)) { return k + (d == nil ? 2 : 3) }
                k += 1
            }
            return nil
        }
        while i < n {
            switch b[i] {
            case 0x20, 0x09, 0x0A, 0x0D:
                i += 1
            case 0x3C:
                guard i + 1 < n else { return nil }
                if b[i + 1] == 0x3F {  // <? … ?>
                    guard let e = find(0x3F, 0x3E, nil, from: i + 2) else { return nil }
                    i = e
                } else if b[i + 1] == 0x21 {  // <!-- … --> or DOCTYPE
                    guard i + 3 < n, b[i + 2] == 0x2D, b[i + 3] == 0x2D, let e = find(0x2D, 0x2D, 0x3E, from: i + 4) else {
                        return nil
                    }
                    i = e
                } else {
                    var j = i + 1
                    while j < n, !([0x20, 0x09, 0x0A, 0x0D, 0x2F, 0x3E] as [UInt8]).contains(b[j]) { j += 1 }
                    return j > i + 1 ? String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), as: UTF8.self) : nil
                }
            default:
                return nil
            }
        }
        return nil
    }
}
