import Foundation
import Records

/// The report's annexes, after the signature block, each starting a page: name lists grouped by
/// department (a heading row per department, a subtotal after it, a total at the end).
enum ReportAnnexes {
    static func all(_ p: RosterReport.Page) -> String {
        overdue(p) + failed(p) + exempt(p) + spotChecks(p) + everyLevel(p)
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

    /// Rows (already in department order) grouped by department, with subtotals and a total.
    static func groupedTable(_ rows: [RosterRow], columns: [Column], _ p: RosterReport.Page) -> String {
        let span = columns.count + 1
        var h = "<table><thead><tr><th>\(p.t("序号", "No."))</th>"
        h += columns.map { "<th\($0.left ? " class=\"l\"" : "")>\($0.title)</th>" }.joined() + "</tr></thead><tbody>\n"
        var i = 0
        while i < rows.count {
            let dept = rows[i].department
            var j = i
            while j < rows.count && rows[j].department == dept { j += 1 }
            h += "<tr class=\"grp\"><td colspan=\"\(span)\">\(p.e(dept))</td></tr>\n"
            for (k, r) in rows[i..<j].enumerated() {
                h += "<tr><td>\(k + 1)</td>" + columns.map { "<td\($0.left ? " class=\"l\"" : "")>\($0.cell(r))</td>" }.joined() + "</tr>\n"
            }
            h += "<tr class=\"sub\"><td colspan=\"\(span)\">\(p.t("小计 \(j - i) 人", "Subtotal \(j - i)"))</td></tr>\n"
            i = j
        }
        h += "<tr class=\"tot\"><td colspan=\"\(span)\">\(p.t("合计 \(rows.count) 人", "Total \(rows.count)"))</td></tr>\n"
        return h + "</tbody></table>\n"
    }

    static func list(_ n: Int, _ zh: String, _ en: String, _ rows: [RosterRow], _ columns: [Column], _ p: RosterReport.Page)
        -> String
    {
        var h = annexHead(n, zh, en, count: rows.count, p)
        h += rows.isEmpty ? "<p>\(p.t("无。", "None."))</p>\n" : groupedTable(rows, columns: columns, p)
        return h + "</section>\n"
    }

    static func overdue(_ p: RosterReport.Page) -> String {
        let rows = p.input.rows.filter { if case .overdue = $0.status { true } else { false } }
        let cols =
            baseColumns(p) + [
                Column(title: p.t("课程进度", "Lessons"), left: false) { "\($0.itemsDone)/\($0.itemsTotal)" },
                Column(title: p.t("考试次数", "Attempts"), left: false) { "\($0.attemptsUsed)" },
            ]
        return list(1, "逾期未完成人员名单", "Overdue", rows, cols, p)
    }

    static func failed(_ p: RosterReport.Page) -> String {
        let rows = p.input.rows.filter { if case .failed = $0.status { true } else { false } }
        let cols =
            baseColumns(p) + [
                Column(title: p.t("考试次数", "Attempts"), left: false) { "\($0.attemptsUsed)" },
                Column(title: p.t("计分成绩", "Score"), left: false) { r in p.mean(r.countingScore) },
            ]
        return list(2, "考试未通过人员名单", "Failed the exam", rows, cols, p)
    }

    static func exempt(_ p: RosterReport.Page) -> String {
        let rows = p.input.rows.filter { if case .exempt = $0.status { true } else { false } }
        let ex = p.input.exemptions
        let cols =
            baseColumns(p) + [
                Column(title: p.t("免训原因", "Reason")) { p.e(ex[$0.badge]?.reason ?? $0.exemptionReason ?? "") },
                Column(title: p.t("批准人", "Approved by")) { p.e(ex[$0.badge]?.grantedBy ?? "") },
                Column(title: p.t("批准日期", "Date"), left: false) { r in ex[r.badge].map { p.stamp($0.grantedAt, time: false) } ?? "" },
            ]
        return list(3, "免训人员名单", "Exempt", rows, cols, p)
    }

    static func spotChecks(_ p: RosterReport.Page) -> String {
        let draws = p.input.spotChecks
        var h = annexHead(4, "双随机抽查名单及结果", "Spot checks (双随机) and results", count: draws.count, p)
        if draws.isEmpty { return h + "<p>\(p.t("本周期未进行抽查。", "No draw in this cycle."))</p></section>\n" }
        let byBadge = Dictionary(p.input.rows.map { ($0.badge, $0) }, uniquingKeysWith: { a, _ in a })
        let cols =
            baseColumns(p) + [
                Column(title: p.t("状态", "Status")) { p.e(RosterExport.statusText($0.status, chinese: p.c)) },
                Column(title: p.t("计分成绩", "Score"), left: false) { r in p.mean(r.countingScore) },
            ]
        for d in draws {
            let picked = d.selected.compactMap { byBadge[$0] }
            let ordered = DepartmentOrder.sorted(picked, department: \.department, badge: \.badge)
            h += "<h3>\(p.t("第 \(d.id) 次抽取", "Draw \(d.id)"))：\(p.e(p.stamp(d.drawnAt)))，"
            h += p.t("比例 \(RosterReport.percentText(d.percent))%，种子 \(d.seed)", "\(RosterReport.percentText(d.percent))%, seed \(d.seed)")
            h += d.inspectors.isEmpty ? "" : "，\(p.t("检查人员", "inspectors"))：\(p.e(d.inspectors.joined(separator: "、")))"
            h += "</h3>\n"
            if picked.count < d.selected.count {
                h += "<p>\(p.t("另有 \(d.selected.count - picked.count) 人不在本报告范围内。", "\(d.selected.count - picked.count) more are outside this report's scope."))</p>\n"
            }
            h += groupedTable(ordered, columns: cols, p)
        }
        return h + "</section>\n"
    }

    static func everyLevel(_ p: RosterReport.Page) -> String {
        guard p.rollup.nodes.contains(where: { $0.depth > p.input.level }) else { return "" }
        var h = "<section class=\"annex\"><h2>\(p.t("附件5", "Annex 5"))　\(p.t("各级部门统计", "Every department level"))</h2>\n"
        h += p.departmentTableHead()
        for n in p.rollup.nodes {
            let l = p.rollup.label(n, chinese: p.c)
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
