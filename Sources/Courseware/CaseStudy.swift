/// A typical case (典型案例), positive or negative, set in a fictional place.
public struct CaseStudy: Hashable, Sendable, Codable {
    public enum Polarity: String, Hashable, Sendable, Codable, CaseIterable {
        /// 正面典型
        case positive
        /// 反面典型
        case negative

        public var chineseLabel: String { self == .positive ? "正面典型" : "反面典型" }
    }

    public var id: String
    public var title: String
    public var polarity: Polarity
    /// The setting, always fictional; `fictional` is checked by the schema to be `true`.
    public var setting: String
    public var fictional: Bool
    public var background: [String]
    public var events: [CaseEvent]
    public var findings: [CaseFinding]
    public var lessonsDrawn: [String]
    public var discussion: [String]
    /// Case-analysis questions owned by this case study. They join the pool of any blueprint
    /// whose course includes the case study.
    public var questions: [Question]
    public var location: SourceLocation

    public init(
        id: String, title: String, polarity: Polarity, setting: String, fictional: Bool,
        background: [String], events: [CaseEvent], findings: [CaseFinding],
        lessonsDrawn: [String], discussion: [String], questions: [Question],
        location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.polarity = polarity
        self.setting = setting
        self.fictional = fictional
        self.background = background
        self.events = events
        self.findings = findings
        self.lessonsDrawn = lessonsDrawn
        self.discussion = discussion
        self.questions = questions
        self.location = location
    }
}

public struct CaseEvent: Hashable, Sendable, Codable {
    /// A free-form time label such as 「上午9时」.
    public var time: String?
    public var text: String

    public init(time: String?, text: String) {
        self.time = time
        self.text = text
    }
}

/// One point of the analysis: which provision was kept or broken, and why.
public struct CaseFinding: Hashable, Sendable, Codable {
    public enum Verdict: String, Hashable, Sendable, Codable {
        case kept
        case broken
    }

    public var citation: Citation
    public var verdict: Verdict
    public var text: String

    public init(citation: Citation, verdict: Verdict, text: String) {
        self.citation = citation
        self.verdict = verdict
        self.text = text
    }
}
