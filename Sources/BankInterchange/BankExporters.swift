import Courseware
import Foundation
import Localization
import Spreadsheets
import XMLSupport

/// Moodle XML that Moodle's importer (question/format/xml) accepts: a category question per
/// topic, then multichoice / truefalse / shortanswer questions, and a cloze (multianswer) for
/// fill-ins with more than one blank. The question id is the name and idnumber; the cited
/// provisions and the difficulty (`difficulty-1…3`) are tags, so an import gives back the bank.
public enum MoodleExporter {
    /// Moodle's grade list has these values for 1…8 correct options.
    static let shares = ["100", "50", "33.33333", "25", "20", "16.66667", "14.28571", "12.5"]

    public static func export(_ bank: QuestionBank) throws(ExportFailure) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n"
        var topic: String? = nil
        for q in bank.questions {
            if q.topic != topic {
                topic = q.topic
                out += "  <question type=\"category\">\n"
                out += "    <category><text>\(XMLEscape.text("$course$/top/" + q.topic.replacingOccurrences(of: "/", with: "//")))</text></category>\n"
                out += "  </question>\n"
            }
            try write(q, into: &out)
        }
        out += "</quiz>\n"
        return out
    }

    /// Text as a CDATA section of HTML: the text HTML-escaped inside `<p>`.
    static func html(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return "<![CDATA[<p>" + escaped + "</p>]]>"
    }

    static func write(_ q: Question, into out: inout String) throws(ExportFailure) {
        let type: String
        var stem: String
        var body = ""
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            type = "multichoice"
            stem = c.stem
            let single = q.type == .singleChoice
            let k = max(1, c.options.filter(\.correct).count)
            body += "    <single>\(single)</single>\n"
            body += "    <shuffleanswers>\(c.shuffle)</shuffleanswers>\n"
            body += "    <answernumbering>ABCD</answernumbering>\n"
            for o in c.options {
                let fraction = o.correct ? shares[min(k, 8) - 1] : (single ? "0" : "-100")
                body += "    <answer fraction=\"\(fraction)\" format=\"html\"><text>\(html(o.text))</text><feedback format=\"html\"><text></text></feedback></answer>\n"
            }
        case .trueFalse(let t):
            type = "truefalse"
            stem = t.stem
            for value in [true, false] {
                body += "    <answer fraction=\"\(t.answer == value ? 100 : 0)\" format=\"moodle_auto_format\"><text>\(value)</text><feedback format=\"html\"><text></text></feedback></answer>\n"
            }
        case .fillIn(let f):
            if f.blanks.count == 1 {
                type = "shortanswer"
                stem = f.stem.map {
                    switch $0 {
                    case .text(let t): t
                    case .blank: "______"
                    }
                }.joined()
                body += "    <usecase>0</usecase>\n"
                for a in f.blanks[0].accepted {
                    body += "    <answer fraction=\"100\" format=\"moodle_auto_format\"><text>\(XMLEscape.text(a))</text><feedback format=\"html\"><text></text></feedback></answer>\n"
                }
            } else {
                type = "cloze"
                stem = ""
                for part in f.stem {
                    switch part {
                    case .text(let t): stem += t
                    case .blank(let i):
                        let alts = f.blanks[i].accepted.map { "=" + clozeEscape($0) }.joined(separator: "~")
                        stem += "{1:SHORTANSWER:\(alts)}"
                    }
                }
            }
        case .caseAnalysis:
            throw ExportFailure(
                zh: "题目 \(q.id) 是案例分析题，Moodle 没有对应题型；请导出题库而不是案例",
                en: "question \(q.id) is a case analysis, which Moodle has no type for; export banks, not case studies")
        }
        out += "  <question type=\"\(type)\">\n"
        out += "    <name><text>\(XMLEscape.text(q.id))</text></name>\n"
        out += "    <questiontext format=\"html\"><text>\(html(stem))</text></questiontext>\n"
        out += "    <generalfeedback format=\"html\"><text>\(html(q.explanation))</text></generalfeedback>\n"
        out += "    <defaultgrade>1</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n"
        out += "    <idnumber>\(XMLEscape.text(q.id))</idnumber>\n"
        out += body
        out += "    <tags>\n"
        for tag in q.citations.map(\.provisionID) + ["difficulty-\(q.difficulty)"] {
            out += "      <tag><text>\(XMLEscape.text(tag))</text></tag>\n"
        }
        out += "    </tags>\n  </question>\n"
    }

    /// Moodle's cloze syntax gives `} ~ # / " \` a meaning inside `{…}`: escape them.
    static func clozeEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "}~#/\"\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out  // HTML-escaped once, with the whole question text
    }
}

/// A failure to export (a question the target format cannot hold, a file that cannot be written).
public struct ExportFailure: Error, CustomStringConvertible, LocalizedText, Sendable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
    public func text(in language: Language) -> String { language.pick(zh: zh, en: en) }
    /// The Chinese form (logs, tests).
    public var description: String { zh }
}

/// The template layout `SpreadsheetBankImporter` reads, one question a row.
public enum SpreadsheetBankExporter {
    public static let headers =
        ["编号", "题型", "题干"] + AnswerSpelling.letters.map { "选项\($0)" } + ["答案", "解析", "难度", "分值", "知识点", "条款", "选项乱序"]

    static func typeName(_ t: QuestionType) -> String {
        switch t {
        case .singleChoice: "单选题"
        case .multipleChoice: "多选题"
        case .trueFalse: "判断题"
        case .fillIn: "填空题"
        case .caseAnalysis: "案例分析题"
        }
    }

    /// The cells of one question, in `headers` order.
    public static func row(_ q: Question) throws(ExportFailure) -> [String] {
        var options = [String](repeating: "", count: 8)
        var stem = ""
        var answer = ""
        var shuffle = ""
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            stem = c.stem
            for (i, o) in c.options.enumerated() where i < 8 { options[i] = o.text }
            answer = String(c.correctIndices.map { AnswerSpelling.letters[$0] })
            shuffle = c.shuffle ? "是" : "否"
        case .trueFalse(let t):
            stem = t.stem
            answer = t.answer ? "正确" : "错误"
        case .fillIn(let f):
            stem = f.stem.map {
                switch $0 {
                case .text(let t): t
                case .blank: "____"
                }
            }.joined()
            answer = try fillInAnswer(f, id: q.id)
        case .caseAnalysis:
            throw ExportFailure(
                zh: "题目 \(q.id) 是案例分析题，表格模板没有对应题型",
                en: "question \(q.id) is a case analysis, which the sheet template cannot hold")
        }
        return [q.id, typeName(q.type), stem] + options
            + [answer, q.explanation, AnswerSpelling.difficultyLabel(q.difficulty), "", q.topic,
                q.citations.map(\.provisionID).joined(separator: "，"), shuffle]
    }

    /// Blanks joined by `###` (or `；` when an answer contains `#`), alternatives by `|` — the
    /// spelling the importer reads back. An answer that contains the separators cannot be written
    /// unambiguously and is refused.
    static func fillInAnswer(_ f: FillInQuestion, id: String) throws(ExportFailure) -> String {
        let answers = f.blanks.flatMap(\.accepted)
        func refuse(_ what: String) -> ExportFailure {
            ExportFailure(
                zh: "题目 \(id) 的填空答案含有“\(what)”，与表格模板的分隔符冲突，无法无歧义地写出",
                en: "a fill-in answer of question \(id) contains \"\(what)\", a separator of the sheet template; it cannot be written unambiguously")
        }
        for bar in ["|", "｜"] where answers.contains(where: { $0.contains(bar) }) { throw refuse(bar) }
        if f.blanks.count == 1 {
            for sep in ["###", "；", ";"] where answers.contains(where: { $0.contains(sep) }) { throw refuse(sep) }
            return f.blanks[0].accepted.joined(separator: "|")
        }
        let alternatives = f.blanks.map { $0.accepted.joined(separator: "|") }
        if !answers.contains(where: { $0.contains("#") }) { return alternatives.joined(separator: "###") }
        if !answers.contains(where: { $0.contains("；") || $0.contains(";") }) { return alternatives.joined(separator: "；") }
        throw refuse("#")
    }

    /// Writes the workbook atomically: on any error nothing is left at `destination`.
    public static func export(_ bank: QuestionBank, to destination: URL) throws {
        let rows = try bank.questions.map { q throws(ExportFailure) in try row(q) }
        let writer = try XLSXWriter(destination: destination)
        do {
            let sheet = try writer.addSheet(named: "题库")
            try sheet.writeHeader(headers)
            for r in rows { try sheet.writeRow(r.map(CellValue.text)) }
            try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
    }
}
