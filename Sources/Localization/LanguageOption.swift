/// The global `--lang` option of a command line, which may stand anywhere in it.
public enum LanguageOption {
    /// Removes `--lang X` / `--lang=X` from anywhere in `arguments` (before a `--`). Returns the
    /// remaining arguments and the language it names (nil when absent), or an error message for
    /// an unknown language.
    public static func extract(from arguments: [String]) -> (arguments: [String], language: Language?, error: String?) {
        var out: [String] = []
        var i = 0
        var error: String? = nil
        var language: Language? = nil
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
                if let l = Language.parse(value) {
                    language = l
                } else {
                    error = "unknown --lang \"\(value)\"; use zh-Hans or en / 不支持的语言 “\(value)”，可用 zh-Hans 或 en"
                }
            }
            i += 1
        }
        return (out, language, error)
    }
}
