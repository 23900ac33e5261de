import Foundation
import Localization
import Records
import Spreadsheets

/// What every roster output names besides the rows.
public struct RosterContext: Sendable {
    public var cycle: TrainingCycle
    /// The `--department` filter, if any.
    public var department: String?
    public var generatedAt: Date
    public var head: ChainHead?
    public var language: Language

    public init(cycle: TrainingCycle, department: String?, generatedAt: Date, head: ChainHead?, language: Language) {
        self.cycle = cycle
        self.department = department
        self.generatedAt = generatedAt
        self.head = head
        self.language = language
    }

    var chinese: Bool { language == .zhHans }

    /// Dates are shown in the cycle's zone (the zone its window is read in).
    public var timeZone: TimeZone { TimeZone(identifier: cycle.timeZoneID) ?? .current }

    func t(_ zh: String, _ en: String) -> String { language.pick(zh: zh, en: en) }
}

public enum RosterFormat: String, Sendable, CaseIterable {
    case csv, xlsx, json
}

/// Roster exports. Every writer takes the roster's rows (one per person of the population,
/// never-started included, in department, badge order) as a stream and writes each as it comes:
/// CSV and the XLSX roster sheet hold one row at a time, so memory does not grow with headcount.
public enum RosterExport {
    /// Called every `progressInterval` rows with the number written so far.
    public typealias Progress = (Int) -> Void
    public static let progressInterval = 10_000

    public static func columns(_ language: Language) -> [String] {
        language == .zhHans
            ? [
                "执法证号", "姓名", "所属部门", "人员类别", "状态", "已学课程", "应学课程", "已用考试次数", "计分成绩", "满分",
                "是否通过", "完成日期", "免训原因", "双随机抽查",
            ]
            : [
                "badge", "name", "department", "role", "status", "lessons_done", "lessons_total", "attempts_used", "score",
                "max_score", "passed", "completed_on", "exemption_reason", "spot_check",
            ]
    }

    public static func cells(_ r: RosterRow, _ language: Language) -> [CellValue] {
        let t = language.pick(zh:en:)
        let yes = t("是", "yes")
        return [
            .text(r.badge), .text(r.name), .text(r.department),
            .text(t(r.role.chinese, r.role.rawValue)),
            .text(statusText(r.status, language)),
            .integer(r.itemsDone), .integer(r.itemsTotal), .integer(r.attemptsUsed),
            r.countingScore.map(CellValue.number) ?? .empty,
            r.maxScore.map(CellValue.number) ?? .empty,
            r.passed.map { .text($0 ? t("通过", "passed") : t("未通过", "not passed")) } ?? .empty,
            r.completedAt.map(CellValue.date) ?? .empty,
            .optionalText(r.exemptionReason),
            r.spotChecked ? .text(yes) : .empty,
        ]
    }

    /// Status without the detail the other columns already carry (k/n, the exemption reason).
    public static func statusText(_ s: CycleStatus, _ language: Language) -> String {
        let chinese = language == .zhHans
        return switch s {
        case .notStarted: chinese ? "未开始" : "not started"
        case .studying: chinese ? "学习中" : "studying"
        case .passed: chinese ? "考试已通过" : "exam passed"
        case .failed: chinese ? "未通过（次数已用完）" : "failed (all attempts used)"
        case .completed: chinese ? "已完成" : "completed"
        case .exempt: chinese ? "免训" : "exempt"
        case .overdue: chinese ? "逾期" : "overdue"
        }
    }

    // MARK: CSV

    public static func writeCSV(
        _ rows: [RosterRow], context: RosterContext, to sink: ByteSink,
        encoding: CSVWriter.Encoding = .utf8(bom: true), destinationName: String,
        progress: Progress? = nil
    ) throws {
        try writeCSV(
            .array(rows), context: context, to: sink, encoding: encoding, destinationName: destinationName, progress: progress)
    }

    /// Writes each row as the stream yields it; returns the number of rows.
    @discardableResult
    public static func writeCSV(
        _ rows: RosterRows, context: RosterContext, to sink: ByteSink,
        encoding: CSVWriter.Encoding = .utf8(bom: true), destinationName: String,
        progress: Progress? = nil
    ) throws -> Int {
        let w = try CSVWriter(
            sink: sink, encoding: encoding, neutralizeFormulas: true, timeZone: context.timeZone,
            destinationName: destinationName)
        try w.writeRow(columns(context.language))
        var n = 0
        try rows.forEach { r in
            try w.writeRow(cells(r, context.language))
            n += 1
            if let progress, n % progressInterval == 0 { progress(n) }
        }
        // The chain head the roster was computed from, for `academy audit verify --against`.
        if let head = context.head { try w.writeComment(AuditHeadToken.commentLine(head)) }
        try w.finish()
        return n
    }

    // MARK: XLSX

    public static func summaryColumns(_ language: Language) -> [String] {
        language == .zhHans
            ? ["部门", "层级", "人数", "已完成", "免训", "完成率", "已通过", "平均成绩", "逾期", "未通过", "未开始", "完整路径"]
            : [
                "department", "depth", "headcount", "completed", "exempt", "completion", "passed", "mean_score", "overdue",
                "failed", "not_started", "path",
            ]
    }

    /// One 汇总 row: the department's own name (indented by the sheet), its figures, its path.
    public static func summaryCells(_ n: DepartmentRollup, label: String) -> [CellValue] {
        [
            .text(label), .integer(n.depth), .integer(n.headcount),
            .integer(n.completed), .integer(n.exempt), n.completionRate.map(CellValue.percent) ?? .empty,
            .integer(n.passed), n.meanScore.map { .number(($0 * 10).rounded() / 10) } ?? .empty, .integer(n.overdue),
            .integer(n.failed), .integer(n.notStarted), .text(n.path),
        ]
    }

    /// Formats of a 汇总 row: the name indented by level, the mean with one decimal; a total
    /// row in bold.
    static func summaryStyles(level: Int, total: Bool) -> [XLSXCellStyle?] {
        if total {
            return [.bold, .bold, .bold, .bold, .bold, .boldPercent, .bold, .boldOneDecimal, .bold, .bold, .bold, .bold]
        }
        return [level > 0 ? .indent(level) : nil, nil, nil, nil, nil, nil, nil, .oneDecimal, nil, nil, nil, nil]
    }

    /// A workbook with the roster sheet (名册: badge and name frozen with the header) and the
    /// summary sheet (汇总: departments indented by level, the 合计 row below the filter range),
    /// both set to print landscape, one page wide, with the header on every page.
    /// Completion dates are date cells. Atomic (temp dir + rename).
    public static func writeXLSX(
        _ rows: [RosterRow], rollup: RosterRollup, context: RosterContext, to url: URL,
        progress: Progress? = nil
    ) throws {
        try writeXLSX(.array(rows), context: context, to: url, progress: progress)
    }

    /// One pass: each row goes to the roster sheet's body file as it comes and into the roll-up
    /// (one node per department), which the summary sheet is written from at the end. What the
    /// workbook holds in memory is a write buffer per sheet and the widest cell per column;
    /// strings are inline (no shared-string table), and the package is deflated from the body
    /// files in chunks. Returns the number of rows.
    @discardableResult
    public static func writeXLSX(
        _ rows: RosterRows, context: RosterContext, to url: URL, progress: Progress? = nil
    ) throws -> Int {
        let language = context.language, chinese = language == .zhHans
        let builder = RosterRollup.Builder(scope: context.department)
        var n = 0
        let print = XLSXSheetWriter.PrintSetup(landscape: true, fitToWidth: true, language: language)
        var options = XLSXWriter.Options(timeZone: context.timeZone)
        if let head = context.head { options.customProperties[AuditHeadToken.propertyName] = AuditHeadToken.text(head) }
        let book = try XLSXWriter(destination: url, options: options)
        do {
            let roster = try book.addSheet(named: chinese ? "名册" : "Roster")
            roster.frozenColumns = 2
            roster.printSetup = print
            try roster.writeHeader(columns(language))
            try rows.forEach { r in
                try roster.writeRow(cells(r, language))
                builder.add(r)
                n += 1
                if let progress, n % progressInterval == 0 { progress(n) }
            }
            let rollup = builder.finish()
            let summary = try book.addSheet(named: chinese ? "汇总" : "Summary")
            summary.printSetup = print
            summary.frozenColumns = 1
            try summary.writeHeader(summaryColumns(language))
            for n in rollup.nodes.dropFirst() {
                let l = rollup.label(n, language)
                try summary.writeRow(summaryCells(n, label: l.text), styles: summaryStyles(level: l.level, total: false))
            }
            summary.endFilterRange()
            try summary.writeRow([])
            let root = rollup.label(rollup.total, language).text
            let totalLabel = rollup.scope == nil ? root : root + (chinese ? "（合计）" : " (total)")
            try summary.writeRow(summaryCells(rollup.total, label: totalLabel), styles: summaryStyles(level: 0, total: true))
            try book.finish()
            return n
        } catch {
            book.abort()
            throw error
        }
    }

    // MARK: JSON

    public static let schemaVersion = 1

    /// Deterministic JSON (sorted keys, rows in department then badge order, dates as
    /// `YYYY-MM-DD` in the cycle's zone, instants as ISO 8601 UTC). Schema in docs/admin-guide.md.
    public static func json(_ rows: [RosterRow], rollup: RosterRollup, context: RosterContext) throws -> Data {
        let day = jsonDayFormatter(context)
        let iso = ISO8601DateFormatter()
        let doc = JSONRoster(
            schema_version: schemaVersion,
            generated_at: iso.string(from: context.generatedAt),
            cycle: .init(
                id: context.cycle.id, title: context.cycle.title, opens: context.cycle.opens.description,
                due: context.cycle.due.description, time_zone: context.cycle.timeZoneID),
            department: context.department,
            audit_head: context.head.map { .init(seq: $0.seq, hash: $0.hash) },
            totals: .init(rollup.total),
            departments: rollup.nodes.dropFirst().map(JSONRoster.Dept.init),
            rows: rows.map { jsonRow($0, day: day) })
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try enc.encode(doc)
        data.append(0x0A)
        return data
    }

    /// The same document written as the rows stream (the roll-up, which precedes the rows in key
    /// order, comes from an earlier pass): each row is encoded alone, indented to its place.
    @discardableResult
    public static func writeJSON(_ rows: RosterRows, rollup: RosterRollup, context: RosterContext, to sink: ByteSink) throws -> Int {
        let frame = String(decoding: try json([], rollup: rollup, context: context), as: UTF8.self)
        guard let key = frame.range(of: "\n  \"rows\" : "), let next = frame.range(of: ",\n  \"schema_version\"", range: key.upperBound..<frame.endIndex)
        else { throw CocoaError(.coderInvalidValue) }
        let out = TextBuffer(sink)
        try out.write(String(frame[..<key.upperBound]) + "[")
        let day = jsonDayFormatter(context)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var n = 0
        try rows.forEach { r in
            let text = String(decoding: try enc.encode(jsonRow(r, day: day)), as: UTF8.self)
            try out.write((n == 0 ? "\n    " : ",\n    ") + text.replacingOccurrences(of: "\n", with: "\n    "))
            n += 1
        }
        try out.write((n == 0 ? "]" : "\n  ]") + String(frame[next.lowerBound...]))
        try out.flush()
        return n
    }

    static func jsonDayFormatter(_ context: RosterContext) -> DateFormatter {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = context.timeZone
        day.dateFormat = "yyyy-MM-dd"
        return day
    }

    static func jsonRow(_ r: RosterRow, day: DateFormatter) -> JSONRoster.Row {
        JSONRoster.Row(
            badge: r.badge, name: r.name, department: r.department, role: r.role.rawValue,
            status: r.status.key, lessons_done: r.itemsDone, lessons_total: r.itemsTotal,
            attempts_used: r.attemptsUsed, score: r.countingScore, max_score: r.maxScore,
            passed: r.passed, completed_on: r.completedAt.map(day.string(from:)),
            exemption_reason: r.exemptionReason, spot_checked: r.spotChecked)
    }

    /// The summary alone as JSON (`roster summary --format json`), same node shape as above.
    public static func summaryJSON(rollup: RosterRollup, context: RosterContext) throws -> Data {
        struct Doc: Encodable {
            var schema_version: Int
            var cycle: String
            var department: String?
            var totals: JSONRoster.Dept
            var departments: [JSONRoster.Dept]
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try enc.encode(
            Doc(
                schema_version: schemaVersion, cycle: context.cycle.id, department: context.department,
                totals: .init(rollup.total), departments: rollup.nodes.dropFirst().map(JSONRoster.Dept.init)))
        data.append(0x0A)
        return data
    }
}

/// The JSON roster document (schema_version 1). Optional fields are written as null, never omitted.
struct JSONRoster: Encodable {
    struct Cycle: Encodable { var id, title, opens, due, time_zone: String }
    struct Head: Encodable { var seq: Int64; var hash: String }
    struct Dept: Encodable {
        var path: String
        var depth, headcount, completed, exempt, passed, overdue, failed, not_started: Int
        var completion_rate: Double?
        var mean_score: Double?
        init(_ n: DepartmentRollup) {
            path = n.path; depth = n.depth; headcount = n.headcount; completed = n.completed; exempt = n.exempt
            passed = n.passed; overdue = n.overdue; failed = n.failed; not_started = n.notStarted
            completion_rate = n.completionRate.map { ($0 * 10000).rounded() / 10000 }
            mean_score = n.meanScore.map { ($0 * 100).rounded() / 100 }
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(path, forKey: .path); try c.encode(depth, forKey: .depth)
            try c.encode(headcount, forKey: .headcount); try c.encode(completed, forKey: .completed)
            try c.encode(exempt, forKey: .exempt); try c.encode(passed, forKey: .passed)
            try c.encode(overdue, forKey: .overdue); try c.encode(failed, forKey: .failed)
            try c.encode(not_started, forKey: .not_started)
            try c.encode(completion_rate, forKey: .completion_rate); try c.encode(mean_score, forKey: .mean_score)
        }
        enum K: String, CodingKey {
            case path, depth, headcount, completed, exempt, passed, overdue, failed, not_started, completion_rate, mean_score
        }
    }
    struct Row: Encodable {
        var badge, name, department, role, status: String
        var lessons_done, lessons_total, attempts_used: Int
        var score, max_score: Double?
        var passed: Bool?
        var completed_on, exemption_reason: String?
        var spot_checked: Bool
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(badge, forKey: .badge); try c.encode(name, forKey: .name)
            try c.encode(department, forKey: .department); try c.encode(role, forKey: .role)
            try c.encode(status, forKey: .status); try c.encode(lessons_done, forKey: .lessons_done)
            try c.encode(lessons_total, forKey: .lessons_total); try c.encode(attempts_used, forKey: .attempts_used)
            try c.encode(score, forKey: .score); try c.encode(max_score, forKey: .max_score)
            try c.encode(passed, forKey: .passed); try c.encode(completed_on, forKey: .completed_on)
            try c.encode(exemption_reason, forKey: .exemption_reason); try c.encode(spot_checked, forKey: .spot_checked)
        }
        enum K: String, CodingKey {
            case badge, name, department, role, status, lessons_done, lessons_total, attempts_used, score, max_score, passed,
                completed_on, exemption_reason, spot_checked
        }
    }
    var schema_version: Int
    var generated_at: String
    var cycle: Cycle
    var department: String?
    var audit_head: Head?
    var totals: Dept
    var departments: [Dept]
    var rows: [Row]
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: K.self)
        try c.encode(schema_version, forKey: .schema_version); try c.encode(generated_at, forKey: .generated_at)
        try c.encode(cycle, forKey: .cycle); try c.encode(department, forKey: .department)
        try c.encode(audit_head, forKey: .audit_head); try c.encode(totals, forKey: .totals)
        try c.encode(departments, forKey: .departments); try c.encode(rows, forKey: .rows)
    }
    enum K: String, CodingKey { case schema_version, generated_at, cycle, department, audit_head, totals, departments, rows }
}
