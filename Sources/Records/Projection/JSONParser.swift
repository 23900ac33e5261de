import Foundation

/// A small JSON parser over UTF-8 bytes for event payloads: replay parses every payload of the
/// chain, and Foundation's decoder was several times slower than the hashing. Integers that fit
/// Int64 become `.int`, other numbers `.double`; duplicate keys keep the last value.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    static func parse(_ text: String) -> CanonicalJSON? {
        var text = text
        return text.withUTF8 { buf in
            var p = JSONParser(bytes: buf)
            guard let v = p.value(depth: 0) else { return nil }
            p.skipSpace()
            return p.i == buf.count ? v : nil
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func literal(_ word: StaticString, _ v: CanonicalJSON) -> CanonicalJSON? {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return nil }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return nil }
        i += n
        return v
    }

    private mutating func value(depth: Int) -> CanonicalJSON? {
        guard depth < 64 else { return nil }
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case 0x7B:  // {
            i += 1
            var dict: [String: CanonicalJSON] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == 0x7D { i += 1; return .object(dict) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x22, let k = string() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == 0x3A else { return nil }
                i += 1
                guard let v = value(depth: depth + 1) else { return nil }
                dict[k] = v
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x7D { i += 1; return .object(dict) }
                return nil
            }
        case 0x5B:  // [
            i += 1
            var items: [CanonicalJSON] = []
            skipSpace()
            if i < bytes.count, bytes[i] == 0x5D { i += 1; return .array(items) }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == 0x2C { i += 1; continue }
                if bytes[i] == 0x5D { i += 1; return .array(items) }
                return nil
            }
        case 0x22: return string().map(CanonicalJSON.string)
        case 0x74: return literal("true", .bool(true))
        case 0x66: return literal("false", .bool(false))
        case 0x6E: return literal("null", .null)
        default: return number()
        }
    }

    private mutating func number() -> CanonicalJSON? {
        let start = i
        var isInteger = true
        if i < bytes.count, bytes[i] == 0x2D { i += 1 }
        while i < bytes.count {
            let b = bytes[i]
            if b >= 0x30 && b <= 0x39 {
                i += 1
            } else if b == 0x2E || b == 0x65 || b == 0x45 || b == 0x2B || b == 0x2D {
                isInteger = false
                i += 1
            } else {
                break
            }
        }
        guard i > start else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        if isInteger, let n = Int64(text) { return .int(n) }
        return Double(text).map(CanonicalJSON.double)
    }

    /// At an opening quote; returns the unescaped string and moves past the closing quote.
    private mutating func string() -> String? {
        i += 1
        let start = i
        while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C { i += 1 }
        guard i < bytes.count else { return nil }
        if bytes[i] == 0x22 {
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            i += 1
            return s
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b != 0x5C {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var u = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(u) {
                    guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
                    i += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(u) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            default: return nil
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }
}
