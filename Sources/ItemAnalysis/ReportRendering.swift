import Foundation
import Localization

/// Text, JSON and HTML renderings of an item-analysis report, in Chinese or English.
public enum ItemAnalysisRendering {
    static func f(_ x: Double?, _ digits: Int = 2) -> String {
        guard let x, x.isFinite else { return "—" }
        return String(format: "%.\(digits)f", x)
    }

    public static func json(_ report: ItemAnalysisReport) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: (try? enc.encode(report)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }

    public static func text(_ r: ItemAnalysisReport, title: String, language: Language) -> String {
        func t(_ c: String, _ e: String) -> String { language.pick(zh: c, en: e) }
        var out: [String] = []
        out.append(title)
        out.append(
            t("计入的考试：n = \(r.n)", "Counting attempts: n = \(r.n)")
                + (r.unreliable ? t("（少于 \(r.minimumReliableN) 人，统计不可靠）", " (fewer than \(r.minimumReliableN): unreliable)") : ""))
        out.append(t("平均得分率 ", "Mean score ") + f(r.meanPercent, 1) + "%")
        out.append(
            t("信度 ", "Reliability ") + "\(r.reliability.method) = " + f(r.reliability.value, 3)
                + t("（按 \(r.reliability.items) 个题位，\(r.reliability.n) 份完整试卷）", " (over \(r.reliability.items) paper positions, \(r.reliability.n) complete papers)"))
        out.append("")
        out.append(t("## 成绩分布", "## Score distribution"))
        let peak = max(1, r.histogram.map(\.count).max() ?? 1)
        for b in r.histogram {
            let bar = String(repeating: "█", count: Int((Double(b.count) / Double(peak) * 40).rounded()))
            out.append(String(format: "%3d–%3d%%  %5d  ", b.from, b.to, b.count) + bar)
        }
        out.append("")
        out.append(t("## 按条款（通过率由低到高）", "## By provision (facility, worst first)"))
        for p in r.provisions {
            out.append("\(f(p.meanFacility))  \(p.provisionID)  \(p.title)  " + t("（\(p.items) 题，\(p.responses) 人次）", "(\(p.items) questions, \(p.responses) responses)"))
        }
        out.append("")
        out.append(t("## 需要处理的题目", "## Flagged questions"))
        let flagged = r.items.filter { !$0.flags.isEmpty }
        if flagged.isEmpty { out.append(t("（无）", "(none)")) }
        for i in flagged {
            out.append("\(i.questionID)  n=\(i.n)\(i.unreliable ? t(" 不可靠", " unreliable") : "")  \(i.stem.prefix(40))")
            for fl in i.flags { out.append("  - " + language.pick(zh: fl.zh, en: fl.en)) }
        }
        out.append("")
        out.append(t("## 全部题目", "## All questions"))
        out.append(t("题目          n     通过率  点二列  D(27%)  未答", "question      n     facil.  r(pb)   D(27%)  blank"))
        for i in r.items {
            out.append(
                i.questionID.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: " %5d  ", i.n) + f(i.facility) + "    " + f(i.pointBiserial).padding(toLength: 6, withPad: " ", startingAt: 0)
                    + "  " + f(i.discriminationIndex).padding(toLength: 6, withPad: " ", startingAt: 0) + "  \(i.unanswered)"
                    + (i.unreliable ? t("  不可靠", "  unreliable") : ""))
            if !i.options.isEmpty {
                let opts = i.options.map { "\($0.letter)\($0.keyed ? "*" : "") \($0.all) (\($0.upper)/\($0.lower))" }.joined(separator: "  ")
                out.append("    " + t("选项 全部(高/低)：", "options all (upper/lower): ") + opts)
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A self-contained page: inline CSS, bar charts drawn with CSS widths, no script.
    public static func html(_ r: ItemAnalysisReport, title: String, language: Language) -> String {
        func t(_ c: String, _ e: String) -> String { esc(language.pick(zh: c, en: e)) }
        var h = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)"><head><meta charset="utf-8"><title>\(esc(title))</title>
            <style>
            body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
            .bar{background:#4a78b5;height:1em;display:inline-block}.bad{background:#c0392b}.num{text-align:right;font-variant-numeric:tabular-nums}
            .flag{color:#a00}.unreliable{color:#888}
            </style></head><body>
            <h1>\(esc(title))</h1>

            """
        h += "<p>" + t("计入的考试：", "Counting attempts: ") + "n = \(r.n)"
        if r.unreliable { h += " <span class=\"unreliable\">" + t("（少于 30 人，统计不可靠）", "(fewer than 30: unreliable)") + "</span>" }
        h += "<br>" + t("平均得分率 ", "Mean score ") + f(r.meanPercent, 1) + "%<br>" + t("信度 ", "Reliability ") + esc(r.reliability.method)
            + " = " + f(r.reliability.value, 3) + "</p>\n"
        h += "<h2>" + t("按条款的通过率（由低到高）", "Facility by provision (worst first)") + "</h2>\n<table>\n"
        for p in r.provisions {
            let w = Int((p.meanFacility * 300).rounded())
            h += "<tr><td>\(esc(p.provisionID))</td><td>\(esc(p.title))</td><td class=\"num\">\(f(p.meanFacility))</td>"
                + "<td><span class=\"bar\(p.meanFacility < 0.5 ? " bad" : "")\" style=\"width:\(w)px\"></span></td></tr>\n"
        }
        h += "</table>\n<h2>" + t("成绩分布", "Score distribution") + "</h2>\n<table>\n"
        let peak = max(1, r.histogram.map(\.count).max() ?? 1)
        for b in r.histogram {
            h += "<tr><td>\(b.from)–\(b.to)%</td><td class=\"num\">\(b.count)</td><td><span class=\"bar\" style=\"width:\(b.count * 300 / peak)px\"></span></td></tr>\n"
        }
        h += "</table>\n<h2>" + t("题目", "Questions") + "</h2>\n<table>\n<tr><th>"
            + [t("题目", "Question"), "n", t("通过率", "Facility"), t("点二列", "r(pb)"), "D(27%)", t("选项 全部(高/低)", "Options all (upper/lower)"),
                t("提示", "Flags")].joined(separator: "</th><th>") + "</th></tr>\n"
        for i in r.items {
            let opts = i.options.map { "\(esc($0.letter))\($0.keyed ? "*" : "") \($0.all) (\($0.upper)/\($0.lower))" }.joined(separator: "<br>")
            let flags = i.flags.map { "<div class=\"flag\">" + esc(language.pick(zh: $0.zh, en: $0.en)) + "</div>" }.joined()
            h += "<tr\(i.unreliable ? " class=\"unreliable\"" : "")><td>\(esc(i.questionID))<br><small>\(esc(String(i.stem.prefix(60))))</small></td>"
                + "<td class=\"num\">\(i.n)</td><td class=\"num\">\(f(i.facility))</td><td class=\"num\">\(f(i.pointBiserial))</td>"
                + "<td class=\"num\">\(f(i.discriminationIndex))</td><td>\(opts)</td><td>\(flags)</td></tr>\n"
        }
        h += "</table>\n</body></html>\n"
        return h
    }
}
