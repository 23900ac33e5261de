/// The interface language: a value, chosen once at the edge (the command line's `--lang`,
/// `ACADEMY_LANG` or locale; an SSH session's own environment) and passed down to whatever
/// renders text. Nothing in the libraries holds a current language.
public enum Language: String, Sendable, Hashable, CaseIterable, Codable {
    case zhHans = "zh-Hans"
    case en

    /// `zh` in Chinese, `en` in English.
    public func pick(zh: String, en: String) -> String { self == .zhHans ? zh : en }

    /// The users are Chinese: zh-Hans unless `ACADEMY_LANG`, else the locale (`LC_ALL`,
    /// `LC_MESSAGES`, `LANG`, the first that is set and not empty) explicitly names another
    /// language (`en*`, `fr_FR.UTF-8` …). A server's `C`, `C.UTF-8` or `POSIX` locale names none,
    /// so it gives Chinese. A pure function of the environment it is given.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for name in ["ACADEMY_LANG"] + localeVariables {
            if let v = environment[name], !v.isEmpty { return locale(v) }
        }
        return .zhHans
    }

    /// The locale variables, in the order that decides.
    public static let localeVariables = ["LC_ALL", "LC_MESSAGES", "LANG"]

    /// The language a locale name asks for: zh* Chinese; C, POSIX and C.* (no language)
    /// Chinese; anything else English.
    public static func locale(_ value: String) -> Language {
        let l = value.lowercased()
        if l.hasPrefix("zh") || l == "c" || l == "posix" || l.hasPrefix("c.") || l.hasPrefix("c@") { return .zhHans }
        return .en
    }

    /// A `--lang` value: `zh`, `zh-Hans`, `zh_CN.UTF-8`, `en`, `en_US` … ; nil when unrecognised.
    public static func parse(_ s: String) -> Language? {
        let l = s.lowercased()
        if l.hasPrefix("zh") { return .zhHans }
        if l.hasPrefix("en") { return .en }
        return nil
    }
}
