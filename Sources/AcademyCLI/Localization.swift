import TerminalUI
import XMLSupport

/// Chinese (zh-Hans) by default, English on request. The language is chosen once per process:
/// the global `--lang zh-Hans|en` (taken out of the arguments by `AcademyCommand.runMain`),
/// else the environment (`MessageLanguage.fromEnvironment`: Chinese unless `ACADEMY_LANG` or the
/// locale explicitly names another language; `C`/`POSIX` give Chinese).
/// The same choice drives messages produced by the libraries (lint diagnostics, XML errors).
public enum L10n {
    public static var language: MessageLanguage {
        get { MessageLanguage.current }
        set { MessageLanguage.override = newValue }
    }

    public static var isChinese: Bool { language == .zhHans }

    /// The same choice as a value for the screens.
    static var ui: UILanguage { isChinese ? .chinese : .english }

    /// The string for the current language.
    public static func pick(zh: String, en: String) -> String {
        MessageLanguage.pick(zh: zh, en: en)
    }

    /// Removes `--lang X` / `--lang=X` from anywhere in `arguments` (before a `--`) and applies it.
    /// Returns the remaining arguments, or an error message for an unknown language.
    static func extractLanguage(from arguments: [String]) -> (arguments: [String], error: String?) {
        var out: [String] = []
        var i = 0
        var error: String? = nil
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" {
                out += arguments[i...]
                break
            }
            var value: String? = nil
            if a == "--lang" {
                if i + 1 < arguments.count {
                    value = arguments[i + 1]
                    i += 1
                } else {
                    error = "--lang needs a value: zh-Hans | en"
                }
            } else if a.hasPrefix("--lang=") {
                value = String(a.dropFirst("--lang=".count))
            } else {
                out.append(a)
            }
            if let value {
                if let l = MessageLanguage.parse(value) {
                    MessageLanguage.override = l
                } else {
                    error = "unknown --lang \"\(value)\"; use zh-Hans or en / 不支持的语言 “\(value)”，可用 zh-Hans 或 en"
                }
            }
            i += 1
        }
        return (out, error)
    }
}
