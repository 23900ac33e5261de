import Courseware
import Foundation
import XMLSupport

/// Reads Moodle XML (`<quiz><question type=…>`), parsed by XMLSupport (no DOCTYPE, no network,
/// no entities beyond the five predefined ones).
///
/// - multichoice (single or multiple) → choice questions; truefalse → true/false; shortanswer →
///   fill-in with every 100% answer accepted; a cloze (multianswer) made only of SHORTANSWER
///   parts → a fill-in with one blank per part; categories → topics (the last path part).
/// - Fractions: a multiple-choice option is correct when its fraction is positive (negative
///   fractions mean "any wrong option scores 0", which is Academy's rule); unequal positive
///   fractions, partial credit in single choice and partly-right short answers are reported,
///   because Academy's grading has no such weights.
/// - Other types (essay, matching, numerical, cloze with other parts, …) are listed as skipped.
public enum MoodleImporter {
    public static func read(path: String, maxBytes: Int = 64 << 20) throws(ImportFailure) -> ImportReport {
        let result = XMLReader.read(file: path, options: XMLReadOptions(maxBytes: maxBytes))
        return try convert(result, file: path)
    }

    public static func convert(bytes: [UInt8], file: String) throws(ImportFailure) -> ImportReport {
        try convert(XMLReader.parse(bytes: bytes), file: file)
    }

    static func convert(_ result: XMLParseResult, file: String) throws(ImportFailure) -> ImportReport {
        if let p = result.problems.first(where: { $0.severity == .error }) {
            throw ImportFailure(file: "\(file):\(p.position.line):\(p.position.column)", zh: p.message.zh, en: p.message.en)
        }
        guard let root = result.root, root.name == "quiz" else {
            throw ImportFailure(
                file: file, line: result.root?.position.line,
                zh: "不是 Moodle XML：根元素应为 <quiz>", en: "not Moodle XML: the root element should be <quiz>")
        }
        var report = ImportReport()
        var category: String? = nil
        for q in root.children where q.name == "question" {
            let type = q[attribute: "type"] ?? ""
            let line = q.position.line
            func issue(_ kind: ImportIssue.Kind, _ field: String?, zh: String, en: String, at: Int? = nil) {
                report.issues.append(ImportIssue(kind, file: file, line: at ?? line, field: field, zh: zh, en: en))
            }
            if type == "category" {
                let path = q.firstChild(named: "category")?.firstChild(named: "text")?.text ?? ""
                // Moodle writes a "/" inside a category name as "//".
                let last = path.replacingOccurrences(of: "//", with: "\u{1}").split(separator: "/").last
                    .map { String($0).replacingOccurrences(of: "\u{1}", with: "/").trimmingCharacters(in: .whitespaces) }
                category = (last == nil || last == "top" || last!.hasPrefix("$")) ? nil : last
                continue
            }
            let name = q.firstChild(named: "name")?.firstChild(named: "text")?.text.trimmingCharacters(in: .whitespaces)
            let stem = richText(q.firstChild(named: "questiontext"))
            var explanation = richText(q.firstChild(named: "generalfeedback"))
            let answers = q.children(named: "answer")
            func fraction(_ a: XElement) -> Double? {
                guard let raw = a[attribute: "fraction"], let f = Double(raw.trimmingCharacters(in: .whitespaces)),
                    f.isFinite, f >= -100, f <= 100
                else {
                    issue(
                        .error, "fraction", zh: "答案的 fraction=\"\(a[attribute: "fraction"] ?? "")\" 不是 -100 到 100 之间的数",
                        en: "the answer's fraction=\"\(a[attribute: "fraction"] ?? "")\" is not a number from -100 to 100",
                        at: a.position.line)
                    return nil
                }
                return f
            }
            if explanation.isEmpty, let best = answers.first(where: { (Double($0[attribute: "fraction"] ?? "") ?? 0) >= 100 }) {
                explanation = richText(best.firstChild(named: "feedback"))
            }
            var body: QuestionBody? = nil
            let errorsBefore = report.issues.filter { $0.kind == .error }.count
            switch type {
            case "multichoice":
                let single = ["true", "1"].contains((q.firstChild(named: "single")?.text ?? "true").trimmingCharacters(in: .whitespaces))
                let shuffle = !["0", "false"].contains((q.firstChild(named: "shuffleanswers")?.text ?? "1").trimmingCharacters(in: .whitespaces))
                var options: [ChoiceOption] = []
                var positive: [Double] = []
                for a in answers {
                    guard let f = fraction(a) else { continue }
                    let text = richText(a)
                    if text.isEmpty {
                        issue(.error, "answer", zh: "选项文字是空的", en: "the option text is empty", at: a.position.line)
                        continue
                    }
                    if single && f > 0 && f < 100 {
                        issue(
                            .warning, "fraction",
                            zh: "单选题选项“\(text)”有 \(f)% 的部分分；Academy 的单选题没有部分分，导入为错误选项",
                            en: "single-choice option \"\(text)\" carries \(f)% partial credit; Academy's single choice has none, so it is imported as wrong",
                            at: a.position.line)
                    }
                    let correct = single ? f >= 100 : f > 0
                    if correct { positive.append(f) }
                    options.append(
                        ChoiceOption(
                            text: text, correct: correct, fixed: ChoiceOption.refersToOtherOptions(text),
                            location: importLocation))
                }
                if options.count > 8 {
                    issue(.error, "answer", zh: "有 \(options.count) 个选项，最多 8 个", en: "\(options.count) options; at most 8")
                }
                let correctCount = options.filter(\.correct).count
                if single && correctCount != 1 {
                    issue(
                        .error, "fraction", zh: "单选题需要恰好一个 fraction=\"100\" 的答案，这里有 \(correctCount) 个",
                        en: "a single-answer question needs exactly one answer with fraction=\"100\"; it has \(correctCount)")
                }
                if !single {
                    let sum = positive.reduce(0, +)
                    if abs(sum - 100) > 0.5 {
                        issue(
                            .error, "fraction", zh: "多选题正确选项的 fraction 之和是 \(sum)，应为 100",
                            en: "the positive fractions of a multiple-answer question add up to \(sum), not 100")
                    } else if correctCount < 2 {
                        issue(
                            .error, "fraction", zh: "多选题至少要有 2 个正确选项（只有一个时请设 <single>true</single>）",
                            en: "a multiple-answer question needs at least 2 correct options (use <single>true</single> for one)")
                    } else if let lo = positive.min(), let hi = positive.max(), hi - lo > 0.5 {
                        issue(
                            .warning, "fraction",
                            zh: "正确选项的分值不相等（\(positive.map { String($0) }.joined(separator: "/"))）；Academy 对每个正确选项同等计分",
                            en: "the correct options carry unequal fractions (\(positive.map { String($0) }.joined(separator: "/"))); Academy weighs them equally")
                    }
                    if correctCount == options.count && !options.isEmpty {
                        issue(.error, "fraction", zh: "所有选项都正确，没有干扰项", en: "every option is correct; there is no wrong option")
                    }
                }
                let c = ChoiceQuestion(stem: stem, options: options, shuffle: shuffle)
                body = single ? .singleChoice(c) : .multipleChoice(c)
            case "truefalse":
                var answer: Bool? = nil
                for a in answers {
                    guard let f = fraction(a) else { continue }
                    let t = richText(a).lowercased()
                    if f >= 100 { answer = (t == "true" || t == "正确" || t == "对") }
                }
                if answer == nil {
                    issue(.error, "answer", zh: "判断题没有 fraction=\"100\" 的答案", en: "no answer with fraction=\"100\"")
                }
                body = answer.map { .trueFalse(TrueFalseQuestion(stem: stem, answer: $0)) }
            case "shortanswer":
                var accepted: [String] = []
                for a in answers {
                    guard let f = fraction(a) else { continue }
                    let text = richText(a)
                    if f >= 100 {
                        if !text.isEmpty && !accepted.contains(text) { accepted.append(text) }
                    } else if f > 0 {
                        issue(
                            .warning, "fraction", zh: "答案“\(text)”只得 \(f)%；Academy 的填空没有部分分，此答案不被接受",
                            en: "answer \"\(text)\" earns \(f)%; Academy's fill-in has no partial answers, so it is not accepted",
                            at: a.position.line)
                    }
                }
                if accepted.isEmpty {
                    issue(.error, "answer", zh: "没有 fraction=\"100\" 的答案", en: "no answer with fraction=\"100\"")
                }
                var parts = AnswerSpelling.fillInStem(stem)
                let blanks = parts.filter { if case .blank = $0 { true } else { false } }.count
                if blanks == 0 { parts.append(.blank(0)) }
                if blanks > 1 {
                    issue(
                        .error, "questiontext", zh: "简答题只有一个答案，但题干中标出了 \(blanks) 个空",
                        en: "a short answer has one answer, but the text marks \(blanks) blanks")
                }
                body = .fillIn(FillInQuestion(stem: parts, blanks: [Blank(accepted: accepted, location: importLocation)]))
            case "multianswer", "cloze":
                let rawText = q.firstChild(named: "questiontext")?.firstChild(named: "text")?.text ?? ""
                switch Cloze.parse(rawText) {
                case .failure(let p):
                    issue(.error, "questiontext", zh: "完形填空语法错误：" + p.zh, en: "invalid cloze syntax: " + p.en)
                case .success(let cloze):
                    if let other = cloze.unsupportedType {
                        issue(
                            .skipped, nil, zh: "完形填空含有 \(other) 子题，题库只能收录全部为 SHORTANSWER 的完形填空，已跳过",
                            en: "the cloze has a \(other) part; only clozes made of SHORTANSWER parts can be imported; skipped")
                        continue
                    }
                    body = .fillIn(cloze.question)
                }
            case "":
                issue(.error, "type", zh: "<question> 缺少 type 属性", en: "<question> has no type attribute")
                continue
            default:
                issue(
                    .skipped, nil, zh: "Moodle 题型“\(type)”题库不收录，已跳过",
                    en: "Moodle question type \"\(type)\" cannot be held by the bank; skipped")
                continue
            }
            if stem.isEmpty { issue(.error, "questiontext", zh: "题干是空的", en: "the question text is empty") }
            if explanation.isEmpty {
                issue(
                    .error, "generalfeedback", zh: "缺少解析（<generalfeedback>）；题库要求每道题都有解析",
                    en: "no explanation (<generalfeedback>); the bank requires one for every question")
            }
            for (field, text) in [("questiontext", stem), ("generalfeedback", explanation)]
            where text.count > QuestionDraft.maxFieldCharacters {
                issue(
                    .error, field, zh: "内容有 \(text.count) 个字符，超过上限 \(QuestionDraft.maxFieldCharacters)",
                    en: "the text is \(text.count) characters long, more than the limit of \(QuestionDraft.maxFieldCharacters)")
            }
            guard let body, report.issues.filter({ $0.kind == .error }).count == errorsBefore else { continue }
            report.questions.append(
                ImportedQuestion(
                    body: body, explanation: explanation, difficulty: difficulty(q), sourceID: name,
                    provisionLabels: tags(q).filter { !$0.hasPrefix("difficulty-") },
                    topic: category, file: file, line: line))
        }
        if report.questions.isEmpty && !report.hasErrors && !report.issues.contains(where: { $0.kind == .skipped }) {
            report.issues.append(
                ImportIssue(.error, file: file, line: root.position.line, zh: "文件中没有题目", en: "the file has no questions"))
        }
        return report
    }

    /// The tag `difficulty-1`…`difficulty-3` (written by the exporter), if any.
    static func difficulty(_ q: XElement) -> Int? {
        tags(q).lazy.compactMap { $0.hasPrefix("difficulty-") ? Int($0.dropFirst("difficulty-".count)) : nil }
            .first { (1...3).contains($0) }
    }

    /// `<tags><tag><text>s1.people-centred</text></tag></tags>`: provision ids or titles.
    static func tags(_ q: XElement) -> [String] {
        (q.firstChild(named: "tags")?.children(named: "tag") ?? []).map {
            ($0.firstChild(named: "text")?.text ?? $0.text).trimmingCharacters(in: .whitespacesAndNewlines)
        }.filter { !$0.isEmpty }
    }

    /// The `<text>` of an element, reduced to plain text when its format is HTML (the default).
    static func richText(_ e: XElement?) -> String {
        guard let e else { return "" }
        let text = e.firstChild(named: "text")?.text ?? ""
        switch e[attribute: "format"] ?? "html" {
        case "plain_text", "moodle_auto_format", "markdown": return QuestionDraft.clean(text)
        default: return HTMLText.plain(text)
        }
    }
}

/// Moodle's cloze (multianswer) syntax: `{1:SHORTANSWER:=answer~=other}` embedded in HTML.
enum Cloze {
    struct Parsed {
        var question: FillInQuestion
        var unsupportedType: String?
    }

    static func parse(_ html: String) -> Result<Parsed, AnswerSpelling.Problem> {
        var stem: [FillInQuestion.StemPart] = []
        var blanks: [Blank] = []
        var unsupported: String? = nil
        var rest = Substring(html)
        var textRun = ""
        func flushText() {
            let t = HTMLText.plain(textRun)
            if !t.isEmpty { stem.append(.text(t)) }
            textRun = ""
        }
        while let open = rest.firstIndex(of: "{") {
            textRun += rest[..<open]
            var closeIndex: Substring.Index? = nil
            var k = rest.index(after: open)
            while k < rest.endIndex {
                if rest[k] == "\\" {
                    k = rest.index(after: k)
                    if k == rest.endIndex { break }
                } else if rest[k] == "}" {
                    closeIndex = k
                    break
                }
                k = rest.index(after: k)
            }
            guard let close = closeIndex else {
                return .failure(.init(zh: "“{”没有对应的“}”", en: "a \"{\" has no closing \"}\""))
            }
            let inner = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            let fields = inner.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].allSatisfy(\.isNumber) else {
                return .failure(
                    .init(zh: "“{\(inner)}”不是 {分值:题型:答案} 的形式", en: "\"{\(inner)}\" is not of the form {weight:TYPE:answers}"))
            }
            let type = fields[1].uppercased()
            let known = ["SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"]
            let others = ["MULTICHOICE", "MC", "MULTICHOICE_V", "MCV", "MULTICHOICE_H", "MCH", "NUMERICAL", "NM",
                "MULTIRESPONSE", "MR", "MULTIRESPONSE_H", "MRH", "MULTICHOICE_S", "MCS", "MULTICHOICE_VS", "MCVS",
                "MULTICHOICE_HS", "MCHS", "MULTIRESPONSE_S", "MRS", "MULTIRESPONSE_HS", "MRHS"]
            if others.contains(type) {
                unsupported = unsupported ?? type
                continue
            }
            guard known.contains(type) else {
                return .failure(.init(zh: "未知的子题类型“\(fields[1])”", en: "unknown cloze part type \"\(fields[1])\""))
            }
            var accepted: [String] = []
            for alt in splitUnescaped(fields[2], "~") {
                var a = Substring(alt)
                var full = false
                if a.hasPrefix("=") {
                    full = true
                    a = a.dropFirst()
                } else if a.hasPrefix("%") {
                    guard let end = a.dropFirst().firstIndex(of: "%"), let f = Double(a[a.index(after: a.startIndex)..<end]) else {
                        return .failure(.init(zh: "分值“\(alt)”格式错误", en: "malformed grade in \"\(alt)\""))
                    }
                    full = f >= 100
                    a = a[a.index(after: end)...]
                }
                a = splitUnescaped(a, "#")[0]
                let text = HTMLText.plain(unescape(a))
                if full && !text.isEmpty && !accepted.contains(text) { accepted.append(text) }
            }
            guard !accepted.isEmpty else {
                return .failure(.init(zh: "“{\(inner)}”没有满分答案（=答案 或 %100%答案）", en: "\"{\(inner)}\" has no full-credit answer (=answer or %100%answer)"))
            }
            flushText()
            stem.append(.blank(blanks.count))
            blanks.append(Blank(accepted: accepted, location: importLocation))
        }
        textRun += rest
        flushText()
        func splitUnescaped(_ s: Substring, _ sep: Character) -> [Substring] {
            var parts: [Substring] = []
            var start = s.startIndex
            var i = s.startIndex
            while i < s.endIndex {
                if s[i] == "\\" {
                    i = s.index(after: i)
                    if i < s.endIndex { i = s.index(after: i) }
                    continue
                }
                if s[i] == sep {
                    parts.append(s[start..<i])
                    start = s.index(after: i)
                }
                i = s.index(after: i)
            }
            parts.append(s[start...])
            return parts
        }
        func unescape(_ s: Substring) -> String {
            var out = ""
            var escaped = false
            for c in s {
                if !escaped && c == "\\" {
                    escaped = true
                    continue
                }
                escaped = false
                out.append(c)
            }
            return out
        }
        if blanks.isEmpty && unsupported == nil {
            return .failure(.init(zh: "完形填空中没有 {…} 子题", en: "the cloze has no {…} parts"))
        }
        return .success(Parsed(question: FillInQuestion(stem: stem, blanks: blanks), unsupportedType: unsupported))
    }
}
