import Courseware
import ExamAssembly

/// A printable A4 handout of a course as one self-contained HTML file: inline CSS, no script,
/// no external asset. Each module starts on a new page; lessons, then the module's case studies
/// (positive and negative, with findings and lessons drawn). With a practice paper, the
/// questions come after the modules and the answers (with explanations) on pages of their own.
public struct Handout {
    public var course: Course
    public var caseStudies: [String: CaseStudy]
    public var provisionTitles: [String: String]
    /// Only this module, or all.
    public var moduleID: String?
    public var practice: PracticePaper?

    public struct PracticePaper {
        public var title: String
        /// In paper order, each with its option order as drawn (nil: original order).
        public var items: [(question: Question, optionOrder: [Int]?)]

        public init(title: String, items: [(question: Question, optionOrder: [Int]?)]) {
            self.title = title
            self.items = items
        }

        /// The questions of a drawn paper, case parts in place of their case.
        public init(title: String, paper: Paper, assembler: Assembler) {
            var items: [(Question, [Int]?)] = []
            for section in paper.sections {
                for item in section.items {
                    guard let q = assembler.question(item.questionID) else { continue }
                    items.append((q, item.optionOrder))
                }
            }
            self.init(title: title, items: items)
        }
    }

    public init(
        course: Course, caseStudies: [String: CaseStudy], provisionTitles: [String: String], moduleID: String? = nil,
        practice: PracticePaper? = nil
    ) {
        self.course = course
        self.caseStudies = caseStudies
        self.provisionTitles = provisionTitles
        self.moduleID = moduleID
        self.practice = practice
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static let css = """
        @page { size: A4; margin: 22mm 20mm 20mm 20mm; }
        html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif; font-size: 11pt; color: #000; }
        body { margin: 0; line-height: 1.8; text-align: justify; line-break: strict; word-break: normal; orphans: 2; widows: 2; }
        h1, h2, h3, h4, .label { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
        h1 { font-size: 20pt; text-align: center; margin: 30mm 0 6mm; }
        h2 { font-size: 15pt; border-bottom: 1.5pt solid #000; padding-bottom: 2mm; margin: 0 0 5mm; break-after: avoid; }
        h3 { font-size: 12.5pt; margin: 6mm 0 2mm; break-after: avoid; }
        h4 { font-size: 11pt; margin: 4mm 0 1mm; break-after: avoid; }
        p { margin: 0 0 1.5mm; text-indent: 2em; }
        .module, .practice, .answers { break-before: page; }
        .cover p { text-indent: 0; text-align: center; }
        .meta { font-size: 9.5pt; color: #333; text-indent: 0; }
        .keypoints { border: 0.75pt solid #000; padding: 2mm 4mm; margin: 3mm 0; break-inside: avoid; }
        .keypoints ul, .findings, .qs { margin: 1mm 0; padding-left: 1.5em; }
        .case { border-left: 2pt solid #000; padding-left: 4mm; margin: 5mm 0; }
        .case.negative { border-left-style: double; border-left-width: 4pt; }
        .fictional { font-size: 9pt; text-indent: 0; font-style: italic; }
        .question { break-inside: avoid; margin: 0 0 3mm; }
        .question p { text-indent: 0; }
        .options { list-style: none; padding-left: 2em; margin: 0.5mm 0; }
        .blank { display: inline-block; min-width: 5em; border-bottom: 0.75pt solid #000; }
        .answer { break-inside: avoid; margin: 0 0 2mm; }
        .answer p { text-indent: 0; }
        """

    public func html() -> String {
        let modules = course.modules.filter { moduleID == nil || $0.id == moduleID }
        var h = """
            <!DOCTYPE html>
            <html lang="zh-Hans"><head><meta charset="utf-8">
            <title>\(Self.esc(course.title))</title>
            <style>
            \(Self.css)
            </style></head><body>
            <section class="cover"><h1>\(Self.esc(course.title))</h1>
            <p>\(Self.esc(course.summary))</p>
            <p class="meta">培训讲义 · 共 \(modules.count) 个单元\(practice == nil ? "" : " · 附练习卷及答案")</p></section>

            """
        for (mi, m) in modules.enumerated() {
            h += "<section class=\"module\" id=\"\(Self.esc(m.id))\">\n<h2>第\(Self.chineseNumber(mi + 1))单元　\(Self.esc(m.title))</h2>\n"
            for item in m.items {
                switch item {
                case .lesson(let l): h += lesson(l)
                case .caseStudy(let ref):
                    if let cs = caseStudies[ref.caseStudyID] { h += caseStudy(cs) }
                }
            }
            h += "</section>\n"
        }
        if let practice { h += self.practice(practice) }
        h += "</body></html>\n"
        return h
    }

    func cites(_ c: [Citation]) -> String {
        let names = c.map { provisionTitles[$0.provisionID].map { "\($0)" } ?? $0.provisionID }
        return names.isEmpty ? "" : "<p class=\"meta\">依据：" + Self.esc(names.joined(separator: "；")) + "</p>\n"
    }

    func lesson(_ l: Lesson) -> String {
        var h = "<article class=\"lesson\"><h3>\(Self.esc(l.title))</h3>\n"
        h += "<p class=\"meta\">学时约 \(l.minutes) 分钟\(l.required ? "" : "（选学）")</p>\n"
        for s in l.sections {
            if let t = s.title { h += "<h4>\(Self.esc(t))</h4>\n" }
            for p in s.paragraphs { h += "<p>\(Self.esc(p))</p>\n" }
        }
        if !l.keyPoints.isEmpty {
            h += "<div class=\"keypoints\"><span class=\"label\">要点</span><ul>\n"
            for k in l.keyPoints { h += "<li>\(Self.esc(k))</li>\n" }
            h += "</ul></div>\n"
        }
        h += cites(l.citations)
        return h + "</article>\n"
    }

    func caseStudy(_ c: CaseStudy) -> String {
        var h = "<article class=\"case \(c.polarity.rawValue)\"><h3>【\(c.polarity.chineseLabel)】\(Self.esc(c.title))</h3>\n"
        if c.fictional { h += "<p class=\"fictional\">本案例为教学虚构，如有雷同，纯属巧合。</p>\n" }
        if !c.setting.isEmpty { h += "<p class=\"meta\">\(Self.esc(c.setting))</p>\n" }
        if !c.background.isEmpty {
            h += "<h4>背景</h4>\n"
            for p in c.background { h += "<p>\(Self.esc(p))</p>\n" }
        }
        if !c.events.isEmpty {
            h += "<h4>经过</h4>\n"
            for e in c.events { h += "<p>\(e.time.map { Self.esc($0) + "　" } ?? "")\(Self.esc(e.text))</p>\n" }
        }
        if !c.findings.isEmpty {
            h += "<h4>分析</h4>\n<ul class=\"findings\">\n"
            for f in c.findings {
                let title = provisionTitles[f.citation.provisionID] ?? f.citation.provisionID
                h += "<li><span class=\"label\">\(f.verdict == .kept ? "符合" : "违反")「\(Self.esc(title))」</span>：\(Self.esc(f.text))</li>\n"
            }
            h += "</ul>\n"
        }
        if !c.lessonsDrawn.isEmpty {
            h += "<h4>启示</h4>\n"
            for p in c.lessonsDrawn { h += "<p>\(Self.esc(p))</p>\n" }
        }
        if !c.discussion.isEmpty {
            h += "<h4>讨论</h4>\n<ol class=\"qs\">\n"
            for d in c.discussion { h += "<li>\(Self.esc(d))</li>\n" }
            h += "</ol>\n"
        }
        return h + "</article>\n"
    }

    static let letters = ["A", "B", "C", "D", "E", "F", "G", "H"]

    static func chineseNumber(_ n: Int) -> String {
        let d = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        if n <= 10 { return d[n] }
        if n < 20 { return "十" + d[n - 10] }
        return (n / 10 < 10 ? d[n / 10] : String(n / 10)) + "十" + (n % 10 == 0 ? "" : d[n % 10])
    }

    func practice(_ p: PracticePaper) -> String {
        var h = "<section class=\"practice\"><h2>\(Self.esc(p.title))</h2>\n"
        var answers = "<section class=\"answers\"><h2>参考答案与解析</h2>\n"
        var number = 0
        func render(_ q: Question, order: [Int]?) {
            number += 1
            h += "<div class=\"question\"><p>\(number). 【\(q.type.chineseLabel)】"
            var key = ""
            switch q.body {
            case .singleChoice(let c), .multipleChoice(let c):
                let shown = order ?? Array(c.options.indices)
                h += Self.esc(c.stem) + "</p>\n<ul class=\"options\">\n"
                for (i, o) in shown.enumerated() where o < c.options.count {
                    h += "<li>\(Self.letters[i]). \(Self.esc(c.options[o].text))</li>\n"
                }
                h += "</ul>"
                key = shown.enumerated().filter { $0.element < c.options.count && c.options[$0.element].correct }
                    .map { Self.letters[$0.offset] }.joined()
            case .trueFalse(let t):
                h += Self.esc(t.stem) + "（　）</p>"
                key = t.answer ? "正确" : "错误"
            case .fillIn(let f):
                for part in f.stem {
                    switch part {
                    case .text(let s): h += Self.esc(s)
                    case .blank: h += "<span class=\"blank\">&#x3000;</span>"
                    }
                }
                h += "</p>"
                key = f.blanks.map { $0.accepted.first ?? "" }.joined(separator: "；")
            case .caseAnalysis(let c):
                h += "</p>\n"
                for s in c.scenario { h += "<p>\(Self.esc(s))</p>\n" }
                h += "</div>\n"
                answers += "<div class=\"answer\"><p><span class=\"label\">\(number). 案例</span></p></div>\n"
                for part in c.parts { render(part, order: nil) }
                return
            }
            h += "</div>\n"
            answers += "<div class=\"answer\"><p><span class=\"label\">\(number). \(Self.esc(key))</span>　\(Self.esc(q.explanation))</p></div>\n"
        }
        for item in p.items { render(item.question, order: item.optionOrder) }
        return h + "</section>\n" + answers + "</section>\n"
    }
}
