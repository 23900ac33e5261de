import Foundation
import Spreadsheets
import XMLSupport

/// Reads the numbered format trainers paste from documents:
///
///     一、单选题
///     1、通知要求春节前开展一次什么？（  ）
///     A、全员教育
///     B.专项检查
///     答案：A
///     解析：……
///
/// Section headings (`一、单选题`, `【判断题】`) set the type of the questions after them; without
/// one the type follows from the block (options → choice, a true/false answer → 判断, blanks →
/// 填空). Optional lines: `难度：`, `知识点：`, `条款：`, `编号：`. Blocks of types the bank cannot hold
/// (简答题, 论述题) are listed as skipped with their line numbers.
public enum NumberedTextImporter {
    /// One line of the source with its 1-based number (a paragraph number for Word documents).
    public struct SourceLine: Sendable {
        public var number: Int
        public var text: String
        public init(number: Int, text: String) {
            self.number = number
            self.text = text
        }
    }

    public static func read(path: String, maxBytes: Int = 64 << 20) throws(ImportFailure) -> ImportReport {
        do {
            let bytes = try ZipPackage.fileBytes(path: path, displayName: path, limit: maxBytes)
            let text = try PlainTextFile.decode(bytes: bytes, source: path)
            var lines: [SourceLine] = []
            var n = 0
            text.enumerateLines { line, _ in
                n += 1
                lines.append(SourceLine(number: n, text: line))
            }
            return convert(lines, file: path)
        } catch let e as SpreadsheetError {
            throw ImportFailure(file: e.file, line: e.line, zh: e.chinese, en: e.english)
        } catch {
            throw ImportFailure(file: path, zh: "\(error)", en: "\(error)")
        }
    }

    enum LineKind {
        case heading(QuestionDraft.TypeName)
        case start(String)
        case option(Int, String)
        case field(String, String)
        case text(String)
    }

    static let numerals = "一二三四五六七八九十"

    static func classify(_ raw: String) -> LineKind {
        // Markers are recognised in half-width form; the text returned keeps the original
        // characters (a full-width comma stays full-width).
        let original = raw.trimmingCharacters(in: .whitespaces)
        let line = AnswerSpelling.halfWidth(original)
        var chars = Array(line)
        let orig = Array(original)
        if orig.count != chars.count { chars = orig }
        // Headings: 一、单选题（每题 2 分） / 【多选题】 / 判断题
        var i = 0
        while i < chars.count && numerals.contains(chars[i]) { i += 1 }
        if i > 0 && i < chars.count && "、.".contains(chars[i]) { i += 1 } else if i > 0 { i = -1 }
        if i >= 0 {
            var rest = String(chars[i...]).trimmingCharacters(in: .whitespaces)
            if let cut = rest.firstIndex(where: { "(（：:".contains($0) }) { rest = String(rest[..<cut]) }
            if let t = QuestionDraft.typeName(rest) { return .heading(t) }
            if rest.hasPrefix("["), let t = QuestionDraft.typeName(rest) { return .heading(t) }
        }
        // Question start: 1、 1. 1) (1) 1．
        var j = 0
        let paren = chars.first == "(" || chars.first == "（"
        if paren { j = 1 }
        let digitsStart = j
        while j < chars.count && chars[j].isASCII && chars[j].isNumber { j += 1 }
        if j > digitsStart && j < chars.count && ("、.)）".contains(chars[j])) {
            let rest = String(orig[(j + 1)...]).trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty { return .start(rest) }
        }
        // Options: A、 A. A． A) A：
        if chars.count >= 2, let k = AnswerSpelling.letters.firstIndex(of: Character(String(chars[0]).uppercased())),
            chars[0].isUppercase, "、.)）:：".contains(chars[1])
        {
            return .option(k, String(orig[2...]).trimmingCharacters(in: .whitespaces))
        }
        // Fields: 答案：A / 【答案】A
        for label in ["答案", "正确答案", "参考答案", "解析", "答案解析", "难度", "知识点", "条款", "编号"] {
            for (open, close) in [("", ":"), ("", "："), ("【", "】"), ("[", "]")] {
                let p = open + label + close
                if line.hasPrefix(p) {
                    return .field(label, String(orig.dropFirst(p.count)).trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return .text(original)
    }

    public static func convert(_ lines: [SourceLine], file: String) -> ImportReport {
        var report = ImportReport()
        var section: QuestionDraft.TypeName? = nil
        var block: (start: Int, stem: String, options: [(Int, String, Int)], fields: [String: String], lastField: String?)? = nil
        var skippedSection = false

        func finish() {
            guard let b = block else { return }
            block = nil
            if case .unsupported(let name) = section {
                report.issues.append(
                    ImportIssue(
                        .skipped, file: file, line: b.start,
                        zh: "“\(name)”需要人工评阅，题库不收录，已跳过", en: "\"\(name)\" needs a human marker; skipped"))
                return
            }
            var kind: QuestionDraft.Kind
            let answer = b.fields["答案"] ?? ""
            if case .kind(let k) = section {
                kind = k
            } else if !b.options.isEmpty {
                let letters = AnswerSpelling.halfWidth(answer).filter { $0.isLetter }
                kind = letters.count > 1 ? .multiple : .single
            } else if case .success = AnswerSpelling.trueFalse(answer) {
                kind = .trueFalse
            } else {
                kind = .fillIn
            }
            // 判断题 written with options A 正确 / B 错误 keeps them for the answer lookup only.
            var draft = QuestionDraft(kind: kind, file: file, line: b.start)
            draft.stem = b.stem
            var options = [String](repeating: "", count: 8)
            var problem = false
            for (index, text, line) in b.options {
                if index > 0 && options[index - 1].isEmpty || !options[index].isEmpty {
                    report.issues.append(
                        ImportIssue(
                            .error, file: file, line: line, field: "选项" + String(AnswerSpelling.letters[index]),
                            zh: "选项字母不按顺序或重复（应从 A 起依次排列）",
                            en: "option letters are out of order or repeated (they run from A in order)"))
                    problem = true
                }
                options[index] = text.isEmpty ? " " : text
            }
            if problem { return }
            draft.options = options.map { $0 == " " ? "" : $0 }
            draft.answer = answer
            draft.explanation = b.fields["解析"] ?? ""
            draft.difficulty = b.fields["难度"] ?? ""
            draft.sourceID = b.fields["编号"] ?? ""
            let knowledge = QuestionDraft.labels(b.fields["知识点"] ?? "")
            draft.provisionLabels = QuestionDraft.labels(b.fields["条款"] ?? "") + knowledge
            draft.topic = knowledge.first ?? ""
            let (q, issues) = draft.resolve()
            report.issues += issues
            if let q { report.questions.append(q) }
        }

        func orphan(_ line: SourceLine) {
            report.issues.append(
                ImportIssue(
                    .error, file: file, line: line.number,
                    zh: "这一行不属于任何题目（题目以“1、”这样的题号开头）：\(line.text.prefix(40))",
                    en: "this line belongs to no question (questions start with a number such as \"1、\"): \(line.text.prefix(40))"))
        }
        for line in lines {
            let kind = classify(line.text)
            switch kind {
            case .heading(let t):
                finish()
                section = t
                skippedSection = { if case .unsupported = t { true } else { false } }()
            case .start(let rest):
                finish()
                block = (line.number, rest, [], [:], nil)
            case .option(let i, let text):
                guard block != nil, block!.fields.isEmpty else {
                    if block == nil && !skippedSection { orphan(line) }
                    else if block != nil, let f = block!.lastField { block!.fields[f, default: ""] += line.text }
                    continue
                }
                block!.options.append((i, text, line.number))
            case .field(let label, let value):
                guard block != nil else {
                    if !skippedSection { orphan(line) }
                    continue
                }
                let key = label.hasSuffix("答案") && label != "答案解析" ? "答案" : label == "答案解析" ? "解析" : label
                block!.fields[key] = value
                block!.lastField = key
            case .text(let t):
                if t.isEmpty { continue }
                guard block != nil else {
                    if !skippedSection { orphan(line) }
                    continue
                }
                if let f = block!.lastField {
                    block!.fields[f, default: ""] += t
                } else if !block!.options.isEmpty {
                    block!.options[block!.options.count - 1].1 += t
                } else {
                    block!.stem += t
                }
            }
        }
        finish()

        if report.questions.isEmpty && !report.hasErrors && !report.issues.contains(where: { $0.kind == .skipped }) {
            report.issues.append(
                ImportIssue(
                    .error, file: file, line: 1, zh: "没有找到题目（题目以“1、”这样的题号开头）",
                    en: "no questions found (questions start with a number such as \"1、\")"))
        }
        return report
    }
}

/// Word documents (.docx): the paragraphs of `word/document.xml`, read through ZIPFoundation
/// with the zip-bomb limits of the spreadsheet reader and parsed by XMLSupport, become the lines
/// of the numbered text format. Line numbers in messages are paragraph numbers. Paragraphs with
/// Word's automatic numbering get their number written out (`1、`), as the reader sees it.
public enum DocxBankImporter {
    public static func read(path: String, limits: ReadLimits = .default) throws(ImportFailure) -> ImportReport {
        do {
            let bytes = try ZipPackage.fileBytes(path: path, displayName: path, limit: limits.maxFileBytes)
            return try convert(bytes: bytes, source: path, limits: limits)
        } catch let e as ImportFailure {
            throw e
        } catch let e as SpreadsheetError {
            throw ImportFailure(file: e.file, line: e.line, zh: e.chinese, en: e.english)
        } catch {
            throw ImportFailure(file: path, zh: "\(error)", en: "\(error)")
        }
    }

    public static func convert(bytes: [UInt8], source: String, limits: ReadLimits = .default) throws -> ImportReport {
        var package = try ZipPackage(bytes: bytes, source: source, limits: limits)
        guard package.has("word/document.xml") else {
            throw ImportFailure(
                file: source, zh: "不是 Word 文档（.docx）：缺少 word/document.xml",
                en: "not a Word document (.docx): word/document.xml is missing")
        }
        let root = try package.parsePart("word/document.xml")
        var lines: [NumberedTextImporter.SourceLine] = []
        var counters: [String: Int] = [:]
        var paragraph = 0
        func visit(_ e: XElement) {
            if e.name == "w:p" {
                paragraph += 1
                var text = ""
                collect(e, into: &text)
                var pieces = text.components(separatedBy: "\n")
                if let numPr = e.firstChild(named: "w:pPr")?.firstChild(named: "w:numPr"),
                    let first = pieces.first?.trimmingCharacters(in: .whitespaces), !first.isEmpty
                {
                    let numID = numPr.firstChild(named: "w:numId")?[attribute: "w:val"] ?? "0"
                    let level = numPr.firstChild(named: "w:ilvl")?[attribute: "w:val"] ?? "0"
                    let key = numID + "/" + level
                    if case .text = NumberedTextImporter.classify(first), level == "0" {
                        counters[key, default: 0] += 1
                        pieces[0] = "\(counters[key]!)、" + first
                    }
                }
                for piece in pieces { lines.append(.init(number: paragraph, text: piece)) }
                return
            }
            for c in e.children { visit(c) }
        }
        func collect(_ e: XElement, into text: inout String) {
            for node in e.nodes {
                guard case .element(let c) = node else { continue }
                switch c.name {
                case "w:t": text += c.text
                case "w:tab": text += " "
                case "w:br", "w:cr": text += "\n"
                case "w:del", "w:instrText": continue
                default: collect(c, into: &text)
                }
            }
        }
        visit(root)
        return NumberedTextImporter.convert(lines, file: source)
    }
}
