import Courseware

/// One question as one officer met it, taken from the grade report in force, as stored (choice
/// answers are original option indices; nothing is re-shuffled or re-graded).
public struct ItemObservation: Hashable, Sendable, Codable {
    /// The number on the paper (case parts numbered individually): the reliability "item".
    public var slot: Int
    public var questionID: String
    public var score: Double
    public var points: Double
    /// For choice questions, the options chosen (original indices); nil otherwise.
    public var chosen: [Int]?

    public init(slot: Int, questionID: String, score: Double, points: Double, chosen: [Int]? = nil) {
        self.slot = slot
        self.questionID = questionID
        self.score = score
        self.points = points
        self.chosen = chosen
    }
}

/// The attempt that counts for one officer.
public struct AttemptObservation: Hashable, Sendable, Codable {
    public var person: String
    public var items: [ItemObservation]

    public init(person: String, items: [ItemObservation]) {
        self.person = person
        self.items = items
    }

    public var total: Double { items.reduce(0) { $0 + $1.score } }
    public var maxTotal: Double { items.reduce(0) { $0 + $1.points } }
}

/// What the analysis needs to know about a question from the content.
public struct ItemKey: Hashable, Sendable, Codable {
    public var questionID: String
    public var type: QuestionType
    public var stem: String
    /// Choice questions: option texts in original order and the keyed (correct) indices.
    public var options: [String]
    public var correct: [Int]
    public var provisionIDs: [String]

    public init(questionID: String, type: QuestionType, stem: String, options: [String], correct: [Int], provisionIDs: [String]) {
        self.questionID = questionID
        self.type = type
        self.stem = stem
        self.options = options
        self.correct = correct
        self.provisionIDs = provisionIDs
    }

    /// Keys for every question and case part in a content set.
    public static func keys(_ questions: [Question]) -> [String: ItemKey] {
        var out: [String: ItemKey] = [:]
        func add(_ q: Question) {
            switch q.body {
            case .singleChoice(let c), .multipleChoice(let c):
                out[q.id] = ItemKey(
                    questionID: q.id, type: q.type, stem: c.stem, options: c.options.map(\.text), correct: c.correctIndices,
                    provisionIDs: q.citations.map(\.provisionID))
            case .trueFalse(let t):
                out[q.id] = ItemKey(
                    questionID: q.id, type: q.type, stem: t.stem, options: [], correct: [], provisionIDs: q.citations.map(\.provisionID))
            case .fillIn(let f):
                out[q.id] = ItemKey(
                    questionID: q.id, type: q.type, stem: f.displayStem, options: [], correct: [],
                    provisionIDs: q.citations.map(\.provisionID))
            case .caseAnalysis(let c):
                for p in c.parts {
                    add(p)
                    // A part without its own citation tests its case's provisions.
                    if out[p.id]?.provisionIDs.isEmpty ?? false { out[p.id]?.provisionIDs = q.citations.map(\.provisionID) }
                }
            }
        }
        for q in questions { add(q) }
        return out
    }
}

public struct OptionCount: Hashable, Sendable, Codable {
    public var option: Int
    public var letter: String
    public var text: String
    public var keyed: Bool
    public var all: Int
    public var upper: Int
    public var lower: Int
}

public struct ItemFlag: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case negativeDiscrimination = "negative-discrimination"
        case tooEasy = "too-easy"
        case tooHard = "too-hard"
        case unusedDistractor = "unused-distractor"
        case distractorFavoursUpper = "distractor-favours-upper"
    }

    public var kind: Kind
    public var zh: String
    public var en: String
}

public struct ItemStatistics: Hashable, Sendable, Codable {
    public var questionID: String
    public var type: QuestionType
    public var stem: String
    public var provisionIDs: [String]
    public var n: Int
    /// n < the reliability threshold (30): the figures are shown but should not be trusted.
    public var unreliable: Bool
    public var facility: Double
    /// Pearson correlation of the item score with the rest of the paper; nil when either is constant.
    public var pointBiserial: Double?
    /// Facility in the upper 27% minus facility in the lower 27%; nil when a group never met it.
    public var discriminationIndex: Double?
    public var upperN: Int
    public var lowerN: Int
    public var unanswered: Int
    public var options: [OptionCount]
    public var flags: [ItemFlag]
}

public struct ProvisionFacility: Hashable, Sendable, Codable {
    public var provisionID: String
    public var title: String
    public var items: Int
    public var responses: Int
    /// The mean of the facilities of the questions citing it.
    public var meanFacility: Double
}

public struct Reliability: Hashable, Sendable, Codable {
    /// "KR-20" when every paper position is scored right/wrong, else "Cronbach's alpha".
    public var method: String
    public var value: Double?
    /// Paper positions (slots) used as items, as Moodle does for papers with random questions.
    public var items: Int
    public var n: Int
}

public struct HistogramBin: Hashable, Sendable, Codable {
    /// Percent of the maximum: [from, to) — the last bin includes 100.
    public var from: Int
    public var to: Int
    public var count: Int
}

public struct ItemAnalysisReport: Hashable, Sendable, Codable {
    public var n: Int
    public var minimumReliableN: Int
    public var unreliable: Bool
    public var meanPercent: Double
    public var reliability: Reliability
    public var histogram: [HistogramBin]
    public var items: [ItemStatistics]
    public var provisions: [ProvisionFacility]
}
