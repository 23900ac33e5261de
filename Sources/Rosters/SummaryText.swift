import Foundation
import Localization
import Records

/// The terminal rendering of `roster summary`: one line per department, each child indented
/// under its parent (its own name only), then a completion bar of Unicode blocks (eighths) and
/// the figures. Fits `width` terminal columns: long names are cut with `…` by display width and
/// the bar is dropped first when space is short; the figures are never cut.
public enum SummaryText {
    /// `s` cut to at most `maxWidth` columns, ending in `…` (1 column) when cut.
    public static func clip(_ s: String, _ maxWidth: Int) -> String {
        guard DisplayWidth.of(s) > maxWidth else { return s }
        var w = 0
        var out = ""
        for ch in s {
            let cw = DisplayWidth.of(String(ch))
            if w + cw > maxWidth - 1 { break }
            w += cw
            out.append(ch)
        }
        return out + "…"
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
        s + String(repeating: " ", count: max(0, width - DisplayWidth.of(s)))
    }

    static func padLeft(_ s: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(s))) + s
    }

    /// The columns chosen for a width: name column, bar (0 = none).
    struct Layout: Equatable {
        var nameWidth: Int
        var barWidth: Int
    }

    /// Full names and a bar of 10…20 cells if both fit; else names cut to keep a 10-cell bar
    /// while they keep at least 20 columns; else no bar and names cut to what is left (never
    /// below 6 columns).
    static func layout(width: Int, names: Int, fixed: Int) -> Layout {
        let room = width - fixed
        if room >= names + 11 { return Layout(nameWidth: names, barWidth: min(20, room - names - 1)) }
        if room - 11 >= 20 { return Layout(nameWidth: room - 11, barWidth: 10) }
        return Layout(nameWidth: max(6, min(names, room)), barWidth: 0)
    }

    public static func render(_ rollup: RosterRollup, context: RosterContext, width: Int = 80) -> String {
        let c = context.chinese
        func t(_ zh: String, _ en: String) -> String { c ? zh : en }
        func label(_ n: DepartmentRollup) -> String {
            let l = rollup.label(n, context.language)
            return String(repeating: "  ", count: l.level) + l.text
        }
        func pct(_ r: Double?) -> String { r.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
        func mean(_ m: Double?) -> String { m.map { String(format: "%.1f", $0) } ?? "-" }
        let heads = [t("完成率", "done%"), t("人数", "people"), t("完成", "done"), t("通过", "passed"), t("均分", "mean"), t("逾期", "overdue")]
        let table = rollup.nodes.map { n in
            [pct(n.completionRate), String(n.headcount), String(n.completed), String(n.passed), mean(n.meanScore), String(n.overdue)]
        }
        // Each figure column: as wide as its header or its widest value, one space before it.
        let numWidths = heads.indices.map { i in max(DisplayWidth.of(heads[i]), table.map { $0[i].count }.max() ?? 0) }
        let fixed = 1 + numWidths.reduce(0) { $0 + $1 + 1 }
        let names = max(DisplayWidth.of(t("部门", "Department")), rollup.nodes.map { DisplayWidth.of(label($0)) }.max() ?? 0)
        let lay = layout(width: width, names: names, fixed: fixed)
        func figures(_ cells: [String]) -> String {
            zip(cells, numWidths).map { " " + padLeft($0, to: $1) }.joined()
        }
        func line(_ name: String, bar: String, _ cells: [String]) -> String {
            pad(clip(name, lay.nameWidth), to: lay.nameWidth) + " " + (lay.barWidth > 0 ? bar + " " : "") + figures(cells)
        }

        var lines: [String] = []
        var title = t("培训周期 ", "Cycle ") + context.cycle.id + "  " + context.cycle.title
        if let d = context.department { title += "  (" + t("部门：", "department: ") + d + ")" }
        lines.append(clip(title, width))
        lines.append(line(t("部门", "Department"), bar: String(repeating: " ", count: lay.barWidth), heads))
        for (n, cells) in zip(rollup.nodes, table) {
            lines.append(line(label(n), bar: bar(n.completionRate ?? 0, width: lay.barWidth), cells))
        }
        if rollup.total.headcount == 0 {
            lines.append(
                clip(
                    t(
                        "（人员范围为空：没有符合本周期部门与人员类别的在岗人员）",
                        "(empty population: no active staff match this cycle's departments and roles)"), width))
        }
        return lines.map { $0.replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }
}
