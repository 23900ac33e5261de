import Courseware
import Foundation
import Localization

/// Who files the report: 填报单位, contact person and telephone. Taken from `--unit`,
/// `--contact`, `--phone`, else from `report.toml` beside the database, else left blank for
/// handwriting.
public struct ReportHeader: Sendable, Equatable {
    public var unit: String?
    public var contact: String?
    public var phone: String?

    public init(unit: String? = nil, contact: String? = nil, phone: String? = nil) {
        self.unit = unit
        self.contact = contact
        self.phone = phone
    }

    /// Each field of `self` that is set wins over `other`'s.
    public func overriding(_ other: ReportHeader) -> ReportHeader {
        ReportHeader(unit: unit ?? other.unit, contact: contact ?? other.contact, phone: phone ?? other.phone)
    }

    public static let fileName = "report.toml"

    /// `report.toml` in the directory of the database `database` (as `--db` gives it).
    public static func file(besideDatabase database: String) -> URL {
        URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent(fileName)
    }

    /// Reads `report.toml`: `key = "value"` lines (keys unit, contact, phone), `#` comments and
    /// blank lines. Anything else is an error naming the file, line and key. A missing file is
    /// an empty header.
    public static func load(_ url: URL) throws -> ReportHeader {
        guard FileManager.default.fileExists(atPath: url.path) else { return ReportHeader() }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw RosterError.unreadable(path: url.path, reason: BilingualText("not UTF-8 text / 不是 UTF-8 文本"))
        }
        return try parse(text, path: url.path)
    }

    public static func parse(_ text: String, path: String) throws -> ReportHeader {
        var header = ReportHeader()
        for setting in KeyValueLine.parse(text) {
            guard let key = setting.key, let raw = setting.value else {
                throw RosterError.badConfig(path: path, line: setting.number, detail: "expected key = \"value\" / 应为 键 = \"值\"")
            }
            let value = try string(raw[...], path: path, line: setting.number)
            switch key {
            case "unit": header.unit = value
            case "contact": header.contact = value
            case "phone": header.phone = value
            default:
                throw RosterError.badConfig(
                    path: path, line: setting.number, detail: "unknown key \"\(key)\" (unit, contact, phone) / 未知的键“\(key)”")
            }
        }
        return header
    }

    /// A TOML basic string: "…" with \" \\ \n \t escapes, then optionally a comment.
    static func string(_ s: Substring, path: String, line: Int) throws -> String {
        let bad = RosterError.badConfig(path: path, line: line, detail: "the value must be a \"quoted string\" / 值必须是带引号的字符串")
        var it = s.trimmingCharacters(in: .whitespaces)[...]
        guard it.first == "\"" else { throw bad }
        it = it.dropFirst()
        var out = ""
        while let c = it.first {
            it = it.dropFirst()
            switch c {
            case "\"":
                let rest = it.trimmingCharacters(in: .whitespaces)
                guard rest.isEmpty || rest.hasPrefix("#") else { throw bad }
                return out
            case "\\":
                guard let e = it.first else { throw bad }
                it = it.dropFirst()
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: throw bad
                }
            default: out.append(c)
            }
        }
        throw bad
    }
}
