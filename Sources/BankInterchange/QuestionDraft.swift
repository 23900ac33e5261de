import Courseware
import Foundation

/// The fields of one question as the spreadsheet and text formats give them, all as text.
/// `resolve` reads the answer spellings and checks the whole row, naming each bad field.
struct QuestionDraft {
    enum Kind: String {
        case single, multiple, trueFalse, fillIn
    }

    var kind: Kind
    var stem = ""
    var options: [String] = []
    var answer = ""
    var explanation = ""
    var difficulty = ""
    var sourceID = ""
    var provisionLabels: [String] = []
    var topic = ""
    /// nil: the importer's default (shuffle).
    var shuffle: Bool? = nil
    var file: String
    var line: Int

    /// Field names used in messages (the spreadsheet's column headers, or the text format's labels).
    struct FieldNames {
        var stem = "题干"
        var answer = "答案"
        var explanation = "解析"
        var difficulty = "难度"
        var option: (Int) -> String = { "选项" + String(AnswerSpelling.letters[$0]) }
    }

    /// Sorts a 题型 cell: a bank type, a type to skip (listed), or nil (not a question type).
    enum TypeName {
        case kind(Kind)
        case unsupported(String)
    }

    static func typeName(_ raw: String) -> TypeName? {
        let t = AnswerSpelling.halfWidth(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            .trimmingCharacters(in: CharacterSet(charactersIn: "【】[]()（）"))
        switch t {
        case "单选题", "单选", "单项选择题", "单项选择", "单选择题": return .kind(.single)
        case "多选题", "多选", "多项选择题", "多项选择", "不定项选择题", "不定项": return .kind(.multiple)
        case "判断题", "判断", "是非题", "对错题": return .kind(.trueFalse)
        case "填空题", "填空": return .kind(.fillIn)
        case "简答题", "简答", "论述题", "论述", "问答题", "问答", "案例分析题", "案例题", "材料分析题", "计算题", "名词解释",
            "主观题", "综合题", "匹配题", "排序题", "组合题", "阅读理解":
            return .unsupported(t)
        default: return nil
        }
    }

    /// The largest text accepted in one field: a question is read aloud in a hall, not a book.
    static let maxFieldCharacters = 4000

    /// Reads the answer and checks the fields. Errors name the field; nothing is guessed.
    func resolve(_ names: FieldNames = FieldNames()) -> (ImportedQuestion?, [ImportIssue]) {
        var issues: [ImportIssue] = []
        func fail(_ field: String?, _ p: AnswerSpelling.Problem) {
            issues.append(ImportIssue(.error, file: file, line: line, field: field, zh: p.zh, en: p.en))
        }
        func fail(_ field: String?, zh: String, en: String) { fail(field, AnswerSpelling.Problem(zh: zh, en: en)) }
        let stem = Self.clean(self.stem)
        let explanation = Self.clean(self.explanation)
        var sized: [(String, String)] = [(names.stem, stem), (names.explanation, explanation), (names.answer, answer)]
        for (i, o) in options.enumerated() { sized.append((names.option(i), o)) }
        for (field, text) in sized where text.count > Self.maxFieldCharacters {
            fail(
                field, zh: "内容有 \(text.count) 个字符，超过上限 \(Self.maxFieldCharacters)",
                en: "the text is \(text.count) characters long, more than the limit of \(Self.maxFieldCharacters)")
        }
        if !issues.isEmpty { return (nil, issues) }
        if stem.isEmpty { fail(names.stem, zh: "题干是空的", en: "the stem is empty") }
        if explanation.isEmpty {
            fail(
                names.explanation, zh: "缺少解析；题库要求每道题都有解析（考后向考生展示）",
                en: "the explanation is missing; the bank requires one for every question (officers see it after grading)")
        }
        var difficulty: Int? = nil
        switch AnswerSpelling.difficulty(self.difficulty) {
        case .success(let d): difficulty = d
        case .failure(let p): fail(names.difficulty, p)
        }
        var body: QuestionBody? = nil
        switch kind {
        case .single, .multiple:
            let opts = options.map(Self.clean)
            let last = opts.lastIndex { !$0.isEmpty } ?? -1
            let used = Array(opts[0..<(last + 1)])
            if let gap = used.firstIndex(where: \.isEmpty) {
                fail(
                    names.option(gap), zh: "选项是空的，但后面还有选项；选项必须从 A 起连续填写",
                    en: "this option is empty but later ones are not; fill options from A without gaps")
            } else if used.count < 2 {
                fail(names.option(used.count), zh: "选择题至少需要 2 个选项", en: "a choice question needs at least 2 options")
            }
            switch AnswerSpelling.choice(answer, optionCount: used.count, multiple: kind == .multiple) {
            case .failure(let p): fail(names.answer, p)
            case .success(let picked):
                if kind == .multiple && picked.count < 2 {
                    fail(
                        names.answer,
                        zh: "多选题至少要有 2 个正确选项（只有一个正确答案请写成 单选题）",
                        en: "a multiple-choice question needs at least 2 correct options (use 单选题 for one correct answer)")
                }
                if picked.count == used.count && used.count > 0 {
                    fail(
                        names.answer, zh: "所有选项都是正确答案，没有干扰项",
                        en: "every option is marked correct; there is no wrong option")
                }
                if issues.isEmpty {
                    let options = used.enumerated().map { i, text in
                        ChoiceOption(
                            text: text, correct: picked.contains(i),
                            fixed: ChoiceOption.refersToOtherOptions(text), location: importLocation)
                    }
                    let c = ChoiceQuestion(stem: stem, options: options, shuffle: shuffle ?? true)
                    body = kind == .single ? .singleChoice(c) : .multipleChoice(c)
                }
            }
        case .trueFalse:
            switch AnswerSpelling.trueFalse(answer, options: options.map(Self.clean)) {
            case .failure(let p): fail(names.answer, p)
            case .success(let b): body = .trueFalse(TrueFalseQuestion(stem: stem, answer: b))
            }
        case .fillIn:
            let parts = AnswerSpelling.fillInStem(stem)
            let blanks = parts.filter { if case .blank = $0 { true } else { false } }.count
            if blanks == 0 {
                fail(
                    names.stem, zh: "填空题的题干中没有空位；用（  ）或 ____ 标出每个空",
                    en: "the fill-in stem has no blank; mark each blank with （  ） or ____")
            } else if blanks > 10 {
                fail(names.stem, zh: "题干有 \(blanks) 个空，最多 10 个", en: "the stem has \(blanks) blanks; at most 10")
            } else {
                switch AnswerSpelling.fillIn(answer, blanks: blanks) {
                case .failure(let p): fail(names.answer, p)
                case .success(let accepted):
                    body = .fillIn(
                        FillInQuestion(
                            stem: parts, blanks: accepted.map { Blank(accepted: $0, location: importLocation) }))
                }
            }
        }
        guard issues.isEmpty, let body else { return (nil, issues) }
        let q = ImportedQuestion(
            body: body, explanation: explanation, difficulty: difficulty,
            sourceID: sourceID.isEmpty ? nil : sourceID.trimmingCharacters(in: .whitespaces),
            provisionLabels: provisionLabels, topic: topic.isEmpty ? nil : topic, file: file, line: line)
        return (q, [])
    }

    /// Trims, collapses runs of whitespace (line breaks in a cell included) to one space, and
    /// drops characters XML cannot carry.
    static func clean(_ s: String) -> String {
        var out = ""
        var pendingSpace = false
        for u in s.unicodeScalars {
            if u.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            guard u.value >= 0x20, u.value != 0xFFFE, u.value != 0xFFFF, !(0xD800...0xDFFF).contains(u.value) else {
                continue
            }
            if pendingSpace { out.unicodeScalars.append(" ") }
            pendingSpace = false
            out.unicodeScalars.append(u)
        }
        return out
    }

    /// Splits a 知识点/条款 cell into labels (、，,；; and line breaks).
    static func labels(_ cell: String) -> [String] {
        cell.split(whereSeparator: { "、，,；;\n\r".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
