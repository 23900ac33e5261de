import Foundation
import Records

/// `index.html` of `roster report --each-department`: one line per unit with its figures and a
/// link to its report.
enum ReportIndex {
    static func html(_ input: RosterReport.Input, units: [(file: String, node: DepartmentRollup)]) -> String {
        let p = RosterReport.Page(input)
        var h = p.head()
        h += "<h1>\(p.title)</h1>\n<p>\(p.t("培训周期", "Cycle"))：\(p.e(input.context.cycle.id + " · " + input.context.cycle.title))<br>"
        h += "\(p.t("报告日期", "Report date"))：\(p.e(p.stamp(input.context.generatedAt)))</p>\n"
        h += "<h2>\(p.t("各单位报告", "One report per unit"))（\(units.count)）</h2>\n" + p.departmentTableHead()
        for u in units {
            let link = "<a href=\"\(p.e(u.file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? u.file))\">\(p.e(u.node.path))</a>"
            h += p.departmentRow(u.node, label: "").replacingOccurrences(of: "<td class=\"l\"></td>", with: "<td class=\"l\">\(link)</td>")
        }
        h += p.departmentRow(input.rollup.total, label: p.c ? "合计" : "Total", css: " class=\"tot\"")
        return h + "</tbody></table>\n</body>\n</html>\n"
    }
}
