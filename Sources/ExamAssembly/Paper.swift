import Foundation

/// One exam paper: which questions, in which order, for how many points, with which option order.
///
/// A paper is a pure function of (blueprint id + version, bank content hash, seed, excluded ids).
/// The attempt stores the whole paper; grading and regrading read it and never re-shuffle.
/// `canonicalJSON()` is stable: sorted keys, no whitespace, so equal papers are equal bytes.
public struct Paper: Codable, Hashable, Sendable {
    /// Bumped if the paper's JSON layout ever changes.
    public var format: Int
    public var blueprintID: String
    public var blueprintVersion: Int
    /// Lower-case hex SHA-256 of the canonical serialization of the blueprint's pool (see
    /// `BankHash`).
    public var bankHash: String
    public var seed: UInt64
    /// Questions the caller asked to avoid (the officer's earlier papers in the cycle), sorted.
    public var excludedQuestionIDs: [String]
    /// Excluded questions that had to be drawn anyway because the bank could not avoid them, sorted.
    public var repeatedQuestionIDs: [String]
    /// Mean difficulty of the top-level questions (a case counts once, with its own difficulty).
    public var meanDifficulty: Double
    public var sections: [PaperSection]

    public init(
        format: Int = 1, blueprintID: String, blueprintVersion: Int, bankHash: String, seed: UInt64,
        excludedQuestionIDs: [String], repeatedQuestionIDs: [String], meanDifficulty: Double,
        sections: [PaperSection]
    ) {
        self.format = format
        self.blueprintID = blueprintID
        self.blueprintVersion = blueprintVersion
        self.bankHash = bankHash
        self.seed = seed
        self.excludedQuestionIDs = excludedQuestionIDs
        self.repeatedQuestionIDs = repeatedQuestionIDs
        self.meanDifficulty = meanDifficulty
        self.sections = sections
    }

    public var totalPoints: Double { sections.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.points } } }

    /// Every top-level question id on the paper, in paper order.
    public var questionIDs: [String] { sections.flatMap { $0.items.map(\.questionID) } }

    /// Every answerable question in paper order: top-level questions, and for a case its parts
    /// in place of the case itself. This is the numbering officers see (第 1 题 … 第 N 题).
    public var slots: [PaperSlot] {
        var out: [PaperSlot] = []
        for (s, section) in sections.enumerated() {
            for (i, item) in section.items.enumerated() {
                if let parts = item.parts {
                    for (p, part) in parts.enumerated() {
                        out.append(
                            PaperSlot(
                                number: out.count + 1, section: s, item: i, part: p,
                                questionID: part.questionID, caseID: item.questionID,
                                points: part.points, optionOrder: part.optionOrder))
                    }
                } else {
                    out.append(
                        PaperSlot(
                            number: out.count + 1, section: s, item: i, part: nil,
                            questionID: item.questionID, caseID: nil,
                            points: item.points, optionOrder: item.optionOrder))
                }
            }
        }
        return out
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// Stable bytes: sorted keys, no whitespace.
    public func canonicalJSON() -> Data {
        // Encoding plain strings, ints and doubles cannot fail.
        (try? Paper.encoder.encode(self)) ?? Data()
    }

    public static func decode(_ data: Data) throws -> Paper {
        try JSONDecoder().decode(Paper.self, from: data)
    }
}

public struct PaperSection: Codable, Hashable, Sendable {
    public var id: String
    public var title: String
    public var items: [PaperItem]

    public init(id: String, title: String, items: [PaperItem]) {
        self.id = id
        self.title = title
        self.items = items
    }
}

public struct PaperItem: Codable, Hashable, Sendable {
    public var questionID: String
    /// Points for the whole item (for a case, the whole case).
    public var points: Double
    /// Displayed position → original option index. Nil for questions without options.
    public var optionOrder: [Int]?
    /// For a case-analysis question: its sub-questions, in the case's own order, with their share
    /// of the points (split by weight).
    public var parts: [PaperPart]?

    public init(questionID: String, points: Double, optionOrder: [Int]?, parts: [PaperPart]?) {
        self.questionID = questionID
        self.points = points
        self.optionOrder = optionOrder
        self.parts = parts
    }
}

public struct PaperPart: Codable, Hashable, Sendable {
    public var questionID: String
    public var points: Double
    public var optionOrder: [Int]?

    public init(questionID: String, points: Double, optionOrder: [Int]?) {
        self.questionID = questionID
        self.points = points
        self.optionOrder = optionOrder
    }
}

/// One answerable position on a paper (1-based `number`).
public struct PaperSlot: Hashable, Sendable {
    public var number: Int
    public var section: Int
    public var item: Int
    /// Index of the part inside its case, or nil for a top-level question.
    public var part: Int?
    public var questionID: String
    /// The owning case's id for a case part.
    public var caseID: String?
    public var points: Double
    public var optionOrder: [Int]?
}

/// Option labels shown to officers: A–H, then I, J… if a question ever had more.
public enum OptionLabel {
    public static func label(_ displayIndex: Int) -> String {
        let scalars = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return displayIndex < scalars.count ? String(scalars[displayIndex]) : "#\(displayIndex + 1)"
    }

    /// Parses "A", "ac", "Ａ" (full-width) into display indices; nil if any character is not a
    /// label below `count`.
    public static func parse(_ text: String, count: Int) -> [Int]? {
        var out: [Int] = []
        for ch in text.precomposedStringWithCompatibilityMapping.uppercased() {
            if ch == " " || ch == "," || ch == "、" { continue }
            guard let a = ch.asciiValue, a >= 65, Int(a - 65) < count else { return nil }
            let i = Int(a - 65)
            if !out.contains(i) { out.append(i) }
        }
        return out.isEmpty ? nil : out.sorted()
    }
}
