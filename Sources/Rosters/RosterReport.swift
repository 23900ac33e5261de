import Foundation
import Records

/// The printable report for the written submission to the higher authority: one self-contained
/// HTML file (inline CSS with `@page` A4 and print rules, an inline SVG completion chart, no
/// external assets, no script). Every piece of data is HTML-escaped.
public enum RosterReport {
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

    /// Departments shown in the chart: down to `maxDepth` levels, at most `maxBars` bars.
    public static func html(
        rows: [RosterRow], rollup: RosterRollup, context: RosterContext,
        chartDepth: Int = 3, maxBars: Int = 40
    ) -> String {
        let c = context.chinese
        func t(_ zh: String, _ en: String) -> String { c ? zh : en }
        let e = escape
        let dayFmt = DateFormatter()
        dayFmt.locale = Locale(identifier: "en_US_POSIX")
        dayFmt.timeZone = context.timeZone
        dayFmt.dateFormat = "yyyy-MM-dd"
        let stamp = DateFormatter()
        stamp.locale = Locale(identifier: "en_US_POSIX")
        stamp.timeZone = context.timeZone
        stamp.dateFormat = "yyyy-MM-dd HH:mm"
        func pct(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func mean(_ m: Double?) -> String { m.map { String(format: "%.1f", $0) } ?? "—" }
        let total = rollup.total
        let title = t("城市管理执法人员教育培训完成情况报告", "Training completion report — urban-management enforcement staff")

        var h = """
            <!DOCTYPE html>
            <html lang="\(c ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(e(title)) · \(e(context.cycle.id))</title>
            <style>
            @page { size: A4; margin: 18mm 15mm 18mm 15mm; }
            * { box-sizing: border-box; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
                   font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 180mm; line-height: 1.45; }
            h1 { font-size: 17pt; text-align: center; margin: 0 0 4mm; }
            h2 { font-size: 12.5pt; border-bottom: 1.5pt solid #333; padding-bottom: 1mm; margin: 7mm 0 3mm; }
            .meta { text-align: center; color: #333; margin-bottom: 5mm; }
            table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
            th, td { border: 0.6pt solid #777; padding: 1.2mm 1.8mm; text-align: right; vertical-align: top; }
            th { background: #e8e8e8; text-align: center; }
            td.l, th.l { text-align: left; }
            thead { display: table-header-group; }
            tr { page-break-inside: avoid; break-inside: avoid; }
            .totals td { font-size: 11pt; text-align: center; }
            .chart { break-inside: avoid; page-break-inside: avoid; }
            .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; word-break: break-all; }
            .foot { margin-top: 8mm; color: #444; font-size: 9pt; }
            .sign { margin-top: 12mm; display: flex; justify-content: space-between; }
            @media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
            </style>
            </head>
            <body>
            <h1>\(e(title))</h1>
            <div class="meta">\(e(t("培训周期", "Cycle")))：\(e(context.cycle.id)) · \(e(context.cycle.title))<br>
            \(e(t("培训期限", "Window")))：\(e(context.cycle.opens.description)) — \(e(context.cycle.due.description))\(context.department.map { "<br>" + e(t("范围", "Scope")) + "：" + e($0) } ?? "")<br>
            \(e(t("报告日期", "Report date")))：\(e(stamp.string(from: context.generatedAt)))</div>

            <h2>\(e(t("一、总体情况", "1. Totals")))</h2>
            <table class="totals"><thead><tr>
            <th>\(e(t("应训人数", "Population")))</th><th>\(e(t("已完成", "Completed")))</th><th>\(e(t("免训", "Exempt")))</th>
            <th>\(e(t("完成率", "Completion")))</th><th>\(e(t("考试通过", "Passed")))</th><th>\(e(t("平均成绩", "Mean score")))</th>
            <th>\(e(t("逾期", "Overdue")))</th><th>\(e(t("未通过", "Failed")))</th><th>\(e(t("未开始", "Not started")))</th></tr></thead>
            <tbody><tr><td>\(total.headcount)</td><td>\(total.completed)</td><td>\(total.exempt)</td><td>\(pct(total.completionRate))</td>
            <td>\(total.passed)</td><td>\(mean(total.meanScore))</td><td>\(total.overdue)</td><td>\(total.failed)</td><td>\(total.notStarted)</td></tr></tbody>
            </table>
            <p>\(e(t("完成率 = 已完成人数 ÷（应训人数 − 免训人数）。", "Completion = completed ÷ (population − exempt).")))</p>

            """

        // Chart
        // The deepest level (up to chartDepth) whose departments, with their ancestors, fit in maxBars.
        var depth = 1
        while depth < chartDepth, rollup.nodes.dropFirst().filter({ $0.depth <= depth + 1 }).count <= maxBars { depth += 1 }
        let bars = Array(rollup.nodes.dropFirst().filter { $0.depth <= depth }.prefix(maxBars))
        h += "<h2>\(e(t("二、各部门完成率", "2. Completion by department")))</h2>\n"
        if bars.isEmpty {
            h += "<p>\(e(t("无数据。", "No data.")))</p>\n"
        } else {
            let rowH = 7.0, labelW = 62.0, barW = 80.0, width = 180.0
            let height = Double(bars.count) * rowH + 10
            h +=
                "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(width))mm\" height=\"\(fmt(height))mm\" viewBox=\"0 0 \(Int(width)) \(fmt(height))\" font-size=\"3.4\">\n"
            h += "<title>\(e(t("各部门完成率", "Completion by department")))</title>\n"
            for k in 0...4 {
                let x = labelW + barW * Double(k) / 4
                h +=
                    "<line x1=\"\(fmt(x))\" y1=\"0\" x2=\"\(fmt(x))\" y2=\"\(fmt(height - 6))\" stroke=\"#ccc\" stroke-width=\"0.2\"/>"
                h += "<text x=\"\(fmt(x))\" y=\"\(fmt(height - 2))\" text-anchor=\"middle\" fill=\"#555\">\(k * 25)%</text>\n"
            }
            for (i, n) in bars.enumerated() {
                let y = Double(i) * rowH
                let r = n.completionRate ?? 0
                let label = String(repeating: "\u{3000}", count: max(0, n.depth - 1)) + n.name
                h += "<text x=\"\(fmt(labelW - 2))\" y=\"\(fmt(y + 4.6))\" text-anchor=\"end\">\(e(clip(label, 24)))</text>"
                h += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 1.5))\" width=\"\(fmt(barW))\" height=\"4.2\" fill=\"#eee\"/>"
                h +=
                    "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 1.5))\" width=\"\(fmt(barW * r))\" height=\"4.2\" fill=\"\(r >= 0.95 ? "#2e7d32" : r >= 0.8 ? "#f9a825" : "#c62828")\"/>"
                h +=
                    "<text x=\"\(fmt(labelW + barW + 2))\" y=\"\(fmt(y + 4.6))\">\(e(pct(n.completionRate))) (\(n.completed)/\(n.required))</text>\n"
            }
            h += "</svg></div>\n"
            let hidden = rollup.nodes.count - 1 - bars.count
            if hidden > 0 {
                h +=
                    "<p>\(e(t("图中显示前 \(bars.count) 个部门（至第 \(depth) 级）；全部部门见下表。", "The chart shows the first \(bars.count) departments (to level \(depth)); the table lists all.")))</p>\n"
            }
        }

        // Department table
        h += "<h2>\(e(t("三、分部门统计", "3. By department")))</h2>\n<table><thead><tr>"
        for (i, col) in [
            t("部门", "Department"), t("人数", "People"), t("已完成", "Completed"), t("免训", "Exempt"),
            t("完成率", "Completion"), t("通过", "Passed"), t("平均成绩", "Mean"), t("逾期", "Overdue"),
        ].enumerated() {
            h += i == 0 ? "<th class=\"l\">\(e(col))</th>" : "<th>\(e(col))</th>"
        }
        h += "</tr></thead><tbody>\n"
        for n in rollup.nodes {
            let name = n.depth == 0 ? t("合计", "Total") : String(repeating: "\u{3000}", count: n.depth - 1) + n.name
            let style = n.depth == 0 ? " style=\"font-weight:bold\"" : ""
            h +=
                "<tr\(style)><td class=\"l\">\(e(name))</td><td>\(n.headcount)</td><td>\(n.completed)</td><td>\(n.exempt)</td><td>\(pct(n.completionRate))</td><td>\(n.passed)</td><td>\(mean(n.meanScore))</td><td>\(n.overdue)</td></tr>\n"
        }
        h += "</tbody></table>\n"

        // Overdue list
        let overdue = rows.filter { if case .overdue = $0.status { return true } else { return false } }
        h += "<h2>\(e(t("四、逾期未完成人员名单", "4. Overdue")))（\(overdue.count)）</h2>\n"
        if overdue.isEmpty {
            h += "<p>\(e(t("无逾期人员。", "Nobody is overdue.")))</p>\n"
        } else {
            h +=
                "<table><thead><tr><th class=\"l\">\(e(t("执法证号", "Badge")))</th><th class=\"l\">\(e(t("姓名", "Name")))</th><th class=\"l\">\(e(t("所属部门", "Department")))</th><th>\(e(t("已学课程", "Lessons")))</th><th>\(e(t("考试次数", "Attempts")))</th></tr></thead><tbody>\n"
            for r in overdue {
                h +=
                    "<tr><td class=\"l\">\(e(r.badge))</td><td class=\"l\">\(e(r.name))</td><td class=\"l\">\(e(r.department))</td><td>\(r.itemsDone)/\(r.itemsTotal)</td><td>\(r.attemptsUsed)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }

        // Audit
        h += "<h2>\(e(t("五、档案完整性", "5. Record integrity")))</h2>\n"
        if let head = context.head {
            h +=
                "<p>\(e(t("本报告依据的教育培训档案事件链头（academy audit head）：", "Head of the education-record event chain this report is based on (academy audit head):")))</p>\n"
            h += "<p class=\"hash\">\(e(t("事件序号", "event")))&nbsp;\(head.seq) · SHA-256&nbsp;\(e(head.hash))</p>\n"
        } else {
            h += "<p>\(e(t("档案中尚无事件。", "The record holds no events yet.")))</p>\n"
        }
        h +=
            "<div class=\"sign\"><span>\(e(t("填报单位（盖章）：", "Submitting department (seal):")))</span><span>\(e(t("负责人：", "Responsible officer:")))</span><span>\(e(t("日期：", "Date:")))</span></div>\n"
        h +=
            "<p class=\"foot\">\(e(t("由 academy roster report 生成。", "Generated by academy roster report.")))</p>\n</body>\n</html>\n"
        return h
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func clip(_ s: String, _ maxWidth: Int) -> String {
        var w = 0
        var out = ""
        for ch in s {
            let cw = SummaryText.displayWidth(String(ch))
            if w + cw > maxWidth { return out + "…" }
            w += cw
            out.append(ch)
        }
        return out
    }
}
