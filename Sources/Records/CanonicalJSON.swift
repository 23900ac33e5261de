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
        var out = ""
        out.reserveCapacity(128)
        write(into: &out)
        return out
    }

    public func write(into out: inout String) {
        switch self {
        case let .string(s): Self.writeString(s, into: &out)
        case let .int(i): out += String(i)
        case let .double(d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                out += String(Int64(d))
            } else if d.isFinite {
                out += "\(d)"
            } else {
                out += "null"
            }
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case let .object(dict):
            out += "{"
            let keys = dict.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                dict[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ s: String, into out: inout String) {
        out += "\""
        var needsEscape = false
        for b in s.utf8 where b < 0x20 || b == 0x22 || b == 0x5C { needsEscape = true; break }
        if !needsEscape {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        out += String(format: "\\u%04x", scalar.value)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text (as stored in an event) back into a value.
    public static func parse(_ text: String) -> CanonicalJSON? {
        try? JSONDecoder().decode(CanonicalJSON.self, from: Data(text.utf8))
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
        if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            var escaped = ""
            CanonicalJSON.writeString(s, into: &escaped)
            bytes.append(contentsOf: escaped.utf8)
        } else {
            bytes.append(0x22)
            bytes.append(contentsOf: s.utf8)
            bytes.append(0x22)
        }
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
