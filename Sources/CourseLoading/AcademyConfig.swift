import Courseware
import Foundation
import Localization

/// The administrator's configuration file: `/etc/academy/academy.conf`, or the file named by
/// `ACADEMY_CONFIG`. It is optional; a missing file is an empty configuration.
///
/// Format: one `key = value` per line; blank lines and lines starting with `#` are ignored.
///
///     db = /var/lib/academy/academy.sqlite   # the database, when neither --db nor ACADEMY_DB is given
///     content = /srv/academy/our-courses     # extra content (repeatable), after the shipped content
///
/// A relative path is taken relative to the file's own directory. Anything else — an unknown
/// key, a line without `=`, an empty value, a second `db` — is an error that names the file and
/// line, and stops every command before it reads or writes anything.
public struct AcademyConfig: Equatable, Sendable {
    public static let defaultPath = "/etc/academy/academy.conf"

    /// The file this configuration was read from (whether or not it exists).
    public var path: String
    public var db: String?
    public var content: [String] = []

    /// The directory whose `content.d/` holds a bureau's own courses: the file's own directory.
    public var directory: String { (path as NSString).deletingLastPathComponent }

    public struct Failure: Error, CustomStringConvertible, LocalizedText, Equatable {
        public var message: BilingualText
        public func text(in language: Language) -> String { message.text(in: language) }
        public var description: String { message.description }
    }

    /// The configuration for this environment: `ACADEMY_CONFIG` if set, else the default path.
    public static func current(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> AcademyConfig {
        let path = environment["ACADEMY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultPath
        return try load(path: path)
    }

    /// Reads `path`; a file that does not exist is an empty configuration.
    public static func load(path: String) throws(Failure) -> AcademyConfig {
        guard FileManager.default.fileExists(atPath: path) else { return AcademyConfig(path: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(
                message: BilingualText(zh: "\(path): 无法读取配置文件", en: "\(path): cannot read the configuration file"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(
                message: BilingualText(zh: "\(path): 配置文件不是 UTF-8 编码", en: "\(path): the configuration file is not UTF-8"))
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a configuration file; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws(Failure) -> AcademyConfig {
        var config = AcademyConfig(path: path)
        for setting in KeyValueLine.parse(text) {
            let at = "\(path):\(setting.number)"
            guard let key = setting.key, let value = setting.value else {
                throw Failure(
                    message: BilingualText(
                        zh: "\(at): 应为 “键 = 值”，实际是 “\(setting.text)”", en: "\(at): expected \"key = value\", found \"\(setting.text)\""))
            }
            guard !value.isEmpty else {
                throw Failure(message: BilingualText(zh: "\(at): \(key) 的值为空", en: "\(at): \(key) has an empty value"))
            }
            let resolved = value.hasPrefix("/") ? value : (config.directory as NSString).appendingPathComponent(value)
            switch key {
            case "db":
                if config.db != nil {
                    throw Failure(message: BilingualText(zh: "\(at): db 只能设置一次", en: "\(at): db is set twice"))
                }
                config.db = value.contains("://") ? value : resolved
            case "content":
                config.content.append(resolved)
            default:
                throw Failure(
                    message: BilingualText(
                        zh: "\(at): 未知的配置项 “\(key)”（可用：db、content）",
                        en: "\(at): unknown key \"\(key)\" (known: db, content)"))
            }
        }
        return config
    }
}
