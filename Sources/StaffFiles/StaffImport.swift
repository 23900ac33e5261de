import Foundation
import Localization
import Records
import XMLSupport

/// One problem in a staff file, printed as `file:line: column 'X': message`.
public struct StaffFileProblem: Sendable, Hashable, CustomStringConvertible, LocalizedText {
    public var file: String
    public var line: Int
    /// The column's header as written in the file, or nil for a problem with the whole row/file.
    public var column: String?
    public var message: BilingualText

    public init(file: String, line: Int, column: String?, message: BilingualText) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public func text(in language: Language) -> String {
        let msg = message.text(in: language)
        guard let column else { return "\(file):\(line): \(msg)" }
        return language.pick(zh: "\(file):\(line): 列 '\(column)': \(msg)", en: "\(file):\(line): column '\(column)': \(msg)")
    }

    public var description: String {
        let col = column.map { " column '\($0)':" } ?? ""
        return "\(file):\(line):\(col) \(message.en)"
    }
}

/// A staff file that was rejected; nothing was written.
public struct StaffImportError: BilingualError, Equatable {
    public var problems: [StaffFileProblem]

    public init(problems: [StaffFileProblem]) { self.problems = problems }

    public var message: BilingualText {
        BilingualText(
            zh: "人员名单有 \(problems.count) 处错误，未导入任何内容",
            en: "the staff file has \(problems.count) problem(s); nothing was imported")
    }
}

/// Turns the rows of a staff file into validated `StaffInput`s, collecting every problem.
public enum StaffSheetParser {
    public enum Column: String, CaseIterable, Sendable {
        case badge, name, department, role, status

        /// Accepted header spellings (compared after trimming, case-insensitively).
        var headers: [String] {
            switch self {
            case .badge: ["执法证号", "badge"]
            case .name: ["姓名", "name"]
            case .department: ["所属部门", "department"]
            case .role: ["人员类别", "role"]
            case .status: ["状态", "status"]
            }
        }

        /// Longest value accepted, in characters (Unicode scalars). Generous for real data
        /// (names of minority officers run to about 20 characters, department paths to a few
        /// levels), and small enough that one row cannot flood a list or a report.
        public var maxLength: Int {
            switch self {
            case .badge: 64
            case .name: 100
            case .department: 300
            case .role, .status: 32
            }
        }

        static func match(_ header: String) -> Column? {
            let h = header.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            return allCases.first { $0.headers.contains(h) }
        }
    }

    /// Unicode White_Space, by range (the property lookup was a hot spot in bulk imports).
    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Empty or whitespace only (including non-ASCII spaces such as U+3000).
    static func isBlank(_ s: String) -> Bool {
        for b in s.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { continue }
            if b < 0x80 { return false }
            return trimmed(s).isEmpty
        }
        return true
    }

    /// Trims whitespace and newlines, without Foundation's cost when there is nothing to trim.
    static func trimmed(_ s: String) -> String {
        // Every White_Space character is ASCII or starts with one of the lead bytes 0xC2 (U+0085,
        // U+00A0), 0xE1 (U+1680), 0xE2 (U+2000…U+205F) or 0xE3 (U+3000); the last byte of a
        // multi-byte character is a continuation byte (0x80…0xBF), which no ASCII space is.
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        let firstMayBeSpace = first < 0x80 ? isSpace(Unicode.Scalar(first)) : mayLeadSpace(first)
        let lastMayBeSpace = last < 0x80 ? isSpace(Unicode.Scalar(last)) : Self.leadOfLast(s.utf8).map(Self.mayLeadSpace) ?? true
        if !firstMayBeSpace, !lastMayBeSpace { return s }
        return s.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func mayLeadSpace(_ lead: UInt8) -> Bool { lead == 0xC2 || (0xE1...0xE3).contains(lead) }

    /// The first byte of the last character of a string that ends in a multi-byte one.
    private static func leadOfLast(_ utf8: String.UTF8View) -> UInt8? {
        var i = utf8.endIndex
        for _ in 0..<4 where i > utf8.startIndex {
            i = utf8.index(before: i)
            if utf8[i] & 0xC0 != 0x80 { return utf8[i] }
        }
        return nil
    }

    /// Why a field value is refused whatever its column means: too long, or holding control
    /// characters (a line break or ESC in a name would break lists and drive terminals).
    static func shapeProblem(_ value: String, _ column: Column) -> BilingualText? {
        // By bytes: a scalar is a byte that is not a continuation byte; the refused ones are ASCII
        // controls and DEL, C1 controls (0xC2 0x80…0x9F) and U+2028/U+2029 (0xE2 0x80 0xA8/0xA9).
        var n = 0
        var suspect = false
        for b in value.utf8 {
            if b & 0xC0 != 0x80 { n += 1 }
            if b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2 { suspect = true }
        }
        if !suspect, n <= column.maxLength { return nil }
        n = 0
        for u in value.unicodeScalars {
            n += 1
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                let code = "U+" + String(u.value, radix: 16, uppercase: true).leftPadded(to: 4)
                return BilingualText(
                    zh: "含有控制字符（\(code)）：“\(InputQuote.clip(value, limit: 40))”",
                    en: "contains a control character (\(code)): '\(InputQuote.clip(value, limit: 40))'")
            }
        }
        if n > column.maxLength {
            return BilingualText(
                zh: "过长（\(n) 个字符，上限 \(column.maxLength)）：“\(InputQuote.clip(value, limit: 40))”",
                en: "too long (\(n) characters, the limit is \(column.maxLength)): '\(InputQuote.clip(value, limit: 40))'")
        }
        return nil
    }

    /// At most this many problems are listed for one file (then a count of the rest).
    public static let maxProblems = 100

    /// `rows[0]` is the header row. `line` is the physical line (CSV) or row number (XLSX).
    /// Every row is checked, and every problem (up to `maxProblems`) is listed.
    public static func parse(source: String, rows: [(line: Int, cells: [String])]) throws -> [StaffInput] {
        var sheet = try StaffSheetRows(source: source, rows: rows)
        var result: [StaffInput] = []
        result.reserveCapacity(sheet.capacity)
        while let row = sheet.next() { result.append(row) }
        try sheet.finish()
        return result
    }
}

/// A staff file's rows, checked one at a time as an import takes them (`StaffRowSource`): the
/// header when it is made (a problem there throws at once, before anything is opened), each
/// row in `next()`. A row with a problem is not given out, and from the first problem on the
/// rest are only checked, for the list: `finish()` then throws every problem found (up to
/// `StaffSheetParser.maxProblems`, then a count), and the import writes nothing.
public struct StaffSheetRows: StaffRowSource {
    public typealias Column = StaffSheetParser.Column

    private let source: String
    private let rows: [(line: Int, cells: [String])]
    private var index: Int
    private var problems: ProblemList
    private var firstLine: [ByteKey: Int] = [:]
    private let headerNames: [Column: String]
    /// Each column's position, looked up once rather than per cell.
    private let present: [(column: Column, at: Int)]
    private let badgeAt: Int, nameAt: Int, departmentAt: Int, roleAt: Int
    private let statusAt: Int?

    /// Checks the header (the first row that is not blank); throws `StaffImportError` when it
    /// is missing, names an unknown or repeated column, lacks a required one, or has no row
    /// after it.
    public init(source: String, rows: [(line: Int, cells: [String])]) throws {
        self.source = source
        self.rows = rows
        var problems = ProblemList(source: source)
        func problem(_ line: Int, _ column: String?, zh: String, en: String) {
            problems.add(line, column, zh: zh, en: en)
        }
        guard let h = rows.firstIndex(where: { !Self.isBlank($0.cells) }) else {
            problem(1, nil, zh: "文件为空，没有表头也没有人员", en: "the file is empty: no header and no staff")
            throw problems.refusal
        }
        let header = rows[h]
        index = h + 1
        var at: [Column: Int] = [:]
        var names: [Column: String] = [:]
        for (i, raw) in header.cells.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { continue }
            guard let column = Column.match(name) else {
                problem(
                    header.line, name, zh: "未知的列名（可用：执法证号/badge、姓名/name、所属部门/department、人员类别/role、状态/status）",
                    en: "unknown header (expected 执法证号/badge, 姓名/name, 所属部门/department, 人员类别/role, 状态/status)")
                continue
            }
            if at[column] != nil {
                problem(header.line, name, zh: "列重复出现", en: "the column appears twice")
                continue
            }
            at[column] = i
            names[column] = name
        }
        for column in [Column.badge, .name, .department, .role] where at[column] == nil {
            let names = column.headers.joined(separator: "/")
            problem(header.line, names, zh: "缺少必需的列", en: "required column is missing")
        }
        if !rows[index...].contains(where: { !Self.isBlank($0.cells) }) {
            problem(header.line, nil, zh: "只有表头，没有人员", en: "the file has a header but no staff rows")
        }
        guard problems.isEmpty else { throw problems.refusal }
        self.problems = problems
        headerNames = names
        present = Column.allCases.compactMap { c in at[c].map { (column: c, at: $0) } }
        badgeAt = at[.badge]!
        nameAt = at[.name]!
        departmentAt = at[.department]!
        roleAt = at[.role]!
        statusAt = at[.status]
        firstLine.reserveCapacity(rows.count - index)
    }

    public var capacity: Int { rows.count - index }

    public mutating func next() -> StaffInput? {
        while index < rows.count {
            let row = rows[index]
            index += 1
            if Self.isBlank(row.cells) { continue }
            let input = check(row)
            // From the first problem on, the rest are only checked: nothing will be written.
            if problems.isEmpty, let input { return input }
        }
        return nil
    }

    public func finish() throws {
        guard problems.isEmpty else { throw problems.refusal }
    }

    private static func isBlank(_ cells: [String]) -> Bool { cells.allSatisfy(StaffSheetParser.isBlank) }

    private mutating func problem(_ line: Int, _ column: Column, zh: String, en: String) {
        problems.add(line, headerNames[column]!, zh: zh, en: en)
    }

    /// The row as a `StaffInput`, or nil with its problems noted.
    private mutating func check(_ row: (line: Int, cells: [String])) -> StaffInput? {
        func cell(_ i: Int) -> String { i < row.cells.count ? StaffSheetParser.trimmed(row.cells[i]) : "" }
        let badge = cell(badgeAt)
        let name = cell(nameAt)
        let rawDepartment = cell(departmentAt)
        let department = DepartmentPath.normalize(rawDepartment)
        let roleText = cell(roleAt)
        let statusValue = statusAt.map(cell)
        var ok = true
        for (column, at) in present {
            let value: String
            switch column {
            case .badge: value = badge
            case .name: value = name
            case .department: value = rawDepartment
            case .role: value = roleText
            case .status: value = statusValue ?? cell(at)
            }
            guard let why = StaffSheetParser.shapeProblem(value, column) else { continue }
            problem(row.line, column, zh: why.zh, en: why.en)
            ok = false
        }
        if !ok { return nil }
        if badge.isEmpty {
            problem(row.line, .badge, zh: "执法证号为空", en: "badge is empty")
            ok = false
        } else if let earlier = firstLine[ByteKey(badge)] {
            problem(
                row.line, .badge, zh: "执法证号 \(badge) 重复（第 \(earlier) 行已出现）",
                en: "duplicate badge \(badge) (first on line \(earlier))")
            ok = false
        } else {
            firstLine[ByteKey(badge)] = row.line
        }
        if name.isEmpty {
            problem(row.line, .name, zh: "姓名为空", en: "name is empty")
            ok = false
        }
        if department.isEmpty {
            problem(row.line, .department, zh: "所属部门为空", en: "department path is empty")
            ok = false
        }
        let role = StaffRole(spreadsheetValue: roleText)
        if role == nil {
            problem(
                row.line, .role, zh: "未知的人员类别“\(InputQuote.clip(roleText))”（应为 执法人员/officer 或 协管人员/assistant）",
                en: "unknown role '\(InputQuote.clip(roleText))' (expected 执法人员/officer or 协管人员/assistant)")
            ok = false
        }
        var status: StaffStatus?
        if let statusText = statusValue, !statusText.isEmpty {
            status = StaffStatus(spreadsheetValue: statusText)
            if status == nil {
                problem(
                    row.line, .status, zh: "未知的状态“\(InputQuote.clip(statusText))”（应为 在岗/active 或 离岗/inactive）",
                    en: "unknown status '\(InputQuote.clip(statusText))' (expected 在岗/active or 离岗/inactive)")
                ok = false
            }
        }
        guard ok, let role else { return nil }
        return StaffInput(badge: badge, name: name, department: department, role: role, status: status, line: row.line)
    }
}

/// A file's problems, listed up to `StaffSheetParser.maxProblems`, then counted.
private struct ProblemList {
    let source: String
    private var listed: [StaffFileProblem] = []
    private var unlisted = 0

    init(source: String) { self.source = source }

    var isEmpty: Bool { listed.isEmpty }

    mutating func add(_ line: Int, _ column: String?, zh: String, en: String) {
        guard listed.count < StaffSheetParser.maxProblems else {
            unlisted += 1
            return
        }
        listed.append(
            StaffFileProblem(
                file: source, line: line, column: column.map { InputQuote.clip($0, limit: 60) },
                message: BilingualText(zh: zh, en: en)))
    }

    /// The problems listed, then how many more there were.
    var refusal: StaffImportError {
        var all = listed
        if unlisted > 0 {
            all.append(
                StaffFileProblem(
                    file: source, line: listed.last?.line ?? 1, column: nil,
                    message: BilingualText(zh: "另有 \(unlisted) 处错误未列出", en: "\(unlisted) more problem(s) not listed")))
        }
        return StaffImportError(problems: all)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
