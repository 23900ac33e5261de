import Foundation

/// A JSON value with one canonical text: object keys sorted by their UTF-8 bytes, no
/// whitespace, integers without a fraction, strings escaped minimally. Event payloads are
/// stored as this text and hashed as stored.
public indirect enum CanonicalJSON: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null
    case array([CanonicalJSON])
    case object([String: CanonicalJSON])

    public var text: String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        write(bytes: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout String) {
        out += text
    }

    /// Appends the canonical text as UTF-8. Bytes rather than `String` appends: a staff import
    /// writes one payload per person, and growing a `String` piece by piece dominated it.
    func write(bytes out: inout [UInt8]) {
        switch self {
        case let .string(s): Self.writeString(s, bytes: &out)
        case let .int(i): Self.writeInt(i, bytes: &out)
        case let .double(d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                Self.writeInt(Int64(d), bytes: &out)
            } else if d.isFinite {
                out.append(contentsOf: "\(d)".utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case let .bool(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case let .array(items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                item.write(bytes: &out)
            }
            out.append(0x5D)
        case let .object(dict):
            out.append(0x7B)
            var first = true
            for (_, key, value) in Self.sortedEntries(dict) {
                if !first { out.append(0x2C) }
                first = false
                Self.writeString(key, bytes: &out)
                out.append(0x3A)
                value.write(bytes: &out)
            }
            out.append(0x7D)
        }
    }

    /// An object's entries in canonical key order. Payloads have a handful of keys, so this
    /// sorts by insertion on the keys' first eight bytes, comparing whole keys only when those
    /// are equal (the generic sort cost a tenth of preparing a staff import's events).
    private static func sortedEntries(_ dict: [String: CanonicalJSON]) -> [(UInt64, String, CanonicalJSON)] {
        var entries: [(UInt64, String, CanonicalJSON)] = []
        entries.reserveCapacity(dict.count)
        for (key, value) in dict {
            let prefix = leadingBytes(key)
            var i = entries.count
            entries.append((prefix, key, value))
            while i > 0 {
                let earlier = entries[i - 1].0
                guard prefix < earlier || (prefix == earlier && bytesPrecede(key, entries[i - 1].1)) else { break }
                entries.swapAt(i, i - 1)
                i -= 1
            }
        }
        return entries
    }

    /// The first eight UTF-8 bytes of `s`, big-endian, zero-padded: a smaller value is an earlier
    /// key; equal values need the whole keys compared.
    private static func leadingBytes(_ s: String) -> UInt64 {
        var v: UInt64 = 0
        var n = 0
        for b in s.utf8 {
            v = v << 8 | UInt64(b)
            n += 1
            if n == 8 { return v }
        }
        return v << (8 * UInt64(8 - n))
    }

    /// `a` sorts before `b` by their UTF-8 bytes (the canonical key order).
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { p in
            b.withUTF8 { q in
                let n = min(p.count, q.count)
                if n > 0 {
                    let c = memcmp(p.baseAddress!, q.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                return p.count < q.count
            }
        }
    }

    private static func writeInt(_ i: Int64, bytes out: inout [UInt8]) {
        if i >= 0, i < 10 {
            out.append(0x30 + UInt8(i))
        } else {
            out.append(contentsOf: String(i).utf8)
        }
    }

    /// A JSON string, escaped minimally: `"`, `\\`, and control characters (`\n`, `\r`, `\t`, else
    /// `\u00xx`). Runs of bytes that need no escaping are copied whole.
    static func writeString(_ s: String, bytes out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { buf in
            var start = 0
            for i in 0..<buf.count {
                let b = buf[i]
                if b >= 0x20, b != 0x22, b != 0x5C { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i]))
                out.append(0x5C)
                switch b {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
                }
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<buf.count]))
        }
        out.append(0x22)
    }

    /// Parses JSON text (as stored in an event) back into a value.
    public static func parse(_ text: String) -> CanonicalJSON? {
        JSONParser.parse(text)
    }

    public subscript(key: String) -> CanonicalJSON? {
        if case let .object(d) = self { return d[key] }
        return nil
    }

    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var int64Value: Int64? {
        switch self {
        case let .int(i): return i
        case let .double(d): return Int64(d)
        default: return nil
        }
    }
}

extension CanonicalJSON: Decodable {
    public init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: AnyKey.self) {
            var dict: [String: CanonicalJSON] = [:]
            for key in c.allKeys { dict[key.stringValue] = try c.decode(CanonicalJSON.self, forKey: key) }
            self = .object(dict)
            return
        }
        if var c = try? decoder.unkeyedContainer() {
            var items: [CanonicalJSON] = []
            while !c.isAtEnd { items.append(try c.decode(CanonicalJSON.self)) }
            self = .array(items)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Builds a flat canonical JSON object without an intermediate dictionary, for hot paths.
/// Keys must be added in canonical (UTF-8 byte) order; debug builds check it.
struct CanonicalObjectWriter {
    private var bytes: [UInt8] = [0x7B]
    private var lastKey: String?

    init() { bytes.reserveCapacity(256) }

    private mutating func key(_ k: String) {
        assert(lastKey.map { $0.utf8.lexicographicallyPrecedes(k.utf8) } ?? true, "keys out of order: \(k)")
        lastKey = k
        if bytes.count > 1 { bytes.append(0x2C) }
        string(k)
        bytes.append(0x3A)
    }

    private mutating func string(_ s: String) {
        CanonicalJSON.writeString(s, bytes: &bytes)
    }

    mutating func add(_ k: String, _ value: String) {
        key(k)
        string(value)
    }

    mutating func add(_ k: String, _ value: Int64) {
        key(k)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func finish() -> String {
        bytes.append(0x7D)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A string compared and hashed by its UTF-8 bytes, as SQLite compares text. Swift's own String
/// hashing normalises non-ASCII text first, which dominated bulk imports of Chinese paths.
/// Public for the staff-file parser (StaffFiles), which finds duplicate badges the same way.
public struct ByteKey: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: ByteKey, b: ByteKey) -> Bool {
        var x = a.string, y = b.string
        return x.withUTF8 { p in
            y.withUTF8 { q in p.count == q.count && (p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0) }
        }
    }

    public func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
