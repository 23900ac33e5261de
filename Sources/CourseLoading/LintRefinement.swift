import Courseware
import Foundation
import Localization
import XMLSupport

/// Makes lint's diagnostics speak to a trainer (issue 12 §5), after the loader and the checks
/// have run:
/// - a full-width quote (“ ” ＂ ＇) around an attribute value is named as such, at its column,
///   in place of libxml2's `AttValue` / `attributes construct` message;
/// - the common libxml2 and XSD messages are said in the chosen language;
/// - misspelled attribute and element names and unknown provision ids get "did you mean", and an
///   attribute problem points at the attribute, not the element;
/// - root causes first: XML and XSD errors of a file come before its other diagnostics, which are
///   marked as possible follow-ons.
public enum LintRefinement {
    public static func refine(
        _ diagnostics: [Diagnostic], content: ContentSet, source: (String) -> [UInt8]?
    ) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var texts: [String: [Substring]] = [:]
        func lines(_ file: String) -> [Substring]? {
            if let t = texts[file] { return t }
            guard let b = source(file) else { return nil }
            let t = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            texts[file] = t
            return t
        }
        var fullWidthDone = Set<String>()
        let provisionIDs = content.provisionSets.flatMap { ps in ps.sections.flatMap { [$0.id] + $0.provisions.map(\.id) } }
        var suggestedAttribute: [String: String] = [:]  // "file:line:col" → suggested name
        var topics = Set<String>()
        for q in content.allQuestions {
            topics.insert(q.topic)
            if case .caseAnalysis(let c) = q.body { for p in c.parts { topics.insert(p.topic) } }
        }
        for d in diagnostics {
            var d = d
            if d.code == "xml-syntax" {
                if fullWidthDone.contains(d.location.file) { continue }
                if let l = lines(d.location.file), let at = FullWidthQuotes.find(in: l) {
                    fullWidthDone.insert(d.location.file)
                    out.append(
                        Diagnostic(
                            .error, SourceLocation(file: d.location.file, line: at.line, column: at.column),
                            BilingualText(
                                zh: "属性值用了全角引号“\(at.quote)”；属性值必须用英文半角引号 \" 括起，例如 topic=\"宗旨意识\"",
                                en: "an attribute value uses the full-width quote \"\(at.quote)\"; attribute values take ASCII quotes, e.g. topic=\"宗旨意识\""),
                            code: "xml-fullwidth-quote"))
                    continue
                }
            }
            if d.code == "xml-syntax" || d.code == "xsd-invalid" {
                d.message = LibXMLMessages.translate(d.message)
                if let (name, allowed) = LibXMLMessages.unknownAttribute(d.message.en) {
                    if let s = Suggest.closest(name, in: allowed ?? SchemaNames.attributes) {
                        d.message += BilingualText(zh: "；是否应为 \(s)？", en: "; did you mean \(s)?")
                        suggestedAttribute["\(d.location.file):\(d.location.line):\(d.location.column)"] = s
                    }
                    if let l = lines(d.location.file), let col = attributeColumn(name, in: l, from: d.location) {
                        d.location = col
                    }
                } else if let (name, expected) = LibXMLMessages.unexpectedElement(d.message.en),
                    let s = Suggest.closest(name, in: expected)
                {
                    d.message += BilingualText(zh: "；是否应为 <\(s)>？", en: "; did you mean <\(s)>?")
                } else if let missing = LibXMLMessages.missingAttribute(d.message.en),
                    suggestedAttribute["\(d.location.file):\(d.location.line):\(d.location.column)"] == missing
                        || out.last.map({ $0.location.file == d.location.file && $0.location.line == d.location.line && $0.message.en.contains(missing) })
                            ?? false
                {
                    continue  // the misspelled attribute above is the cause
                }
            }
            if d.code == "section-unfillable" || d.code == "draws-compete",
                let topic = LibXMLMessages.captures(d.message.zh, #"主题“([^”]+)”"#)?[0],
                !topics.contains(topic), let s = Suggest.closest(topic, in: topics.sorted())
            {
                d.message += BilingualText(zh: "；没有题目的主题是“\(topic)”，是否应为“\(s)”？", en: "; no question has topic \"\(topic)\": did you mean \"\(s)\"?")
            }
            if d.code == "unknown-provision", let id = quoted(d.message.zh), let s = Suggest.closest(id, in: provisionIDs) {
                d.message += BilingualText(zh: "；是否应为 “\(s)”？", en: "; did you mean \"\(s)\"?")
                if let l = lines(d.location.file), let col = attributeColumn("provision", in: l, from: d.location) { d.location = col }
            }
            out.append(d)
        }
        return rootCausesFirst(out)
    }

    static func isRoot(_ d: Diagnostic) -> Bool { d.code.hasPrefix("xml-") || d.code.hasPrefix("xsd-") }

    /// Per file (files in their first order), XML/XSD errors first; the file's other errors
    /// are marked as possible follow-ons.
    static func rootCausesFirst(_ ds: [Diagnostic]) -> [Diagnostic] {
        var order: [String] = []
        var byFile: [String: [Diagnostic]] = [:]
        for d in ds {
            if byFile[d.location.file] == nil { order.append(d.location.file) }
            byFile[d.location.file, default: []].append(d)
        }
        // Files that could not be read at all (not well-formed, bad encoding, too large…): what
        // other files say may follow from their absence (a blueprint's bank "does not exist").
        let unreadable = order.filter { f in byFile[f]!.contains { $0.code.hasPrefix("xml-") && $0.severity == .error } }
        var out: [Diagnostic] = []
        for f in unreadable + order.filter({ !unreadable.contains($0) }) {
            let list = byFile[f]!
            let roots = list.filter { isRoot($0) && $0.severity == .error }
            out += list.filter(isRoot)
            for var d in list where !isRoot(d) {
                if !roots.isEmpty && d.severity == .error {
                    d.message += BilingualText(
                        zh: "（可能是上面 XML/XSD 错误的后果，请先改正那些）",
                        en: " (possibly a consequence of the XML/XSD errors above: fix those first)")
                } else if roots.isEmpty, !unreadable.isEmpty {
                    let names = unreadable.joined(separator: ", ")
                    d.message += BilingualText(zh: "（可能因为 \(names) 无法读取）", en: " (possibly because \(names) could not be read)")
                }
                out.append(d)
            }
        }
        return out
    }

    static func quoted(_ s: String) -> String? {
        for (open, close) in [("“", "”"), ("\"", "\"")] {
            if let a = s.range(of: open), let b = s[a.upperBound...].range(of: close) { return String(s[a.upperBound..<b.lowerBound]) }
        }
        return nil
    }

    /// The column of ` name=` on the diagnostic's line (or the next few lines, for attributes
    /// written one per line).
    static func attributeColumn(_ name: String, in lines: [Substring], from at: SourceLocation) -> SourceLocation? {
        for ln in at.line..<min(lines.count + 1, at.line + 4) where ln >= 1 {
            let text = lines[ln - 1]
            let start = ln == at.line ? max(0, at.column - 1) : 0
            let chars = Array(text)
            guard start < chars.count else { continue }
            let hay = String(chars[start...])
            for sep in [" ", "\t"] {
                if let r = hay.range(of: sep + name + "=") ?? hay.range(of: sep + name + " =") {
                    let col = start + hay.distance(from: hay.startIndex, to: r.lowerBound) + 2
                    return SourceLocation(file: at.file, line: ln, column: col)
                }
            }
        }
        return nil
    }
}

/// Finds a full-width quote used as an attribute quote: right after `=`, or closing a value
/// that was opened with an ASCII quote (followed by another attribute or the end of the tag).
enum FullWidthQuotes {
    static let quotes: Set<Character> = ["“", "”", "＂", "＇", "‘", "’"]

    static func find(in lines: [Substring]) -> (line: Int, column: Int, quote: Character)? {
        var inTag = false
        var inComment = false
        var valueQuote: Character? = nil
        var lastSignificant: Character = " "
        for (li, line) in lines.enumerated() {
            let chars = Array(line)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if inComment {
                    if c == "-" && i + 2 < chars.count && chars[i + 1] == "-" && chars[i + 2] == ">" {
                        inComment = false
                        i += 3
                        continue
                    }
                    i += 1
                    continue
                }
                if !inTag {
                    if c == "<" && i + 3 < chars.count && chars[i + 1] == "!" && chars[i + 2] == "-" && chars[i + 3] == "-" {
                        inComment = true
                        i += 4
                        continue
                    }
                    if c == "<" && i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1] == "?") {
                        inTag = true
                        lastSignificant = "<"
                    }
                    i += 1
                    continue
                }
                if let q = valueQuote {
                    if c == q {
                        valueQuote = nil
                        lastSignificant = c
                    } else if quotes.contains(c) {
                        // Closing full-width quote: what follows looks like the rest of a tag.
                        let rest = String(chars[(i + 1)...]).drop(while: { $0 == " " || $0 == "\t" })
                        if rest.isEmpty || rest.hasPrefix(">") || rest.hasPrefix("/>") || rest.hasPrefix("?>")
                            || rest.prefix(while: { $0.isLetter || $0 == "-" || $0 == ":" || $0 == "_" }).count > 0
                                && rest.drop(while: { $0.isLetter || $0 == "-" || $0 == ":" || $0 == "_" }).hasPrefix("=")
                        {
                            return (li + 1, i + 1, c)
                        }
                    }
                    i += 1
                    continue
                }
                if c == "\"" || c == "'" {
                    valueQuote = c
                } else if quotes.contains(c) && lastSignificant == "=" {
                    return (li + 1, i + 1, c)
                } else if c == ">" {
                    inTag = false
                }
                if c != " " && c != "\t" { lastSignificant = c }
                i += 1
            }
        }
        return nil
    }
}

/// The libxml2 and XSD messages trainers meet, in both languages.
enum LibXMLMessages {
    static let prefixes = [
        BilingualText(zh: "XML 格式错误：", en: "malformed XML: "), BilingualText(zh: "不符合 XSD：", en: "schema: "),
    ]

    /// The language prefix and libxml2's own (English) message after it.
    static func strip(_ m: BilingualText) -> (prefix: BilingualText, body: String) {
        for p in prefixes where m.en.hasPrefix(p.en) { return (p, String(m.en.dropFirst(p.en.count))) }
        return (BilingualText(""), m.en)
    }

    /// The English body of a translated message (the patterns below read the English side).
    static func body(_ m: String) -> String {
        for p in prefixes where m.hasPrefix(p.en) { return String(m.dropFirst(p.en.count)) }
        return m
    }

    static func captures(_ s: String, _ pattern: String) -> [String]? {
        guard let re = try? NSRegularExpression(pattern: pattern),
            let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
        else { return nil }
        return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: s).map { String(s[$0]) } ?? "" }
    }

    static func translate(_ message: BilingualText) -> BilingualText {
        let (prefix, body) = strip(message)
        let b = body.trimmingCharacters(in: .whitespaces)
        if let c = captures(b, #"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)"#) {
            return prefix
                + BilingualText(
                    zh: "第 \(c[1]) 行的 <\(c[0])> 没有闭合：这里出现的是 </\(c[2])>，应先写 </\(c[0])>",
                    en: "<\(c[0])> opened on line \(c[1]) is not closed: found </\(c[2])> where </\(c[0])> was expected")
        }
        if let c = captures(b, #"^Premature end of data in tag (\S+) line (\d+)"#) {
            return prefix
                + BilingualText(
                    zh: "文件在 <\(c[0])>（第 \(c[1]) 行开始）闭合之前就结束了", en: "the file ends before <\(c[0])> (opened on line \(c[1])) is closed")
        }
        if b.hasPrefix("AttValue: \" or ' expected") {
            return prefix
                + BilingualText(
                    zh: "属性值必须用英文引号 \" 或 ' 括起（例如 topic=\"宗旨意识\"）",
                    en: "an attribute value must be in ASCII quotes \" or ' (e.g. topic=\"宗旨意识\")")
        }
        if b.hasPrefix("attributes construct error") || b.hasPrefix("Couldn't find end of Start Tag") {
            return prefix
                + BilingualText(
                    zh: "开始标签写得不对：检查属性是否写成 名称=\"值\"、引号是否成对、标签是否以 > 结束",
                    en: "the start tag is malformed: check that attributes read name=\"value\", quotes pair up, and the tag ends with >")
        }
        if let c = captures(b, #"^Element '([^']+)', attribute '([^']+)': '([^']*)' is not a valid value of the atomic type 'xs:boolean'"#) {
            return prefix
                + BilingualText(
                    zh: "<\(c[0])> 的属性 \(c[1])=\"\(c[2])\" 不是布尔值：只能写 true 或 false",
                    en: "<\(c[0])> attribute \(c[1])=\"\(c[2])\" is not a boolean: write true or false")
        }
        if let c = captures(b, #"^Element '([^']+)', attribute '([^']+)': \[facet 'enumeration'\] The value '([^']*)' is not an element of the set \{([^}]*)\}"#) {
            return prefix
                + BilingualText(
                    zh: "<\(c[0])> 的属性 \(c[1])=\"\(c[2])\" 不是允许的值；可用：\(c[3])",
                    en: "<\(c[0])> attribute \(c[1])=\"\(c[2])\" is not one of the allowed values: \(c[3])")
        }
        if let c = captures(b, #"^Element '([^']+)', attribute '([^']+)': The attribute '[^']+' is not allowed"#) {
            return prefix
                + BilingualText(zh: "<\(c[0])> 没有名为 \(c[1]) 的属性", en: "<\(c[0])> has no attribute named \(c[1])")
        }
        if let c = captures(b, #"^Element '([^']+)': The attribute '([^']+)' is required but missing"#) {
            return prefix + BilingualText(zh: "<\(c[0])> 缺少必需的属性 \(c[1])", en: "<\(c[0])> lacks the required attribute \(c[1])")
        }
        if let c = captures(b, #"^Element '([^']+)': This element is not expected\. Expected is (?:one of )?\( ?([^)]*) ?\)"#) {
            return prefix
                + BilingualText(
                    zh: "这里不应出现 <\(c[0])>；此处应为：\(c[1].trimmingCharacters(in: .whitespaces))",
                    en: "<\(c[0])> is not expected here; expected: \(c[1].trimmingCharacters(in: .whitespaces))")
        }
        if let c = captures(b, #"^Element '([^']+)': This element is not expected\.?$"#) {
            return prefix + BilingualText(zh: "这里不应出现 <\(c[0])>", en: "<\(c[0])> is not expected here")
        }
        if let c = captures(b, #"^Element '([^']+)': Missing child element\(s\)\. Expected is (?:one of )?\( ?([^)]*) ?\)"#) {
            return prefix
                + BilingualText(
                    zh: "<\(c[0])> 缺少子元素：\(c[1].trimmingCharacters(in: .whitespaces))",
                    en: "<\(c[0])> lacks a child element: \(c[1].trimmingCharacters(in: .whitespaces))")
        }
        return message
    }

    /// (attribute, nil) from the translated "has no attribute named X" message.
    static func unknownAttribute(_ m: String) -> (String, [String]?)? {
        if let c = captures(body(m), #"has no attribute named (\S+)$"#) { return (c[0], nil) }
        return nil
    }

    static func missingAttribute(_ m: String) -> String? {
        return captures(body(m), #"lacks the required attribute (\S+)$"#)?[0]
    }

    static func unexpectedElement(_ m: String) -> (String, [String])? {
        guard let c = captures(body(m), #"<([^>]+)> is not expected here; expected: (.*)$"#)
        else { return nil }
        return (c[0], c[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
}

/// Names the schemas declare, for "did you mean".
enum SchemaNames {
    static let attributes: [String] = names(after: "<xs:attribute name=\"")
    static let elements: [String] = names(after: "<xs:element name=\"")

    static func names(after marker: String) -> [String] {
        var out = Set<String>()
        for text in EmbeddedSchemas.files.values {
            var rest = Substring(text)
            while let r = rest.range(of: marker) {
                rest = rest[r.upperBound...]
                if let end = rest.firstIndex(of: "\"") { out.insert(String(rest[..<end])) }
            }
        }
        return out.sorted()
    }
}

enum Suggest {
    /// The closest candidate within a small edit distance (≤ 1 for short names, ≤ 2, ≤ 3 for long).
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let limit = word.count <= 4 ? 1 : word.count <= 10 ? 2 : 3
        var best: (String, Int)? = nil
        for c in candidates where c != word {
            let d = distance(word, c)
            if d <= limit && (best == nil || d < best!.1) { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
