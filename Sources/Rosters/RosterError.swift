import Foundation
import Localization
import Records

/// Errors of roster exports, reports and spot checks, in both interface languages.
public enum RosterError: Error, BilingualError, Equatable {
    case unknownDepartment(String, cycleID: String)
    case badPercent(Double)
    case unreadable(path: String, reason: BilingualText)
    case noInspectors(path: String)
    case binaryToTerminal
    case emptyPopulation(cycleID: String)
    case badConfig(path: String, line: Int, detail: String)
    case ambiguousDepartment(String, matches: [String])
    case badLevel(Int, deepest: Int)

    public var message: BilingualText {
        switch self {
        case let .unknownDepartment(d, c):
            BilingualText(
                zh: "未知部门：“\(d)”不在培训周期 \(c) 的人员范围内（用 academy staff list 查看部门路径）",
                en:
                    "unknown department: \"\(d)\" is not in the population of cycle \(c) (see academy staff list for department paths)"
            )
        case let .badPercent(p):
            BilingualText(
                zh: "--percent 必须大于 0 且不超过 100（收到 \(p)）", en: "--percent must be greater than 0 and at most 100 (got \(p))")
        case let .unreadable(path, reason):
            BilingualText(zh: "\(path)：无法读取：\(reason.zh)", en: "\(path): cannot read: \(reason.en)")
        case let .noInspectors(path):
            BilingualText(zh: "\(path)：检查人员名单为空", en: "\(path): the inspector list is empty")
        case .binaryToTerminal:
            BilingualText(
                zh: "XLSX 是二进制文件，不能写到终端；请用 -o 文件名.xlsx 指定输出文件",
                en: "XLSX is binary and will not be written to a terminal; name an output file with -o FILE.xlsx")
        case let .badConfig(path, line, detail):
            BilingualText(zh: "\(path):\(line)：\(detail)", en: "\(path):\(line): \(detail)")
        case let .ambiguousDepartment(d, matches):
            BilingualText(
                zh: "部门“\(d)”不唯一，可能是：\n" + matches.map { "  " + $0 }.joined(separator: "\n") + "\n请写出完整路径",
                en: "department \"\(d)\" is ambiguous; it matches:\n" + matches.map { "  " + $0 }.joined(separator: "\n")
                    + "\nwrite the full path")
        case let .badLevel(n, deepest):
            BilingualText(
                zh: "--level \(n) 超出范围：本范围的部门层级为 1 到 \(deepest)",
                en: "--level \(n) is out of range: this scope has department levels 1 to \(deepest)")
        case let .emptyPopulation(c):
            BilingualText(zh: "培训周期 \(c) 的人员范围为空，没有可抽查的人员", en: "the population of cycle \(c) is empty; there is nobody to draw")
        }
    }

    public var description: String { message.en }
}
