import Courseware
import ExamAssembly
import Foundation

/// One input line of `academy exam take --plain` (the line protocol, see docs/officer-guide.md).
public enum PlainCommand: Equatable, Sendable {
    case answer(ExamSession.Answer)
    case clear
    case next
    case previous
    case go(Int)
    case flag
    case overview
    case show
    case help
    case submit
    case confirm
    case quit
    case empty

    public enum ParseError: Error, Equatable {
        case unknown(String)
        case goNeedsNumber
    }

    /// Parses `line` for a question of `type` with `optionCount` options.
    ///
    /// Commands are lower-case words: `n` `p` `g N` `f` `o` `r` `h`/`?` `s` `yes` `q` `c`.
    /// Answers: option letters (`A`, `AC`, `a c`, full-width `ＡＣ`), `T`/`F`/`对`/`错`/`√`/`×`,
    /// and `= text1 | text2` for blanks. A lower-case `f` is always the flag command; answer the
    /// option F or "false" with an upper-case `F`, `错` or `×`.
    public static func parse(_ raw: String, type: QuestionType, optionCount: Int) -> Result<PlainCommand, ParseError> {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty { return .success(.empty) }
        if line.hasPrefix("=") || line.hasPrefix("＝") {
            let body = String(line.dropFirst())
            let parts = body.split(separator: "|", omittingEmptySubsequences: false)
                .flatMap { $0.split(separator: "｜", omittingEmptySubsequences: false) }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            return .success(.answer(.blanks(parts)))
        }
        switch line {
        case "n", "next": return .success(.next)
        case "p", "prev", "previous": return .success(.previous)
        case "f", "flag": return .success(.flag)
        case "o", "overview": return .success(.overview)
        case "r", "show": return .success(.show)
        case "h", "?", "help": return .success(.help)
        case "s", "submit": return .success(.submit)
        case "yes", "YES", "Yes", "确认": return .success(.confirm)
        case "q", "quit": return .success(.quit)
        case "c", "clear": return .success(.clear)
        case "g": return .failure(.goNeedsNumber)
        default: break
        }
        if line.hasPrefix("g ") || line.hasPrefix("g") && Int(line.dropFirst()) != nil {
            guard let n = Int(line.dropFirst().trimmingCharacters(in: .whitespaces)) else { return .failure(.goNeedsNumber) }
            return .success(.go(n))
        }
        if let n = Int(line) { return .success(.go(n)) }
        if type == .trueFalse {
            switch line.precomposedStringWithCompatibilityMapping.uppercased() {
            case "T", "TRUE", "对", "√", "✓", "Y", "是", "正确": return .success(.answer(.trueFalse(true)))
            case "F", "FALSE", "错", "×", "✗", "X", "N", "否", "错误": return .success(.answer(.trueFalse(false)))
            default: return .failure(.unknown(line))
            }
        }
        if let picks = OptionLabel.parse(line, count: max(optionCount, 1)), optionCount > 0 {
            return .success(.answer(.options(picks)))
        }
        return .failure(.unknown(line))
    }
}
