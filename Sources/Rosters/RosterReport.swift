import Foundation
import Records
import Spreadsheets

/// The printable report for the written submission to the higher authority: one self-contained
/// HTML file (inline CSS with `@page` A4, page numbers in the page margin, an inline SVG chart,
/// no external assets, no script). Every piece of data is HTML-escaped.
///
/// Order: title and filing fields, totals, chart, the chosen level's table, record integrity,
/// the signature and seal block — then the annexes (附件1 overdue, 附件2 failed, 附件3 exempt,
/// 附件4 spot checks, 附件5 every level), each on a new page and grouped by department with
/// subtotals, so that the signature stays on the first pages however long the lists are.
public enum RosterReport {
    /// Everything the report shows.
    public struct Input: Sendable {
        /// The rows, streamed: each annex is one filtered pass.
        public var source: RosterRows
        public var rollup: RosterRollup
        public var context: RosterContext
        public var header: ReportHeader
        /// Exemptions of the cycle by badge (approver and date for 附件3).
        public var exemptions: [String: Exemption]
        /// Spot-check draws of the cycle (附件4).
        public var spotChecks: [SpotCheck]
        /// Chart and table level below the scope's root (1 = its children).
        public var level: Int

        public init(
            rows: [RosterRow], rollup: RosterRollup, context: RosterContext, header: ReportHeader = ReportHeader(),
            exemptions: [String: Exemption] = [:], spotChecks: [SpotCheck] = [], level: Int = 1
        ) {
            self.init(
                source: .array(rows), rollup: rollup, context: context, header: header, exemptions: exemptions,
                spotChecks: spotChecks, level: level)
        }

        public init(
            source: RosterRows, rollup: RosterRollup, context: RosterContext, header: ReportHeader = ReportHeader(),
            exemptions: [String: Exemption] = [:], spotChecks: [SpotCheck] = [], level: Int = 1
        ) {
            self.source = source
            self.rollup = rollup
            self.context = context
            self.header = header
            self.exemptions = exemptions
            self.spotChecks = spotChecks
            self.level = level
        }
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Controls other than tab/newline cannot appear in HTML text; show them as U+FFFD.
                if ch.value < 0x20 && ch != "\t" && ch != "\n" || (0x7F..<0xA0).contains(ch.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out
    }

    /// The whole report in memory (tests, small rosters).
    public static func html(_ input: Input) throws -> String {
        let sink = MemorySink()
        try write(input, to: sink)
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// Writes the report as it is produced: the sections above the signature come from the
    /// roll-up (one node per department); the name lists of the annexes stream from the rows.
    public static func write(_ input: Input, to sink: ByteSink) throws {
        let p = Page(input)
        var h = p.head()
        h += p.titleBlock()
        h += p.totalsSection()
        h += ReportChart.section(p)
        h += p.levelTable()
        h += p.integritySection()
        h += p.signatureBlock()
        try sink.write(h)
        try ReportAnnexes.write(p, to: sink)
        try sink.write("</body>\n</html>\n")
    }

    /// The shared pieces: language, escaping, number formats, and the sections above the signature.
    struct Page {
        let input: Input
        var c: Bool { input.context.chinese }
        var rollup: RosterRollup { input.rollup }

        init(_ input: Input) { self.input = input }

        func t(_ zh: String, _ en: String) -> String { escape(c ? zh : en) }
        func e(_ s: String) -> String { escape(s) }
        func pct(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func mean(_ m: Double?) -> String { m.map { String(format: "%.1f", $0) } ?? "—" }

        /// "2018-02-11 10:00（Asia/Shanghai，UTC+08:00）"
        func stamp(_ date: Date, time: Bool = true) -> String {
            let tz = input.context.timeZone
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = tz
            f.dateFormat = time ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd"
            guard time else { return f.string(from: date) }
            f.dateFormat = "yyyy-MM-dd HH:mm"
            let z = DateFormatter()
            z.locale = Locale(identifier: "en_US_POSIX")
            z.timeZone = tz
            z.dateFormat = "xxx"
            let zone = "\(tz.identifier), UTC\(z.string(from: date))"
            return f.string(from: date) + (c ? "（\(zone.replacingOccurrences(of: ", ", with: "，"))）" : " (\(zone))")
        }

        var title: String { t("城市管理执法人员教育培训完成情况报告", "Training completion report — urban-management enforcement staff") }

        func head() -> String {
            """
            <!DOCTYPE html>
            <html lang="\(c ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(title) · \(e(input.context.cycle.id))</title>
            <style>
            \(style())
            </style>
            </head>
            <body>

            """
        }

        func style() -> String {
            let pageNumber = c ? "\"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"" : "\"Page \" counter(page) \" of \" counter(pages)"
            return """
                @page { size: A4; margin: 16mm 15mm 18mm 15mm;
                        @bottom-center { content: \(pageNumber); font-size: 9pt; color: #444; } }
                * { box-sizing: border-box; }
                body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
                       font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 180mm; line-height: 1.45; }
                h1 { font-size: 17pt; text-align: center; margin: 0 0 3mm; }
                h2 { font-size: 12.5pt; border-bottom: 1.5pt solid #333; padding-bottom: 1mm; margin: 6mm 0 3mm; break-after: avoid; }
                h3 { font-size: 11pt; margin: 4mm 0 2mm; break-after: avoid; }
                .meta { width: 100%; margin-bottom: 4mm; border: none; font-size: 10pt; }
                .meta td { border: none; text-align: left; padding: 0.5mm 1mm; }
                .meta td.k { white-space: nowrap; color: #333; width: 1%; }
                table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
                th, td { border: 0.6pt solid #777; padding: 1mm 1.6mm; text-align: right; vertical-align: top; }
                th { background: #e8e8e8; text-align: center; white-space: nowrap; word-break: keep-all; }
                td.l, th.l { text-align: left; }
                td.n { white-space: nowrap; }
                thead { display: table-header-group; }
                tr { break-inside: avoid; }
                tr.grp td { background: #f2f2f2; font-weight: bold; text-align: left; }
                tr.sub td { font-style: italic; }
                tr.tot td { font-weight: bold; }
                .totals td { font-size: 11pt; text-align: center; }
                .chart { break-inside: avoid; }
                .legend { font-size: 9pt; }
                .legend span { display: inline-block; margin-right: 4mm; }
                .legend i { display: inline-block; width: 3mm; height: 3mm; margin-right: 1mm; vertical-align: middle; }
                .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; word-break: break-all; }
                .sign { margin-top: 10mm; break-inside: avoid; }
                .sign table td { border: none; text-align: left; padding: 3mm 1mm; width: 50%; }
                .annex { break-before: page; }
                .foot { margin-top: 6mm; color: #444; font-size: 9pt; }
                @media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
                """
        }

        func titleBlock() -> String {
            let ctx = input.context
            var meta: [(String, String)] = [
                (t("培训周期", "Cycle"), e(ctx.cycle.id + " · " + ctx.cycle.title)),
                (t("培训期限", "Window"), e(ctx.cycle.opens.description + " — " + ctx.cycle.due.description)),
            ]
            if let d = ctx.department { meta.append((t("范围", "Scope"), e(d))) }
            let blank = "&nbsp;"
            meta.append((t("填报单位", "Reporting unit"), input.header.unit.map(e) ?? blank))
            meta.append((t("联系人", "Contact"), input.header.contact.map(e) ?? blank))
            meta.append((t("联系电话", "Telephone"), input.header.phone.map(e) ?? blank))
            meta.append((t("报告日期", "Report date"), e(stamp(ctx.generatedAt))))
            var h = "<h1>\(title)</h1>\n<table class=\"meta\">"
            for pair in stride(from: 0, to: meta.count, by: 2) {
                h += "<tr>"
                for (k, v) in meta[pair..<min(pair + 2, meta.count)] { h += "<td class=\"k\">\(k)：</td><td>\(v)</td>" }
                h += "</tr>"
            }
            return h + "</table>\n"
        }

        func totalsSection() -> String {
            let n = rollup.total
            let heads = [
                t("应训", "People"), t("已完成", "Done"), t("免训", "Exempt"), t("完成率", "Rate"), t("考试通过", "Passed"),
                t("平均分", "Mean"), t("逾期", "Overdue"), t("未通过", "Failed"), t("未开始", "Not started"),
            ]
            let cells = [
                "\(n.headcount)", "\(n.completed)", "\(n.exempt)", pct(n.completionRate), "\(n.passed)", mean(n.meanScore),
                "\(n.overdue)", "\(n.failed)", "\(n.notStarted)",
            ]
            return """
                <h2>\(t("一、总体情况", "1. Totals"))</h2>
                <table class="totals"><thead><tr>\(heads.map { "<th>\($0)</th>" }.joined())</tr></thead>
                <tbody><tr>\(cells.map { "<td>\($0)</td>" }.joined())</tr></tbody></table>
                <p>\(t("完成率 = 已完成人数 ÷（应训人数 − 免训人数）。", "Completion rate = completed ÷ (people − exempt)."))</p>

                """
        }

        /// Nodes at `input.level` below the root, with the root first as the total.
        var levelNodes: [DepartmentRollup] { rollup.nodes.dropFirst().filter { $0.depth == input.level } }

        func departmentRow(_ n: DepartmentRollup, label: String, indent: Int = 0, css: String = "") -> String {
            let pad = indent > 0 ? " style=\"padding-left:\(1.6 + 4 * Double(indent))mm\"" : ""
            return "<tr\(css)><td class=\"l\"\(pad)>\(e(label))</td><td>\(n.headcount)</td><td>\(n.completed)</td>"
                + "<td>\(n.exempt)</td><td class=\"n\">\(pct(n.completionRate))</td><td>\(n.passed)</td>"
                + "<td>\(mean(n.meanScore))</td><td>\(n.overdue)</td><td>\(n.failed)</td></tr>\n"
        }

        func departmentTableHead() -> String {
            let heads = [
                t("人数", "People"), t("已完成", "Done"), t("免训", "Exempt"), t("完成率", "Rate"), t("通过", "Passed"),
                t("平均分", "Mean"), t("逾期", "Overdue"), t("未通过", "Failed"),
            ]
            return "<table><thead><tr><th class=\"l\">\(t("部门", "Department"))</th>"
                + heads.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
        }

        func levelTable() -> String {
            var h = "<h2>\(t("三、分部门统计", "3. By department"))</h2>\n" + departmentTableHead()
            for n in levelNodes { h += departmentRow(n, label: n.name) }
            let total = rollup.label(rollup.total, input.context.language).text
            h += departmentRow(rollup.total, label: rollup.scope == nil ? total : total + t("（合计）", " (total)"), css: " class=\"tot\"")
            h += "</tbody></table>\n"
            if rollup.nodes.contains(where: { $0.depth > input.level }) {
                h += "<p>\(t("各级部门的完整统计见附件5。", "Every level is listed in annex 5."))</p>\n"
            }
            return h
        }

        func integritySection() -> String {
            var h = "<h2>\(t("四、档案完整性", "4. Record integrity"))</h2>\n"
            guard let head = input.context.head else {
                return h + "<p>\(t("档案中尚无事件。", "The record holds no events yet."))</p>\n"
            }
            h += "<p>\(t("本报告依据的教育培训档案事件链头（academy audit head）：", "Head of the education-record event chain this report is based on (academy audit head):"))</p>\n"
            h += "<p class=\"hash\">\(t("事件序号", "event"))&nbsp;\(head.seq) · SHA-256&nbsp;\(e(head.hash))</p>\n"
            return h
        }

        func signatureBlock() -> String {
            let hd = input.header
            func field(_ label: String, _ value: String?) -> String {
                "<td>\(label)：\(value.map(e) ?? "")</td>"
            }
            return """
                <div class="sign"><table>
                <tr>\(field(t("填报单位（盖章）", "Reporting unit (seal)"), hd.unit))\(field(t("负责人（签字）", "Responsible officer (signature)"), nil))</tr>
                <tr>\(field(t("联系人", "Contact"), hd.contact))\(field(t("联系电话", "Telephone"), hd.phone))</tr>
                <tr>\(field(t("日期", "Date"), nil))<td></td></tr>
                </table></div>
                <p class="foot">\(t("附件：1. 逾期未完成人员名单；2. 考试未通过人员名单；3. 免训人员名单；4. 双随机抽查名单及结果；5. 各级部门统计。", "Annexes: 1. overdue; 2. failed; 3. exempt; 4. spot checks and results; 5. every department level."))<br>
                \(t("由 academy roster report 生成。", "Generated by academy roster report."))</p>

                """
        }
    }
}
