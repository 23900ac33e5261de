#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The language of messages produced below the CLI (XML problems, lint diagnostics).
/// Chinese (zh-Hans) unless the environment asks otherwise; the CLI's `--lang` sets `override`.
public enum MessageLanguage: String, Sendable, CaseIterable {
    case zhHans = "zh-Hans"
    case en

    /// Set once by the command line (`--lang`) before any work starts.
    nonisolated(unsafe) public static var override: MessageLanguage?

    /// `override`, else the environment (`fromEnvironment`).
    public static var current: MessageLanguage {
        override ?? fromEnvironment { name in getenv(name).flatMap { String(validatingCString: $0) } }
    }

    /// The users are Chinese: zh-Hans unless `ACADEMY_LANG`, else the locale (`LC_ALL`,
    /// `LC_MESSAGES`, `LANG`, the first that is set) explicitly names another language (`en*`,
    /// `fr_FR` …). A server's `C`, `C.UTF-8` or `POSIX` locale names none, so it gives Chinese.
    public static func fromEnvironment(_ lookup: (String) -> String?) -> MessageLanguage {
        for name in ["ACADEMY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = lookup(name), !v.isEmpty { return locale(v) }
        }
        return .zhHans
    }

    /// The language a locale name asks for: zh* Chinese; C, POSIX and C.* (no language) Chinese;
    /// anything else English.
    public static func locale(_ value: String) -> MessageLanguage {
        let l = value.lowercased()
        if l.hasPrefix("zh") || l == "c" || l == "posix" || l.hasPrefix("c.") || l.hasPrefix("c@") { return .zhHans }
        return .en
    }

    /// A `--lang` value: `zh`, `zh-Hans`, `zh_CN.UTF-8`, `en`, `en_US` … ; nil when unrecognised.
    public static func parse(_ s: String) -> MessageLanguage? {
        let l = s.lowercased()
        if l.hasPrefix("zh") { return .zhHans }
        if l.hasPrefix("en") { return .en }
        return nil
    }

    public static func pick(zh: String, en: String) -> String {
        current == .zhHans ? zh : en
    }
}

typealias L = MessageLanguage
