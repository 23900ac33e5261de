import Courseware
import Crypto
import Foundation

/// The content hash of a pool: SHA-256 over a canonical, location-free serialization of its
/// questions in pool order. Moving a question to another line does not change the hash; changing
/// any text, key, option, topic, difficulty, citation, weight or the pool order does.
///
/// Serialization: every field is written as a one-byte tag, then a length-prefixed UTF-8 string
/// or an 8-byte little-endian integer / IEEE-754 bit pattern, so no two different pools can
/// serialize to the same bytes.
public enum BankHash {
    public static func hex(of pool: [Question]) -> String {
        var w = Writer()
        w.int(0x61636164656D7931)  // "academy1": serialization version
        w.int(pool.count)
        for q in pool { w.question(q) }
        w.flush()
        return w.hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    struct Writer {
        var hasher = SHA256()
        var buffer: [UInt8] = []

        init() { buffer.reserveCapacity(1 << 16) }

        mutating func flush() {
            hasher.update(data: buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func tag(_ t: UInt8) { buffer.append(t) }

        mutating func int(_ v: Int) { int(UInt64(bitPattern: Int64(v))) }

        mutating func int(_ v: UInt64) {
            var x = v
            for _ in 0..<8 { buffer.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
        }

        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { u in
                int(u.count)
                buffer.append(contentsOf: u)
            }
            if buffer.count >= 1 << 16 { flush() }
        }

        mutating func double(_ d: Double) { int(d.bitPattern) }

        mutating func question(_ q: Question) {
            tag(0x51)  // Q
            string(q.id); string(q.topic); int(q.difficulty); double(q.weight)
            int(q.citations.count)
            for c in q.citations { string(c.provisionID) }
            string(q.explanation)
            switch q.body {
            case .singleChoice(let c): tag(1); choice(c)
            case .multipleChoice(let c): tag(2); choice(c)
            case .trueFalse(let t): tag(3); string(t.stem); int(t.answer ? 1 : 0)
            case .fillIn(let f):
                tag(4)
                int(f.stem.count)
                for part in f.stem {
                    switch part {
                    case .text(let t): tag(0x74); string(t)
                    case .blank(let i): tag(0x62); int(i)
                    }
                }
                int(f.blanks.count)
                for b in f.blanks {
                    int(b.accepted.count)
                    for a in b.accepted { string(a) }
                }
            case .caseAnalysis(let c):
                tag(5)
                int(c.scenario.count)
                for p in c.scenario { string(p) }
                int(c.parts.count)
                for p in c.parts { question(p) }
            }
        }

        mutating func choice(_ c: ChoiceQuestion) {
            string(c.stem); int(c.shuffle ? 1 : 0); int(c.options.count)
            for o in c.options {
                string(o.text); int(o.correct ? 1 : 0); int(o.fixed ? 1 : 0)
            }
        }
    }
}

/// SHA-256 of a sequence of byte chunks, each prefixed by its length (lower-case hex).
public struct ContentDigest {
    var hasher = SHA256()
    public init() {}

    public mutating func add(_ bytes: some Collection<UInt8>) {
        var n = UInt64(bytes.count)
        var prefix: [UInt8] = []
        for _ in 0..<8 { prefix.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        hasher.update(data: prefix)
        hasher.update(data: Array(bytes))
    }

    public mutating func add(_ raw: UnsafeRawBufferPointer) {
        var n = UInt64(raw.count)
        var prefix: [UInt8] = []
        for _ in 0..<8 { prefix.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
        hasher.update(data: prefix)
        hasher.update(bufferPointer: raw)
    }

    public mutating func add(_ s: String) { add(Array(s.utf8)) }

    public func hex() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}
