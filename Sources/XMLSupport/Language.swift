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

    /// `override`, else `ACADEMY_LANG`, then `LC_ALL`, `LC_MESSAGES`, `LANG`: zh* → Chinese,
    /// any other non-empty value → English; nothing set → Chinese.
    public static var current: MessageLanguage {
        if let o = override { return o }
        for name in ["ACADEMY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let raw = getenv(name), let v = String(validatingCString: raw), !v.isEmpty {
                return parse(v) ?? (v.lowercased().hasPrefix("zh") ? .zhHans : .en)
            }
        }
        return .zhHans
    }

    /// Parses `zh`, `zh-Hans`, `zh_CN.UTF-8`, `en`, `en_US` … ; nil when unrecognised.
    public static func parse(_ s: String) -> MessageLanguage? {
        let l = s.lowercased()
        if l.hasPrefix("zh") { return .zhHans }
        if l.hasPrefix("en") || l == "c" || l == "posix" || l.hasPrefix("c.") { return .en }
        return nil
    }

    public static func pick(zh: String, en: String) -> String {
        current == .zhHans ? zh : en
    }
}

typealias L = MessageLanguage
