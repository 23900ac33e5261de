import ArgumentParser
import Foundation
import Localization

/// The language of one run of `academy`, chosen once at the edge by `AcademyCommand.runMain`:
/// the global `--lang zh-Hans|en` (taken out of the arguments wherever it stands), else the
/// environment (`Language.fromEnvironment`: Chinese unless `ACADEMY_LANG` or the locale
/// explicitly names another language; `C`/`POSIX` give Chinese). `runMain` hands it to the
/// command, which passes it on as a value to whatever renders text (lint diagnostics, XML
/// errors, screens, reports). Nothing holds it in between.
/// The clock is chosen there too (`AcademyClock`), and whatever a command throws is put into
/// words in that language in one place (`CommandFailure`).
protocol LocalizedCommand: ParsableCommand {
    func run(in language: Language, clock: AcademyClock) throws
}

extension LocalizedCommand {
    /// Only for a caller that bypasses `runMain`: the environment's language and clock.
    mutating func run() throws {
        let env = ProcessInfo.processInfo.environment
        let language = Language.fromEnvironment(env)
        do { try run(in: language, clock: try AcademyClock.fromEnvironment(env)) } catch {
            throw CommandFailure.exit(for: error, in: language)
        }
    }
}

enum LanguageOption {
    /// Removes `--lang X` / `--lang=X` from anywhere in `arguments` (before a `--`). Returns the
    /// remaining arguments and the language it names (nil when absent), or an error message for
    /// an unknown language.
    static func extract(from arguments: [String]) -> (arguments: [String], language: Language?, error: String?) {
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

/// ArgumentParser calls `validate()` while it parses, and `validate()` takes no arguments: the
/// one place the language is a task-local, bound by `runMain` around parsing only. Commands get
/// theirs as the `run(in:)` parameter.
enum ParsingLanguage {
    @TaskLocal static var value: Language = .zhHans
}
