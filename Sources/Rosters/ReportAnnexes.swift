import Foundation
import Records
import Spreadsheets

/// The report's annexes, after the signature block, each starting a page: name lists grouped by
/// department (a heading row per department, a subtotal after it, a total at the end).
enum ReportAnnexes {
    /// Writes annexes 1–5. Each name list is one filtered pass over the rows, written as it comes.
    static func write(_ p: RosterReport.Page, to sink: ByteSink) throws {
        let out = TextBuffer(sink)
        try overdue(p, out)
        try failed(p, out)
        try exempt(p, out)
        try spotChecks(p, out)
        try out.write(everyLevel(p))
        try out.flush()
    }

    /// A column of a name list: header and the cell's HTML for a row.
    struct Column {
        var title: String
        var left = true
        var cell: (RosterRow) -> String
    }

    static func baseColumns(_ p: RosterReport.Page) -> [Column] {
        [Column(title: p.t("执法证号", "Badge")) { p.e($0.badge) }, Column(title: p.t("姓名", "Name")) { p.e($0.name) }]
    }

    static func annexHead(_ number: Int, _ zh: String, _ en: String, count: Int, _ p: RosterReport.Page) -> String {
        "<section class=\"annex\"><h2>\(p.t("附件\(number)", "Annex \(number)"))　\(p.t(zh, en))（\(count)）</h2>\n"
    }

    /// Rows (streamed in department order) grouped by department, with subtotals and a total.
    static func groupedTable(_ rows: (((RosterRow) throws -> Void) throws -> Void), columns: [Column], _ p: RosterReport.Page, _ out: TextBuffer) throws {
        let span = columns.count + 1
        var h = "<table><thead><tr><th>\(p.t("序号", "No."))</th>"
        h += columns.map { "<th\($0.left ? " class=\"l\"" : "")>\($0.title)</th>" }.joined() + "</tr></thead><tbody>\n"
        try out.write(h)
        var current: String?
        var inGroup = 0
        var total = 0
        func closeGroup() throws {
            guard current != nil else { return }
            try out.write("<tr class=\"sub\"><td colspan=\"\(span)\">\(p.t("小计 \(inGroup) 人", "Subtotal \(inGroup)"))</td></tr>\n")
        }
        try rows { r in
            if r.department != current {
                try closeGroup()
                current = r.department
                inGroup = 0
                try out.write("<tr class=\"grp\"><td colspan=\"\(span)\">\(p.e(r.department))</td></tr>\n")
            }
            inGroup += 1
            total += 1
            try out.write(
                "<tr><td>\(inGroup)</td>" + columns.map { "<td\($0.left ? " class=\"l\"" : "")>\($0.cell(r))</td>" }.joined() + "</tr>\n")
        }
        try closeGroup()
        try out.write("<tr class=\"tot\"><td colspan=\"\(span)\">\(p.t("合计 \(total) 人", "Total \(total)"))</td></tr>\n")
        try out.write("</tbody></table>\n")
    }

    /// One name list: the people of one status, `count` of them (from the roll-up).
    static func list(
        _ n: Int, _ zh: String, _ en: String, count: Int, where keep: @escaping @Sendable (RosterRow) -> Bool, _ columns: [Column],
        _ p: RosterReport.Page, _ out: TextBuffer
    ) throws {
        try out.write(annexHead(n, zh, en, count: count, p))
        if count == 0 {
            try out.write("<p>\(p.t("无。", "None."))</p>\n")
        } else {
            try groupedTable(p.input.source.filtered(keep).forEach, columns: columns, p, out)
        }
        try out.write("</section>\n")
    }

    static func overdue(_ p: RosterReport.Page, _ out: TextBuffer) throws {
        let cols =
            baseColumns(p) + [
                Column(title: p.t("课程进度", "Lessons"), left: false) { "\($0.itemsDone)/\($0.itemsTotal)" },
                Column(title: p.t("考试次数", "Attempts"), left: false) { "\($0.attemptsUsed)" },
            ]
        try list(1, "逾期未完成人员名单", "Overdue", count: p.rollup.total.overdue, where: { if case .overdue = $0.status { true } else { false } }, cols, p, out)
    }

    static func failed(_ p: RosterReport.Page, _ out: TextBuffer) throws {
        let cols =
            baseColumns(p) + [
                Column(title: p.t("考试次数", "Attempts"), left: false) { "\($0.attemptsUsed)" },
                Column(title: p.t("计分成绩", "Score"), left: false) { r in p.mean(r.countingScore) },
            ]
        try list(2, "考试未通过人员名单", "Failed the exam", count: p.rollup.total.failed, where: { if case .failed = $0.status { true } else { false } }, cols, p, out)
    }

    static func exempt(_ p: RosterReport.Page, _ out: TextBuffer) throws {
        let ex = p.input.exemptions
        let cols =
            baseColumns(p) + [
                Column(title: p.t("免训原因", "Reason")) { p.e(ex[$0.badge]?.reason ?? $0.exemptionReason ?? "") },
                Column(title: p.t("批准人", "Approved by")) { p.e(ex[$0.badge]?.grantedBy ?? "") },
                Column(title: p.t("批准日期", "Date"), left: false) { r in ex[r.badge].map { p.stamp($0.grantedAt, time: false) } ?? "" },
            ]
        try list(3, "免训人员名单", "Exempt", count: p.rollup.total.exempt, where: { if case .exempt = $0.status { true } else { false } }, cols, p, out)
    }

    /// The people each draw selected, from one pass that keeps only the selected (a draw's
    /// size, which the store's record of the draw holds anyway).
    static func spotChecks(_ p: RosterReport.Page, _ out: TextBuffer) throws {
        let draws = p.input.spotChecks
        try out.write(annexHead(4, "双随机抽查名单及结果", "Spot checks (双随机) and results", count: draws.count, p))
        if draws.isEmpty {
            try out.write("<p>\(p.t("本周期未进行抽查。", "No draw in this cycle."))</p></section>\n")
            return
        }
        let wanted = Set(draws.flatMap(\.selected))
        var byBadge: [String: RosterRow] = [:]
        try p.input.source.forEach { if wanted.contains($0.badge) { byBadge[$0.badge] = $0 } }
        let cols =
            baseColumns(p) + [
                Column(title: p.t("状态", "Status")) { p.e(RosterExport.statusText($0.status, p.input.context.language)) },
                Column(title: p.t("计分成绩", "Score"), left: false) { r in p.mean(r.countingScore) },
            ]
        for d in draws {
            let picked = d.selected.compactMap { byBadge[$0] }
            let ordered = DepartmentOrder.sorted(picked, department: \.department, badge: \.badge)
            var h = "<h3>\(p.t("第 \(d.id) 次抽取", "Draw \(d.id)"))：\(p.e(p.stamp(d.drawnAt)))，"
            h += p.t("比例 \(RosterReport.percentText(d.percent))%，种子 \(d.seed)", "\(RosterReport.percentText(d.percent))%, seed \(d.seed)")
            h += d.inspectors.isEmpty ? "" : "，\(p.t("检查人员", "inspectors"))：\(p.e(d.inspectors.joined(separator: "、")))"
            h += "</h3>\n"
            if picked.count < d.selected.count {
                h += "<p>\(p.t("另有 \(d.selected.count - picked.count) 人不在本报告范围内。", "\(d.selected.count - picked.count) more are outside this report's scope."))</p>\n"
            }
            try out.write(h)
            try groupedTable({ body in for r in ordered { try body(r) } }, columns: cols, p, out)
        }
        try out.write("</section>\n")
    }

    static func everyLevel(_ p: RosterReport.Page) -> String {
        guard p.rollup.nodes.contains(where: { $0.depth > p.input.level }) else { return "" }
        var h = "<section class=\"annex\"><h2>\(p.t("附件5", "Annex 5"))　\(p.t("各级部门统计", "Every department level"))</h2>\n"
        h += p.departmentTableHead()
        for n in p.rollup.nodes {
            let l = p.rollup.label(n, p.input.context.language)
            h += p.departmentRow(n, label: l.text, indent: l.level, css: n.depth == 0 ? " class=\"tot\"" : "")
        }
        return h + "</tbody></table></section>\n"
    }
}

extension RosterReport {
    static func percentText(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%g", x)
    }
}
