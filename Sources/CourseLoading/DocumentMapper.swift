import Courseware
import Localization
import XMLSupport

/// The five kinds of content document, by root element.
public enum DocumentKind: String, Sendable, CaseIterable {
    case provisions
    case course
    case caseStudy = "case-study"
    case questionBank = "question-bank"
    case blueprint = "exam-blueprint"

    /// The XSD (in `schemas/`, embedded in the binary) documents of this kind follow.
    public var schemaFile: String {
        switch self {
        case .provisions: "provisions.xsd"
        case .course: "course.xsd"
        case .caseStudy: "casestudy.xsd"
        case .questionBank: "questionbank.xsd"
        case .blueprint: "blueprint.xsd"
        }
    }
}

/// Where things without a `location` of their own were written, for precise diagnostics.
struct SideLocations {
    /// Blueprint id → (bank id, `<bank>` element) in order.
    var bankRefs: [String: [(String, SourceLocation)]] = [:]
    /// Blueprint id → `<scoring>` element.
    var scoring: [String: SourceLocation] = [:]
    /// Case-analysis question id → where its `<scenario>` starts (unused for now, kept for tools).
    var files: [String] = []
}

/// Maps a schema-checked `XElement` tree to Courseware values. Tolerant: a schema-invalid
/// document still maps as far as it can (missing values become empty/zero) so that reference
/// checks see its ids; the schema errors themselves are already reported.
struct DocumentMapper {
    let file: String
    var diagnostics: [Diagnostic] = []
    var side = SideLocations()

    init(file: String) {
        self.file = file
    }

    func loc(_ e: XElement) -> SourceLocation {
        SourceLocation(file: file, line: e.position.line, column: e.position.column)
    }

    // MARK: - Text helpers

    /// Trims, and collapses each run of XML whitespace (space, tab, CR, LF): a run with a line
    /// break between two CJK characters disappears (Chinese is written without spaces), any other
    /// run becomes one space. Strings that need no change are returned as they are.
    static func normalize(_ s: String, trim: Bool = true) -> String {
        // Fast path: no tab/CR/LF, no double space, and (when trimming) no edge spaces.
        func isClean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var prevSpace = trim  // a leading space counts as "after a space" when trimming
            for b in bytes {
                if b > 0x20 {
                    prevSpace = false
                } else if b == 0x20 {
                    if prevSpace { return false }
                    prevSpace = true
                } else if b == 0x09 || b == 0x0A || b == 0x0D {
                    return false
                } else {
                    prevSpace = false
                }
            }
            return !(trim && prevSpace)
        }
        var copy = s
        return copy.withUTF8 { bytes -> String in
            if isClean(bytes) { return s }
            return collapse(bytes, trim: trim)
        }
    }

    /// The slow path of `normalize`, on UTF-8 bytes (whitespace is ASCII; scalars are decoded
    /// only around a line break, to join CJK text broken over lines): linear, and cheap per byte.
    static func collapse(_ bytes: UnsafeBufferPointer<UInt8>, trim: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var pendingBreak = false
        var hasLast = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case 0x20, 0x09:
                pendingSpace = true
                i += 1
                continue
            case 0x0A, 0x0D:
                pendingSpace = true
                pendingBreak = true
                i += 1
                continue
            default:
                break
            }
            if pendingSpace {
                let joinCJK =
                    pendingBreak && hasLast && lastScalar(out).map(isCJK) == true && scalar(bytes, at: i).map(isCJK) == true
                if !joinCJK && (hasLast || !trim) { out.append(0x20) }
                pendingSpace = false
                pendingBreak = false
            }
            out.append(b)
            hasLast = true
            i += 1
        }
        if pendingSpace && !trim { out.append(0x20) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The scalar whose UTF-8 starts at `i`.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar? {
        var it = bytes[i...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let u) = decoder.decode(&it) { return u }
        return nil
    }

    /// The last scalar of `out`.
    static func lastScalar(_ out: [UInt8]) -> Unicode.Scalar? {
        var start = out.count - 1
        while start > 0 && out[start] & 0xC0 == 0x80 && out.count - start < 4 { start -= 1 }
        guard start >= 0 else { return nil }
        var it = out[start...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let u) = decoder.decode(&it) { return u }
        return nil
    }

    static func isCJK(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return (0x2E80...0x9FFF).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFFEF).contains(v)
            || (0x3000...0x303F).contains(v) || (0x20000...0x3FFFF).contains(v)
    }

    func text(_ e: XElement?) -> String { e.map { Self.normalize($0.text) } ?? "" }

    /// An attribute's value with surrounding XML whitespace removed ("" when absent).
    func attr(_ e: XElement, _ name: String) -> String {
        guard let v = e[attribute: name] else { return "" }
        let ws: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let f = v.utf8.first, let l = v.utf8.last, ws(f) || ws(l) else { return v }
        return Self.normalize(v)
    }

    func bool(_ e: XElement, _ name: String, default d: Bool) -> Bool {
        switch attr(e, name) {
        case "true", "1": true
        case "false", "0": false
        default: d
        }
    }

    func int(_ e: XElement, _ name: String) -> Int? { Int(attr(e, name)) }
    func double(_ e: XElement, _ name: String) -> Double? { Double(attr(e, name)) }

    func paragraphs(_ e: XElement?, _ child: String = "p") -> [String] {
        e?.children(named: child).map { text($0) } ?? []
    }

    func citations(_ e: XElement) -> [Citation] {
        e.children(named: "cite").map { Citation(provisionID: attr($0, "provision"), location: loc($0)) }
    }

    // MARK: - Documents

    func provisions(_ root: XElement) -> ProvisionSet {
        ProvisionSet(
            id: attr(root, "id"), title: attr(root, "title"),
            sections: root.children(named: "section").map { s in
                ProvisionSection(
                    id: attr(s, "id"), number: attr(s, "number"), title: attr(s, "title"),
                    provisions: s.children(named: "provision").map { p in
                        Provision(
                            id: attr(p, "id"), title: attr(p, "title"),
                            summary: text(p.firstChild(named: "summary")), location: loc(p))
                    },
                    location: loc(s))
            },
            location: loc(root))
    }

    func course(_ root: XElement) -> Course {
        Course(
            id: attr(root, "id"), title: attr(root, "title"),
            summary: text(root.firstChild(named: "summary")),
            provisionSetID: attr(root, "provisions"),
            relatedProvisionSetIDs: attr(root, "related-provisions").split(whereSeparator: \.isWhitespace).map(String.init),
            modules: root.children(named: "module").map { m in
                CourseModule(
                    id: attr(m, "id"), title: attr(m, "title"),
                    items: m.children.compactMap { item -> StudyItem? in
                        switch item.name {
                        case "lesson": .lesson(lesson(item))
                        case "case-study":
                            .caseStudy(
                                CaseStudyRef(
                                    caseStudyID: attr(item, "ref"),
                                    required: bool(item, "required", default: true),
                                    location: loc(item)))
                        default: nil
                        }
                    },
                    location: loc(m))
            },
            location: loc(root))
    }

    func lesson(_ e: XElement) -> Lesson {
        Lesson(
            id: attr(e, "id"), title: attr(e, "title"), minutes: int(e, "minutes") ?? 0,
            required: bool(e, "required", default: true),
            citations: citations(e),
            sections: e.children(named: "section").map { s in
                TextSection(title: s[attribute: "title"].map { Self.normalize($0) }, paragraphs: paragraphs(s))
            },
            keyPoints: paragraphs(e.firstChild(named: "key-points"), "point"),
            location: loc(e))
    }

    func caseStudy(_ root: XElement) -> CaseStudy {
        let setting = root.firstChild(named: "setting")
        return CaseStudy(
            id: attr(root, "id"), title: text(root.firstChild(named: "title")),
            polarity: CaseStudy.Polarity(rawValue: attr(root, "polarity")) ?? .positive,
            setting: text(setting),
            fictional: setting.map { bool($0, "fictional", default: false) } ?? false,
            background: paragraphs(root.firstChild(named: "background")),
            events: root.firstChild(named: "events")?.children(named: "event").map {
                CaseEvent(time: $0[attribute: "time"].map { Self.normalize($0) }, text: text($0))
            } ?? [],
            findings: root.firstChild(named: "analysis")?.children(named: "finding").map {
                CaseFinding(
                    citation: Citation(provisionID: attr($0, "provision"), location: loc($0)),
                    verdict: CaseFinding.Verdict(rawValue: attr($0, "verdict")) ?? .kept,
                    text: text($0))
            } ?? [],
            lessonsDrawn: paragraphs(root.firstChild(named: "lessons-drawn"), "point"),
            discussion: paragraphs(root.firstChild(named: "discussion"), "question"),
            questions: root.firstChild(named: "questions")?.children.compactMap { question($0) } ?? [],
            location: loc(root))
    }

    /// `streamed`: questions already mapped while the file was parsed; they precede any
    /// question children still in `root`.
    func bank(_ root: XElement, streamed: [Question] = []) -> QuestionBank {
        QuestionBank(
            id: attr(root, "id"), title: attr(root, "title"),
            questions: streamed + root.children.compactMap { question($0) }, location: loc(root))
    }

    static let questionElements: Set<String> = ["single-choice", "multiple-choice", "true-false", "fill-in", "case-analysis"]

    /// A question element of any of the five types; nil for anything else.
    func question(_ e: XElement) -> Question? {
        let body: QuestionBody
        switch e.name {
        case "single-choice": body = .singleChoice(choice(e))
        case "multiple-choice": body = .multipleChoice(choice(e))
        case "true-false":
            body = .trueFalse(
                TrueFalseQuestion(
                    stem: text(e.firstChild(named: "stem")),
                    answer: bool(e, "answer", default: false)))
        case "fill-in": body = .fillIn(fillIn(e.firstChild(named: "stem")))
        case "case-analysis":
            body = .caseAnalysis(
                CaseAnalysisQuestion(
                    scenario: paragraphs(e.firstChild(named: "scenario")),
                    parts: e.children.filter { $0.name != "case-analysis" }.compactMap { question($0) }))
        default: return nil
        }
        return Question(
            id: attr(e, "id"), topic: Self.normalize(e[attribute: "topic"] ?? ""),
            difficulty: int(e, "difficulty") ?? 0, citations: citations(e),
            explanation: text(e.firstChild(named: "explanation")), body: body,
            weight: double(e, "weight") ?? 1, location: loc(e))
    }

    func choice(_ e: XElement) -> ChoiceQuestion {
        ChoiceQuestion(
            stem: text(e.firstChild(named: "stem")),
            options: e.children(named: "option").map {
                ChoiceOption(
                    text: text($0), correct: bool($0, "correct", default: false),
                    fixed: bool($0, "fixed", default: false), location: loc($0))
            },
            shuffle: bool(e, "shuffle", default: true))
    }

    func fillIn(_ stem: XElement?) -> FillInQuestion {
        guard let stem else { return FillInQuestion(stem: [], blanks: []) }
        var parts: [FillInQuestion.StemPart] = []
        var blanks: [Blank] = []
        for node in stem.nodes {
            switch node {
            case .text(let t):
                // Line breaks at a run's edges are the author's formatting around <blank/>.
                let n = Self.normalize(Self.dropEdgeBreaks(t), trim: false)
                if !n.isEmpty { parts.append(.text(n)) }
            case .element(let b) where b.name == "blank":
                parts.append(.blank(blanks.count))
                blanks.append(Blank(accepted: b.children(named: "accept").map { text($0) }, location: loc(b)))
            case .element:
                break
            }
        }
        // Trim the stem's outer edges only; spaces next to blanks are the author's.
        if case .text(let t)? = parts.first {
            let s = String(t.drop { $0 == " " })
            if s.isEmpty { parts.removeFirst() } else { parts[0] = .text(s) }
        }
        if case .text(let t)? = parts.last {
            var s = t
            while s.last == " " { s.removeLast() }
            if s.isEmpty { parts.removeLast() } else { parts[parts.count - 1] = .text(s) }
        }
        return FillInQuestion(stem: parts, blanks: blanks)
    }

    /// Removes leading and trailing whitespace runs that contain a line break.
    static func dropEdgeBreaks(_ t: String) -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var sub = Substring(t)
        let lead = sub.prefix(while: ws)
        if lead.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) { sub = sub.dropFirst(lead.count) }
        let trail = sub.reversed().prefix(while: ws)
        if trail.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) { sub = sub.dropLast(trail.count) }
        return String(sub)
    }

    mutating func blueprint(_ root: XElement) -> ExamBlueprint {
        let id = attr(root, "id")
        let scoring = root.firstChild(named: "scoring")
        var policy = ExamBlueprint.MultipleChoicePolicy.allOrNothing
        if let scoring {
            side.scoring[id] = loc(scoring)
            let mode = attr(scoring, "multiple-choice")
            let fraction = double(scoring, "partial-fraction")
            if mode == "partial" {
                policy = .partial(fraction: fraction)
            } else if scoring[attribute: "partial-fraction"] != nil {
                diagnostics.append(
                    Diagnostic(
                        .error, loc(scoring),
                        BilingualText(
                            zh:
                                "设置了 partial-fraction（少选得分比例），但 multiple-choice 不是 \"partial\"；请删除 partial-fraction 或改为 multiple-choice=\"partial\"",
                            en:
                                "partial-fraction is set but multiple-choice is not \"partial\"; remove partial-fraction or set multiple-choice=\"partial\""
                        ),
                        code: "partial-fraction-without-partial"))
            }
        }
        let banks = root.firstChild(named: "pool")?.children(named: "bank") ?? []
        side.bankRefs[id] = banks.map { (attr($0, "ref"), loc($0)) }
        let attempts = root.firstChild(named: "attempts")
        return ExamBlueprint(
            id: id, version: int(root, "version") ?? 1, title: attr(root, "title"),
            courseID: attr(root, "course"), bankIDs: banks.map { attr($0, "ref") },
            totalPoints: scoring.flatMap { double($0, "total") } ?? 0,
            passPoints: scoring.flatMap { double($0, "pass") } ?? 0,
            minutes: root.firstChild(named: "timing").flatMap { int($0, "minutes") } ?? 0,
            maxAttempts: attempts.flatMap { int($0, "max") } ?? 1,
            counting: attempts.flatMap { ExamBlueprint.CountingRule(rawValue: attr($0, "counts")) } ?? .highest,
            multipleChoice: policy,
            review: root.firstChild(named: "review").flatMap { ExamBlueprint.ReviewPolicy(rawValue: attr($0, "show")) }
                ?? .immediately,
            targetDifficulty: double(root, "target-difficulty"),
            sections: root.children(named: "section").map { s in
                BlueprintSection(
                    id: attr(s, "id"), title: attr(s, "title"),
                    draws: s.children(named: "draw").map { d in
                        DrawRule(
                            count: int(d, "count") ?? 0,
                            type: QuestionType(rawValue: attr(d, "type")),
                            topic: d[attribute: "topic"].map { Self.normalize($0) },
                            difficulty: int(d, "difficulty"),
                            points: double(d, "points") ?? 0, location: loc(d))
                    },
                    location: loc(s))
            },
            location: loc(root))
    }
}

