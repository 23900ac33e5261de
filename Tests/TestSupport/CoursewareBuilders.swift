import Courseware

/// Small builders for Courseware values in tests. Locations point at a fake file, with the line
/// number derived from a counter so diagnostics stay distinguishable.
public enum Build {
    public static func loc(_ line: Int = 1, file: String = "test.xml") -> SourceLocation {
        SourceLocation(file: file, line: line, column: 1)
    }

    public static func option(_ text: String, correct: Bool = false, fixed: Bool = false) -> ChoiceOption {
        ChoiceOption(text: text, correct: correct, fixed: fixed, location: loc())
    }

    public static func single(
        _ id: String, topic: String = "t", difficulty: Int = 2, correct: Int = 0,
        options: Int = 4, fixedLast: Bool = false, shuffle: Bool = true,
        provisions: [String] = ["p1"], explanation: String = "because"
    ) -> Question {
        let opts = (0..<options).map {
            option("\(id)-opt\($0)", correct: $0 == correct, fixed: fixedLast && $0 == options - 1)
        }
        return Question(
            id: id, topic: topic, difficulty: difficulty, citations: provisions.map { cite($0) },
            explanation: explanation,
            body: .singleChoice(ChoiceQuestion(stem: "\(id) stem", options: opts, shuffle: shuffle)),
            location: loc())
    }

    public static func multiple(
        _ id: String, topic: String = "t", difficulty: Int = 2, correct: [Int] = [0, 1],
        options: Int = 4, fixedLast: Bool = false, shuffle: Bool = true,
        provisions: [String] = ["p1"], explanation: String = "because"
    ) -> Question {
        let opts = (0..<options).map {
            option("\(id)-opt\($0)", correct: correct.contains($0), fixed: fixedLast && $0 == options - 1)
        }
        return Question(
            id: id, topic: topic, difficulty: difficulty, citations: provisions.map { cite($0) },
            explanation: explanation,
            body: .multipleChoice(ChoiceQuestion(stem: "\(id) stem", options: opts, shuffle: shuffle)),
            location: loc())
    }

    public static func trueFalse(
        _ id: String, answer: Bool = true, topic: String = "t", difficulty: Int = 2,
        provisions: [String] = ["p1"], weight: Double = 1
    ) -> Question {
        Question(
            id: id, topic: topic, difficulty: difficulty, citations: provisions.map { cite($0) },
            explanation: "\(id) explained", body: .trueFalse(TrueFalseQuestion(stem: "\(id) stem", answer: answer)),
            weight: weight, location: loc())
    }

    public static func fillIn(
        _ id: String, blanks: [[String]], topic: String = "t", difficulty: Int = 2,
        provisions: [String] = ["p1"]
    ) -> Question {
        var stem: [FillInQuestion.StemPart] = [.text("\(id) stem ")]
        for i in blanks.indices { stem.append(.blank(i)); stem.append(.text("。")) }
        return Question(
            id: id, topic: topic, difficulty: difficulty, citations: provisions.map { cite($0) },
            explanation: "\(id) explained",
            body: .fillIn(FillInQuestion(stem: stem, blanks: blanks.map { Blank(accepted: $0, location: loc()) })),
            location: loc())
    }

    public static func caseAnalysis(
        _ id: String, parts: [Question], topic: String = "case", difficulty: Int = 2,
        provisions: [String] = ["p1"]
    ) -> Question {
        Question(
            id: id, topic: topic, difficulty: difficulty, citations: provisions.map { cite($0) },
            explanation: "\(id) explained",
            body: .caseAnalysis(CaseAnalysisQuestion(scenario: ["\(id) scenario"], parts: parts)),
            location: loc())
    }

    public static func cite(_ id: String) -> Citation { Citation(provisionID: id, location: loc()) }

    public static func rule(
        _ count: Int, _ type: QuestionType? = nil, topic: String? = nil, difficulty: Int? = nil,
        points: Double = 1, line: Int = 1
    ) -> DrawRule {
        DrawRule(
            count: count, type: type, topic: topic, difficulty: difficulty, points: points, location: loc(line, file: "bp.xml"))
    }

    public static func section(_ id: String, _ draws: [DrawRule]) -> BlueprintSection {
        BlueprintSection(id: id, title: "\(id) title", draws: draws, location: loc(file: "bp.xml"))
    }

    public static func blueprint(
        _ sections: [BlueprintSection], id: String = "bp", version: Int = 1,
        pass: Double? = nil, target: Double? = nil,
        multipleChoice: ExamBlueprint.MultipleChoicePolicy = .allOrNothing,
        review: ExamBlueprint.ReviewPolicy = .immediately, bankIDs: [String] = ["bank"],
        courseID: String = "course", minutes: Int = 60, maxAttempts: Int = 3
    ) -> ExamBlueprint {
        let total = sections.reduce(0) { $0 + $1.points }
        return ExamBlueprint(
            id: id, version: version, title: "\(id) title", courseID: courseID, bankIDs: bankIDs,
            totalPoints: total, passPoints: pass ?? total * 0.6, minutes: minutes,
            maxAttempts: maxAttempts, counting: .highest, multipleChoice: multipleChoice,
            review: review, targetDifficulty: target, sections: sections, location: loc(file: "bp.xml"))
    }

    /// A mixed pool: `n` questions of each non-case type spread over topics a/b/c and difficulties
    /// 1…3, plus `cases` case-analysis questions of 3 parts each.
    public static func mixedPool(n: Int = 30, cases: Int = 4) -> [Question] {
        var pool: [Question] = []
        let topics = ["a", "b", "c"]
        for i in 0..<n {
            let topic = topics[i % 3]
            let d = 1 + (i / 3) % 3
            pool.append(single("s\(i)", topic: topic, difficulty: d, correct: i % 4, options: 4, fixedLast: i % 5 == 0))
            pool.append(multiple("m\(i)", topic: topic, difficulty: d, correct: [0, 2], options: 5))
            pool.append(trueFalse("tf\(i)", answer: i % 2 == 0, topic: topic, difficulty: d))
            pool.append(fillIn("f\(i)", blanks: [["甲\(i)"], ["乙\(i)", "yi\(i)"]], topic: topic, difficulty: d))
        }
        for c in 0..<cases {
            pool.append(
                caseAnalysis(
                    "c\(c)",
                    parts: [
                        single("c\(c).1", difficulty: 2),
                        multiple("c\(c).2", correct: [1, 3]),
                        trueFalse("c\(c).3", weight: 2),
                    ], difficulty: 1 + c % 3))
        }
        return pool
    }
}
