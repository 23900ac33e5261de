import Foundation

enum XMLPrologCheck {
    /// True when `<!DOCTYPE` appears before the root element.
    static func hasDoctype(_ bytes: [UInt8]) -> Bool {
        let needle = Array("<!DOCTYPE".utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x3C, i + 1 < bytes.count {
                let next = bytes[i + 1]
                if next == 0x21 {
                    if bytes.count - i >= needle.count && Array(bytes[i..<i + needle.count]) == needle { return true }
                } else if next != 0x3F {
                    return false  // the root element starts: no DOCTYPE
                }
            }
            i += 1
        }
        return false
    }
}
