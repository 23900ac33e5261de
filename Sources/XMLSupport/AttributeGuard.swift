/// libxml2 2.9 checks each new attribute of a start tag against all earlier ones, so a tag with
/// 100,000 attributes costs minutes of CPU. No Academy document needs more than a handful; this
/// one linear pre-scan refuses tags with more than `limit` attributes before libxml2 sees them.
enum AttributeGuard {
    static let limit = 256

    /// The byte offset of the first start tag with more than `limit` attributes, if any.
    static func firstOverfullTag(in b: UnsafeBufferPointer<UInt8>) -> Int? {
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
