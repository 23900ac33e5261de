import Foundation
import Records

/// The terminal rendering of `roster summary`: one line per department, names indented by depth
/// and padded by display width, then a completion bar of Unicode blocks (eighths) and the figures.
public enum SummaryText {
    /// Terminal columns of `s`: East Asian wide and full-width characters count 2, combining
    /// marks and controls 0. A minimal table of the CJK ranges (TerminalUI's generated width
    /// table is not a dependency of Rosters); enough for department names.
    public static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            if v < 0x20 || (0x7F..<0xA0).contains(v) || (0x300...0x36F).contains(v) || v == 0x200B
                || (0xFE00...0xFE0F).contains(v)
            {
                return n
            }
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
                || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
                || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `width` cells wide for `fraction` (0…1): full blocks then one partial eighth block,
    /// padded with spaces so that the figures after it line up.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let f = max(0, min(1, fraction.isFinite ? fraction : 0))
        let units = Int((f * Double(width * 8)).rounded())
        var s = String(repeating: "█", count: units / 8)
        if units % 8 > 0 { s.append(eighths[units % 8 - 1]) }
        return s + String(repeating: " ", count: width - (units + 7) / 8)
    }

    public static func pad(_ s: String, to width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - displayWidth(s)))
    }

    public static func render(_ rollup: RosterRollup, context: RosterContext, barWidth: Int = 20) -> String {
        let c = context.chinese
        func t(_ zh: String, _ en: String) -> String { c ? zh : en }
        func label(_ n: DepartmentRollup) -> String {
            n.depth == 0 ? t("合计", "Total") : String(repeating: "  ", count: n.depth - 1) + n.name
        }
        let nameWidth = max(displayWidth(t("部门", "Department")), rollup.nodes.map { displayWidth(label($0)) }.max() ?? 0)
        func pct(_ r: Double?) -> String { r.map { String(format: "%5.1f%%", $0 * 100) } ?? "    - " }
        func mean(_ m: Double?) -> String { m.map { String(format: "%.1f", $0) } ?? "-" }
        let heads = [t("人数", "people"), t("完成", "done"), t("通过", "passed"), t("均分", "mean"), t("逾期", "overdue")]
        let numWidth = max(7, heads.map(displayWidth).max() ?? 0)
        func num(_ s: String) -> String { String(repeating: " ", count: max(0, numWidth - displayWidth(s)) + 1) + s }

        var lines: [String] = []
        var title = t("培训周期 ", "Cycle ") + context.cycle.id + "  " + context.cycle.title
        if let d = context.department { title += "  (" + t("部门：", "department: ") + d + ")" }
        lines.append(title)
        lines.append(
            pad(t("部门", "Department"), to: nameWidth) + "  " + pad(t("完成率", "completion"), to: barWidth + 7)
                + heads.map(num).joined())
        for n in rollup.nodes {
            lines.append(
                pad(label(n), to: nameWidth) + "  " + bar(n.completionRate ?? 0, width: barWidth) + " " + pct(n.completionRate)
                    + num(String(n.headcount)) + num(String(n.completed)) + num(String(n.passed))
                    + num(mean(n.meanScore)) + num(String(n.overdue)))
        }
        if rollup.total.headcount == 0 {
            lines.append(
                t(
                    "（人员范围为空：没有符合本周期部门与人员类别的在岗人员）",
                    "(empty population: no active staff match this cycle's departments and roles)"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
