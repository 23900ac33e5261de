import Foundation
import Courseware
import XMLSupport

/// Writes a bank as the project's bank XML, formatted like the shipped banks (two-space indent,
/// one element per line, a blank line between questions), so a trainer can read and edit it and
/// a diff shows only what changed.
public enum BankXMLFormatter {
    /// - Parameters:
    ///   - schemaPath: the `xsi:noNamespaceSchemaLocation` (relative to the file) editors use.
    ///   - header: comment lines written at the top (what the bank is, where it came from).
    ///   - notes: question id → source labels that matched no provision, written as a comment.
    public static func format(
        _ bank: QuestionBank, schemaPath: String, header: [String], notes: [String: [String]] = [:]
    ) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        if !header.isEmpty {
            out += "<!--\n"
            for line in header { out += "  " + comment(line) + "\n" }
            out += "-->\n"
        }
        out += "<question-bank xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
        out += "               xsi:noNamespaceSchemaLocation=\"\(XMLEscape.attribute(schemaPath))\"\n"
        out += "               id=\"\(XMLEscape.attribute(bank.id))\" title=\"\(XMLEscape.attribute(bank.title))\">\n"
        for q in bank.questions {
            out += "\n"
            write(q, notes: notes[q.id] ?? [], indent: "  ", into: &out)
        }
        out += "</question-bank>\n"
        return out
    }

    /// `--` cannot appear inside an XML comment.
    static func comment(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "--", with: "- -")
        if t.hasSuffix("-") { t += " " }
        return t
    }

    static func write(_ q: Question, notes: [String], indent: String, into out: inout String) {
        let name = q.type.rawValue
        var attrs = "id=\"\(XMLEscape.attribute(q.id))\" topic=\"\(XMLEscape.attribute(q.topic))\" difficulty=\"\(q.difficulty)\""
        if q.type != .caseAnalysis, q.weight != 1 { attrs += " weight=\"\(Int(q.weight))\"" }
        let inner = indent + "  "
        var lines: [String] = []
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            if !c.shuffle { attrs += " shuffle=\"false\"" }
            lines.append("<stem>\(XMLEscape.text(c.stem))</stem>")
            for o in c.options {
                var a = ""
                if o.correct { a += " correct=\"true\"" }
                if o.fixed { a += " fixed=\"true\"" }
                lines.append("<option\(a)>\(XMLEscape.text(o.text))</option>")
            }
        case .trueFalse(let t):
            attrs += " answer=\"\(t.answer)\""
            lines.append("<stem>\(XMLEscape.text(t.stem))</stem>")
        case .fillIn(let f):
            var stem = "<stem>"
            for part in f.stem {
                switch part {
                case .text(let s): stem += XMLEscape.text(s)
                case .blank(let i):
                    stem += "<blank>"
                    for a in f.blanks[i].accepted { stem += "<accept>\(XMLEscape.text(a))</accept>" }
                    stem += "</blank>"
                }
            }
            lines.append(stem + "</stem>")
        case .caseAnalysis(let c):
            lines.append("<scenario>")
            for p in c.scenario { lines.append("  <p>\(XMLEscape.text(p))</p>") }
            lines.append("</scenario>")
            for part in c.parts {
                var sub = ""
                write(part, notes: [], indent: inner, into: &sub)
                lines.append(contentsOf: sub.split(separator: "\n").map { String($0.dropFirst(inner.count)) })
            }
        }
        if !notes.isEmpty {
            lines.append("<!-- 原知识点/条款 / source labels: \(comment(notes.joined(separator: "、"))) -->")
        }
        for c in q.citations { lines.append("<cite provision=\"\(XMLEscape.attribute(c.provisionID))\"/>") }
        lines.append("<explanation>\(XMLEscape.text(q.explanation))</explanation>")
        out += indent + "<\(name) \(attrs)>\n"
        for l in lines { out += inner + l + "\n" }
        out += indent + "</\(name)>\n"
    }
}
