import Courseware
import Localization
import XMLSupport

/// One problem or note about the source of an import, located as `file:row` (spreadsheets) or
/// `file:line` (text, Word, Moodle XML), with the column or field it concerns.
public struct ImportIssue: Hashable, Sendable, CustomStringConvertible, LocalizedText {
    public enum Kind: String, Hashable, Sendable {
        /// The row or block is wrong: nothing is written while any error remains.
        case error
        /// A question of a type the bank cannot hold, listed so it is never dropped silently.
        case skipped
        /// Imported, but the trainer should look (e.g. a provision that did not match).
        case warning
    }

    public var kind: Kind
    public var file: String
    /// Spreadsheet row number (Excel's numbering, or the CSV line) or text/XML line.
    public var line: Int
    /// The column header or field name (`答案`, `选项C`, `<fraction>`); nil for the whole row.
    public var field: String?
    public var zh: String
    public var en: String

    public init(_ kind: Kind, file: String, line: Int, field: String? = nil, zh: String, en: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.zh = zh
        self.en = en
    }

    public var message: BilingualText { BilingualText(zh: zh, en: en) }

    /// `file:line: [field: ]kind: message` in `language`.
    public func text(in language: Language) -> String {
        let kindText: String =
            switch kind {
            case .error: language.pick(zh: "错误", en: "error")
            case .skipped: language.pick(zh: "跳过", en: "skipped")
            case .warning: language.pick(zh: "警告", en: "warning")
            }
        let f = field.map { language.pick(zh: "列“\($0)”", en: "column \($0)") + ": " } ?? ""
        return "\(file):\(line): \(f)\(kindText): \(message.text(in: language))"
    }

    /// The Chinese form (logs, tests).
    public var description: String { text(in: .zhHans) }
}

/// A question read from a foreign format, before it gets an id, topic and citations.
public struct ImportedQuestion: Hashable, Sendable {
    public var body: QuestionBody
    public var explanation: String
    /// 1…3 when the source gave a difficulty.
    public var difficulty: Int?
    /// An id the source carried (a 编号 column, Moodle's question name), used when it is valid.
    public var sourceID: String?
    /// 知识点/条款 labels: provision ids or titles, matched against `--provisions`.
    public var provisionLabels: [String]
    /// A topic named by the source (知识点 that is not a provision, Moodle category).
    public var topic: String?
    /// Where the question starts in the source.
    public var file: String
    public var line: Int

    public init(
        body: QuestionBody, explanation: String, difficulty: Int? = nil, sourceID: String? = nil,
        provisionLabels: [String] = [], topic: String? = nil, file: String, line: Int
    ) {
        self.body = body
        self.explanation = explanation
        self.difficulty = difficulty
        self.sourceID = sourceID
        self.provisionLabels = provisionLabels
        self.topic = topic
        self.file = file
        self.line = line
    }
}

/// What an importer read: the questions, and every error, skip and warning, in source order.
public struct ImportReport: Sendable {
    public var questions: [ImportedQuestion] = []
    public var issues: [ImportIssue] = []

    public init(questions: [ImportedQuestion] = [], issues: [ImportIssue] = []) {
        self.questions = questions
        self.issues = issues
    }

    public var errors: [ImportIssue] { issues.filter { $0.kind == .error } }
    public var hasErrors: Bool { issues.contains { $0.kind == .error } }
}

/// A failure that stops an import before any row is read (unreadable file, broken archive, …).
public struct ImportFailure: Error, CustomStringConvertible, LocalizedText, Sendable {
    public var file: String
    public var line: Int?
    public var zh: String
    public var en: String

    public init(file: String, line: Int? = nil, zh: String, en: String) {
        self.file = file
        self.line = line
        self.zh = zh
        self.en = en
    }

    public func text(in language: Language) -> String {
        let at = line.map { "\(file):\($0)" } ?? file
        return "\(at): " + language.pick(zh: "错误：" + zh, en: "error: " + en)
    }

    /// The Chinese form (logs, tests).
    public var description: String { text(in: .zhHans) }
}

/// A location that imported values carry until the bank is written (the writer assigns none).
let importLocation = SourceLocation(file: "", line: 0, column: 0)
