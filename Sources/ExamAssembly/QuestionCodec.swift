import Courseware

/// A compact binary encoding of questions, for the exam's content cache (`exam take` reads the
/// cache instead of re-parsing and re-validating the XML when the content bytes are unchanged).
/// Exact round trip: `decode(encode(qs)) == qs`, locations included. Any malformed input makes
/// `decode` return nil (the caller then falls back to loading the XML).
public enum QuestionCodec {
    static let magic: UInt64 = 0x6163_6164_7163_3032  // "acadqc02"

    public static func encode(_ questions: [Question]) -> [UInt8] {
        var body = ByteWriter()
        for q in questions { body.question(q) }
        var w = ByteWriter()
        w.u64(magic)
        // Source file names are interned: written once, referred to by index.
        w.int(body.files.count)
        for f in body.files { w.string(f) }
        w.int(questions.count)
        w.bytes += body.bytes
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) -> [Question]? {
        bytes.withUnsafeBufferPointer { buf -> [Question]? in
            var r = ByteReader(buf: buf)
            guard r.u64() == magic, let nf = r.count() else { return nil }
            for _ in 0..<nf { r.files.append(r.string()) }
            guard let n = r.count() else { return nil }
            var out: [Question] = []
            out.reserveCapacity(n)
            for _ in 0..<n {
                guard let q = r.question(depth: 0) else { return nil }
                out.append(q)
            }
            return r.ok && r.pos == buf.count ? out : nil
        }
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []
    var files: [String] = []
    var fileIndex: [String: Int] = [:]
    mutating func u64(_ v: UInt64) { var x = v; for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
    mutating func int(_ v: Int) { u64(UInt64(bitPattern: Int64(v))) }
    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }
    mutating func double(_ d: Double) { u64(d.bitPattern) }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            int(u.count); bytes.append(contentsOf: u)
        }
    }
    mutating func loc(_ l: SourceLocation) {
        let i: Int
        if let known = fileIndex[l.file] {
            i = known
        } else {
            i = files.count
            files.append(l.file)
            fileIndex[l.file] = i
        }
        int(i); int(l.line); int(l.column)
    }

    mutating func question(_ q: Question) {
        string(q.id); string(q.topic); int(q.difficulty); double(q.weight); loc(q.location)
        int(q.citations.count)
        for c in q.citations { string(c.provisionID); loc(c.location) }
        string(q.explanation)
        switch q.body {
        case .singleChoice(let c): byte(1); choice(c)
        case .multipleChoice(let c): byte(2); choice(c)
        case .trueFalse(let t): byte(3); string(t.stem); bool(t.answer)
        case .fillIn(let f):
            byte(4)
            int(f.stem.count)
            for part in f.stem {
                switch part {
                case .text(let t): byte(0); string(t)
                case .blank(let i): byte(1); int(i)
                }
            }
            int(f.blanks.count)
            for b in f.blanks {
                int(b.accepted.count)
                for a in b.accepted { string(a) }
                loc(b.location)
            }
        case .caseAnalysis(let c):
            byte(5)
            int(c.scenario.count)
            for p in c.scenario { string(p) }
            int(c.parts.count)
            for p in c.parts { question(p) }
        }
    }

    mutating func choice(_ c: ChoiceQuestion) {
        string(c.stem); bool(c.shuffle); int(c.options.count)
        for o in c.options { string(o.text); bool(o.correct); bool(o.fixed); loc(o.location) }
    }
}

struct ByteReader {
    let buf: UnsafeBufferPointer<UInt8>
    var pos = 0
    var ok = true
    var files: [String] = []

    init(buf: UnsafeBufferPointer<UInt8>) { self.buf = buf }

    mutating func u64() -> UInt64 {
        guard ok, pos + 8 <= buf.count else { ok = false; return 0 }
        let v = UInt64(littleEndian: UnsafeRawBufferPointer(buf).loadUnaligned(fromByteOffset: pos, as: UInt64.self))
        pos += 8
        return v
    }
    mutating func int() -> Int { Int(Int64(bitPattern: u64())) }
    /// A non-negative count no larger than the bytes left (each element takes at least one byte).
    mutating func count() -> Int? {
        let n = int()
        guard ok, n >= 0, n <= buf.count - pos else { ok = false; return nil }
        return n
    }
    mutating func byte() -> UInt8 {
        guard ok, pos < buf.count else { ok = false; return 0 }
        defer { pos += 1 }
        return buf[pos]
    }
    mutating func bool() -> Bool { byte() == 1 }
    mutating func double() -> Double { Double(bitPattern: u64()) }
    mutating func string() -> String {
        guard let n = count() else { return "" }
        let s = String(decoding: UnsafeBufferPointer(rebasing: buf[pos..<pos + n]), as: UTF8.self)
        pos += n
        return s
    }
    mutating func loc() -> SourceLocation {
        let i = int()
        guard ok, i >= 0, i < files.count else { ok = false; return SourceLocation(file: "", line: 0, column: 0) }
        return SourceLocation(file: files[i], line: int(), column: int())
    }

    mutating func question(depth: Int) -> Question? {
        guard depth < 2 else { ok = false; return nil }
        let id = string(), topic = string(), difficulty = int(), weight = double(), location = loc()
        guard let nc = count() else { return nil }
        var cites: [Citation] = []
        for _ in 0..<nc { cites.append(Citation(provisionID: string(), location: loc())) }
        let explanation = string()
        let body: QuestionBody
        switch byte() {
        case 1: guard let c = choice() else { return nil }; body = .singleChoice(c)
        case 2: guard let c = choice() else { return nil }; body = .multipleChoice(c)
        case 3: body = .trueFalse(TrueFalseQuestion(stem: string(), answer: bool()))
        case 4:
            guard let ns = count() else { return nil }
            var stem: [FillInQuestion.StemPart] = []
            for _ in 0..<ns {
                switch byte() {
                case 0: stem.append(.text(string()))
                case 1: stem.append(.blank(int()))
                default: ok = false; return nil
                }
            }
            guard let nb = count() else { return nil }
            var blanks: [Blank] = []
            for _ in 0..<nb {
                guard let na = count() else { return nil }
                var acc: [String] = []
                for _ in 0..<na { acc.append(string()) }
                blanks.append(Blank(accepted: acc, location: loc()))
            }
            body = .fillIn(FillInQuestion(stem: stem, blanks: blanks))
        case 5:
            guard let np = count() else { return nil }
            var scenario: [String] = []
            for _ in 0..<np { scenario.append(string()) }
            guard let nq = count() else { return nil }
            var parts: [Question] = []
            for _ in 0..<nq {
                guard let p = question(depth: depth + 1) else { return nil }
                parts.append(p)
            }
            body = .caseAnalysis(CaseAnalysisQuestion(scenario: scenario, parts: parts))
        default:
            ok = false
            return nil
        }
        guard ok else { return nil }
        return Question(
            id: id, topic: topic, difficulty: difficulty, citations: cites, explanation: explanation,
            body: body, weight: weight, location: location)
    }

    mutating func choice() -> ChoiceQuestion? {
        let stem = string(), shuffle = bool()
        guard let n = count() else { return nil }
        var options: [ChoiceOption] = []
        for _ in 0..<n { options.append(ChoiceOption(text: string(), correct: bool(), fixed: bool(), location: loc())) }
        return ok ? ChoiceQuestion(stem: stem, options: options, shuffle: shuffle) : nil
    }
}
