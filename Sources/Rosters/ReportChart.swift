import Foundation
import Records

/// Section 2 of the report: one stacked bar per department of the chosen level — completed,
/// passed the exam but lessons outstanding, overdue, the rest — out of the people required to
/// train, with the figures written beside each bar so that 1% reads as well as 50%.
enum ReportChart {
    static let colors = (completed: "#2e7d32", passed: "#64b5f6", overdue: "#c62828", rest: "#eeeeee")
    /// Bars per SVG, so that a long chart breaks between pictures, not through one.
    static let barsPerBlock = 30

    static func section(_ p: RosterReport.Page) -> String {
        var h = "<h2>\(p.t("二、各部门完成情况", "2. Completion by department"))</h2>\n"
        let bars = p.levelNodes
        guard !bars.isEmpty else { return h + "<p>\(p.t("无下级部门。", "No departments below the scope."))</p>\n" }
        h += legend(p)
        for start in stride(from: 0, to: bars.count, by: barsPerBlock) {
            h += svg(Array(bars[start..<min(start + barsPerBlock, bars.count)]), p)
        }
        return h
    }

    static func legend(_ p: RosterReport.Page) -> String {
        let items = [
            (colors.completed, p.t("已完成", "completed")), (colors.passed, p.t("考试通过、课程未学完", "passed, lessons outstanding")),
            (colors.overdue, p.t("逾期", "overdue")), (colors.rest, p.t("其他（学习中、未开始、未通过）", "other (studying, not started, failed)")),
        ]
        return "<p class=\"legend\">"
            + items.map { "<span><i style=\"background:\($0.0);border:0.3pt solid #999\"></i>\($0.1)</span>" }.joined()
            + p.t("（占应训人数，不含免训）", " (share of people required to train, exempt excluded)") + "</p>\n"
    }

    /// Segment widths: each non-zero share at least `minimum` wide, so that 1 person in 100 shows.
    static func segments(_ n: DepartmentRollup, width: Double, minimum: Double = 0.8) -> [Double] {
        guard n.required > 0 else { return [0, 0, 0] }
        let shares = [n.completed, n.passedPending, n.overdue].map { Double($0) / Double(n.required) }
        return shares.map { $0 > 0 ? max(minimum, $0 * width) : 0 }
    }

    static func svg(_ bars: [DepartmentRollup], _ p: RosterReport.Page) -> String {
        let rowH = 7.0, labelW = 40.0, barW = 62.0, width = 180.0
        let height = Double(bars.count) * rowH + 8
        var h = "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(width))mm\" "
        h += "height=\"\(fmt(height))mm\" viewBox=\"0 0 \(Int(width)) \(fmt(height))\" font-size=\"3.2\">\n"
        h += "<title>\(p.t("各部门完成情况", "Completion by department"))</title>\n"
        for k in 0...4 {
            let x = labelW + barW * Double(k) / 4
            h += "<line x1=\"\(fmt(x))\" y1=\"0\" x2=\"\(fmt(x))\" y2=\"\(fmt(height - 6))\" stroke=\"#ccc\" stroke-width=\"0.2\"/>"
            h += "<text x=\"\(fmt(x))\" y=\"\(fmt(height - 2))\" text-anchor=\"middle\" fill=\"#555\">\(k * 25)%</text>\n"
        }
        for (i, n) in bars.enumerated() { h += bar(n, y: Double(i) * rowH, labelW: labelW, barW: barW, p) }
        return h + "</svg></div>\n"
    }

    static func bar(_ n: DepartmentRollup, y: Double, labelW: Double, barW: Double, _ p: RosterReport.Page) -> String {
        var h = "<text x=\"\(fmt(labelW - 2))\" y=\"\(fmt(y + 4.4))\" text-anchor=\"end\">\(p.e(SummaryText.clip(n.name, 22)))</text>"
        h += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 1.4))\" width=\"\(fmt(barW))\" height=\"4.2\" fill=\"\(colors.rest)\"/>"
        var x = labelW
        for (w, color) in zip(segments(n, width: barW), [colors.completed, colors.passed, colors.overdue]) where w > 0 {
            h += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 1.4))\" width=\"\(fmt(w))\" height=\"4.2\" fill=\"\(color)\"/>"
            x += w
        }
        func share(_ k: Int) -> String { n.required > 0 ? String(format: "%.1f%%", Double(k) * 100 / Double(n.required)) : "—" }
        let label =
            p.c
            ? "完成 \(share(n.completed))　通过 \(share(n.passedPending))　逾期 \(share(n.overdue))（\(n.required)人）"
            : "done \(share(n.completed)) · passed \(share(n.passedPending)) · overdue \(share(n.overdue)) (\(n.required))"
        h += "<text x=\"\(fmt(labelW + barW + 1.5))\" y=\"\(fmt(y + 4.4))\" font-size=\"2.9\">\(p.e(label))</text>\n"
        return h
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
