/// The five question types. Raw values are the XML element names.
public enum QuestionType: String, Hashable, Sendable, Codable, CaseIterable {
    case singleChoice = "single-choice"
    case multipleChoice = "multiple-choice"
    case trueFalse = "true-false"
    case fillIn = "fill-in"
    case caseAnalysis = "case-analysis"

    public var chineseLabel: String {
        switch self {
        case .singleChoice: "单选"
        case .multipleChoice: "多选"
        case .trueFalse: "判断"
        case .fillIn: "填空"
        case .caseAnalysis: "案例分析"
        }
    }
}

public struct Question: Hashable, Sendable, Codable {
    public var id: String
    public var topic: String
    /// 1 (easy) … 3 (hard).
    public var difficulty: Int
    public var citations: [Citation]
    /// Shown after grading.
    public var explanation: String
    public var body: QuestionBody
    /// Relative weight of a case-analysis sub-question within its case (default 1).
    public var weight: Double
    public var location: SourceLocation

    public init(
        id: String, topic: String, difficulty: Int, citations: [Citation], explanation: String,
        body: QuestionBody, weight: Double = 1, location: SourceLocation
    ) {
        self.id = id
        self.topic = topic
        self.difficulty = difficulty
        self.citations = citations
        self.explanation = explanation
        self.body = body
        self.weight = weight
        self.location = location
    }

    public var type: QuestionType {
        switch body {
        case .singleChoice: .singleChoice
        case .multipleChoice: .multipleChoice
        case .trueFalse: .trueFalse
        case .fillIn: .fillIn
        case .caseAnalysis: .caseAnalysis
        }
    }

    /// Provisions this question tests, including those of its sub-questions.
    public var allProvisionIDs: Set<String> {
        var ids = Set(citations.map(\.provisionID))
        if case .caseAnalysis(let c) = body {
            for part in c.parts { ids.formUnion(part.allProvisionIDs) }
        }
        return ids
    }
}

public enum QuestionBody: Hashable, Sendable, Codable {
    case singleChoice(ChoiceQuestion)
    case multipleChoice(ChoiceQuestion)
    case trueFalse(TrueFalseQuestion)
    case fillIn(FillInQuestion)
    case caseAnalysis(CaseAnalysisQuestion)
}

public struct ChoiceQuestion: Hashable, Sendable, Codable {
    public var stem: String
    public var options: [ChoiceOption]
    /// When false, options are never shuffled (question-level `shuffle="false"`).
    public var shuffle: Bool

    public init(stem: String, options: [ChoiceOption], shuffle: Bool) {
        self.stem = stem
        self.options = options
        self.shuffle = shuffle
    }

    public var correctIndices: [Int] { options.indices.filter { options[$0].correct } }
}

public struct ChoiceOption: Hashable, Sendable, Codable {
    public var text: String
    public var correct: Bool
    /// A fixed option keeps its position when the others are shuffled (e.g. 以上都对 stays last).
    public var fixed: Bool
    public var location: SourceLocation

    public init(text: String, correct: Bool, fixed: Bool, location: SourceLocation) {
        self.text = text
        self.correct = correct
        self.fixed = fixed
        self.location = location
    }
}

public struct TrueFalseQuestion: Hashable, Sendable, Codable {
    public var stem: String
    public var answer: Bool

    public init(stem: String, answer: Bool) {
        self.stem = stem
        self.answer = answer
    }
}

/// A stem with blanks. The stem is a sequence of text runs and blanks; each blank lists the
/// answers it accepts. The grader normalizes but never guesses beyond that list.
public struct FillInQuestion: Hashable, Sendable, Codable {
    public enum StemPart: Hashable, Sendable, Codable {
        case text(String)
        /// Index into `blanks`.
        case blank(Int)
    }

    public var stem: [StemPart]
    public var blanks: [Blank]

    public init(stem: [StemPart], blanks: [Blank]) {
        self.stem = stem
        self.blanks = blanks
    }

    /// The stem with each blank shown as `（  n  ）`.
    public var displayStem: String {
        stem.map { part in
            switch part {
            case .text(let t): t
            case .blank(let i): "（ \(i + 1) ）"
            }
        }.joined()
    }
}

public struct Blank: Hashable, Sendable, Codable {
    public var accepted: [String]
    public var location: SourceLocation

    public init(accepted: [String], location: SourceLocation) {
        self.accepted = accepted
        self.location = location
    }
}

/// A scenario followed by 2–6 sub-questions of the other four types, always kept together.
public struct CaseAnalysisQuestion: Hashable, Sendable, Codable {
    public var scenario: [String]
    public var parts: [Question]

    public init(scenario: [String], parts: [Question]) {
        self.scenario = scenario
        self.parts = parts
    }
}

public struct QuestionBank: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var questions: [Question]
    public var location: SourceLocation

    public init(id: String, title: String, questions: [Question], location: SourceLocation) {
        self.id = id
        self.title = title
        self.questions = questions
        self.location = location
    }
}

extension ChoiceOption {
    /// Whether an option's text points at the other options (以上都对, 上述说法都不对, all of the
    /// above): shuffled, it loses its sense, so it is kept fixed.
    public static func refersToOtherOptions(_ text: String) -> Bool {
        if text.hasPrefix("以上") || text.hasPrefix("上述") { return true }
        let l = text.lowercased()
        return l.hasPrefix("all of the above") || l.hasPrefix("none of the above") || l.hasPrefix("both ")
    }
}
