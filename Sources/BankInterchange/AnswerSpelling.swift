import Foundation
import Courseware

/// The spellings of answers that Chinese exam platforms' templates use, read into values.
/// Every function returns either a value or the reason in both languages.
enum AnswerSpelling {
    struct Problem: Error {
        var zh: String
        var en: String
    }

    static let letters: [Character] = ["A", "B", "C", "D", "E", "F", "G", "H"]

    /// Full-width ASCII (Ａ，１) to half-width, the ideographic space to a space.
    static func halfWidth(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0xFF01 && u.value <= 0xFF5E, let h = Unicode.Scalar(u.value - 0xFEE0) {
                out.append(h)
            } else if u.value == 0x3000 {
                out.append(" ")
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// `ABD`, `A,B,D`, `A、B、D`, `A B D`, full-width letters, lower case → option indices.
    /// An answer that names an option that does not exist is an error.
    static func choice(_ raw: String, optionCount: Int, multiple: Bool) -> Result<[Int], Problem> {
        let text = halfWidth(raw).uppercased()
        var picked: [Int] = []
        for ch in text {
            if ch.isWhitespace || ",、;；/|".contains(ch) { continue }
            guard let i = letters.firstIndex(of: ch) else {
                return .failure(
                    Problem(
                        zh: "答案“\(raw)”中的“\(ch)”不是选项字母（应为 A–H，如 ABD 或 A、B、D）",
                        en: "\"\(ch)\" in the answer \"\(raw)\" is not an option letter (use A–H, e.g. ABD or A,B,D)"))
            }
            guard i < optionCount else {
                return .failure(
                    Problem(
                        zh: "答案“\(raw)”指向选项 \(ch)，但本题只有 \(optionCount) 个选项",
                        en: "the answer \"\(raw)\" names option \(ch), but the question has only \(optionCount) options"))
            }
            if !picked.contains(i) { picked.append(i) }
        }
        if picked.isEmpty {
            return .failure(Problem(zh: "缺少答案", en: "the answer is missing"))
        }
        if !multiple && picked.count > 1 {
            return .failure(
                Problem(
                    zh: "单选题的答案“\(raw)”给出了 \(picked.count) 个选项；多个正确答案请把题型写成 多选题",
                    en: "the single-choice answer \"\(raw)\" names \(picked.count) options; use 多选题 for several correct answers"))
        }
        return .success(picked.sorted())
    }

    static let trueSpellings: Set<String> = ["正确", "对", "√", "✓", "✔", "T", "TRUE", "Y", "YES", "是", "对的"]
    static let falseSpellings: Set<String> = ["错误", "错", "×", "✗", "✘", "X", "F", "FALSE", "N", "NO", "否", "错的"]

    /// 正确/错误, 对/错, √/×, T/F (and true/false, 是/否). A single letter names an option whose
    /// text is one of those spellings (platforms that give 判断题 the options A 正确 / B 错误).
    static func trueFalse(_ raw: String, options: [String] = []) -> Result<Bool, Problem> {
        let t = halfWidth(raw).trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if trueSpellings.contains(t) { return .success(true) }
        if falseSpellings.contains(t) { return .success(false) }
        if t.count == 1, let i = letters.firstIndex(of: Character(t)), i < options.count {
            return trueFalse(options[i])
        }
        return .failure(
            Problem(
                zh: "判断题的答案“\(raw)”无法识别；请写 正确/错误、对/错、√/× 或 T/F",
                en: "the true/false answer \"\(raw)\" is not recognised; write 正确/错误, 对/错, √/× or T/F"))
    }

    /// The stem of a fill-in question split at its blanks: `（ ）`, `( )` (empty or spaces or
    /// underscores inside) or a run of two or more `_`/`＿`.
    static func fillInStem(_ stem: String) -> [FillInQuestion.StemPart] {
        var parts: [FillInQuestion.StemPart] = []
        var text = ""
        var blanks = 0
        let chars = Array(stem)
        var i = 0
        func isFiller(_ c: Character) -> Bool { c == " " || c == "\u{3000}" || c == "_" || c == "＿" }
        while i < chars.count {
            let c = chars[i]
            if c == "（" || c == "(" {
                var j = i + 1
                while j < chars.count && isFiller(chars[j]) { j += 1 }
                if j < chars.count && (chars[j] == "）" || chars[j] == ")") {
                    if !text.isEmpty { parts.append(.text(text)) }
                    text = ""
                    parts.append(.blank(blanks))
                    blanks += 1
                    i = j + 1
                    continue
                }
            }
            if c == "_" || c == "＿" {
                var j = i
                while j < chars.count && (chars[j] == "_" || chars[j] == "＿") { j += 1 }
                if j - i >= 2 {
                    if !text.isEmpty { parts.append(.text(text)) }
                    text = ""
                    parts.append(.blank(blanks))
                    blanks += 1
                    i = j
                    continue
                }
            }
            text.append(c)
            i += 1
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// Fill-in answers: blanks separated by `###`, `；`/`;` or `|` (whichever gives as many parts
    /// as the stem has blanks), alternatives of one blank by `|` (or, with one blank, by any of them).
    static func fillIn(_ raw: String, blanks: Int) -> Result<[[String]], Problem> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        func split(_ s: String, by seps: [String]) -> [String] {
            var pieces = [s]
            for sep in seps { pieces = pieces.flatMap { $0.components(separatedBy: sep) } }
            return pieces.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        func alternatives(_ s: String, _ seps: [String]) -> [String] {
            var seen: [String] = []
            for a in split(s, by: seps) where !a.isEmpty && !seen.contains(a) { seen.append(a) }
            return seen
        }
        if text.isEmpty { return .failure(Problem(zh: "缺少答案", en: "the answer is missing")) }
        if blanks == 1 {
            let alts = alternatives(text, ["###", "；", ";", "|", "｜"])
            return .success([alts])
        }
        for (sep, alt) in [(["###"], ["|", "｜", "；", ";"]), (["；", ";"], ["|", "｜"]), (["|", "｜"], [])] {
            let parts = split(text, by: sep)
            guard parts.count > 1 else { continue }
            if parts.count == blanks {
                let result = parts.map { alternatives($0, alt) }
                if let empty = result.firstIndex(where: \.isEmpty) {
                    return .failure(
                        Problem(zh: "第 \(empty + 1) 个空没有答案", en: "blank \(empty + 1) has no answer"))
                }
                return .success(result)
            }
        }
        return .failure(
            Problem(
                zh: "题干有 \(blanks) 个空，答案“\(raw)”无法分成 \(blanks) 份（各空之间用 ### 或 ； 分隔，同一空的多个答案用 | 分隔）",
                en:
                    "the stem has \(blanks) blanks but the answer \"\(raw)\" does not split into \(blanks) (separate blanks with ### or ；, alternatives of one blank with |)"
            ))
    }

    /// 易/中/难, 简单/中等/困难, 1–3 → 1…3; empty → nil.
    static func difficulty(_ raw: String) -> Result<Int?, Problem> {
        let t = halfWidth(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return .success(nil) }
        switch t {
        case "1", "易", "简单", "容易", "较易", "低", "初级": return .success(1)
        case "2", "中", "中等", "一般", "适中", "中级": return .success(2)
        case "3", "难", "困难", "较难", "高", "高级": return .success(3)
        default:
            return .failure(
                Problem(
                    zh: "难度“\(raw)”无法识别；请写 易/中/难 或 1/2/3",
                    en: "difficulty \"\(raw)\" is not recognised; write 易/中/难 or 1/2/3"))
        }
    }

    static func difficultyLabel(_ d: Int) -> String { d <= 1 ? "易" : d == 2 ? "中" : "难" }
}
