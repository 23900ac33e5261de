import Courseware

/// What `academy exam stats` reports after simulating many papers from one blueprint.
public struct PaperStatistics: Sendable, Hashable {
    public struct Draws: Sendable, Hashable {
        public var questionID: String
        public var type: QuestionType
        public var difficulty: Int
        /// Sections (by id) whose rules can draw this question.
        public var eligible: Bool
        public var count: Int
    }

    public var papers: Int
    /// Every top-level pool question in pool order, with how many papers drew it.
    public var draws: [Draws]
    /// Index = displayed position (A, B, …); value = how often a single-choice key landed there.
    public var singleKeyPositions: [Int]
    /// Same for each correct option of multiple-choice questions (case parts included).
    public var multipleKeyPositions: [Int]
    /// True/false questions drawn whose key is 对 / 错.
    public var trueFalseKeys: (true: Int, false: Int)
    public var meanDifficulty: Double
    public var minDifficulty: Double
    public var maxDifficulty: Double
    /// Paper mean difficulty in 0.1-wide bins starting at 1.0: bin k covers [1.0 + k/10, 1.0 + (k+1)/10).
    public var difficultyHistogram: [Int]
    public var papersWithRepeats: Int

    public var neverDrawn: [Draws] { draws.filter { $0.count == 0 } }

    public static func == (a: PaperStatistics, b: PaperStatistics) -> Bool {
        a.papers == b.papers && a.draws == b.draws && a.singleKeyPositions == b.singleKeyPositions
            && a.multipleKeyPositions == b.multipleKeyPositions && a.trueFalseKeys == b.trueFalseKeys
            && a.difficultyHistogram == b.difficultyHistogram
    }

    public func hash(into h: inout Hasher) { h.combine(papers); h.combine(draws) }

    /// Simulates `papers` papers with seeds `firstSeed ..< firstSeed + papers` and no exclusions.
    public static func simulate(_ assembler: Assembler, papers: Int, firstSeed: UInt64 = 1) throws(AssemblyError)
        -> PaperStatistics
    {
        let pool = assembler.pool
        var counts = [Int](repeating: 0, count: pool.count)
        var eligible = [Bool](repeating: false, count: pool.count)
        for rule in assembler.rules { for c in rule.candidates { eligible[c] = true } }
        let maxOptions = pool.reduce(0) { m, q in
            var m = m
            switch q.body {
            case .singleChoice(let c), .multipleChoice(let c): m = max(m, c.options.count)
            case .caseAnalysis(let ca):
                for p in ca.parts {
                    if case .singleChoice(let c) = p.body { m = max(m, c.options.count) }
                    if case .multipleChoice(let c) = p.body { m = max(m, c.options.count) }
                }
            default: break
            }
            return m
        }
        var single = [Int](repeating: 0, count: maxOptions)
        var multiple = [Int](repeating: 0, count: maxOptions)
        var tf = (true: 0, false: 0)
        var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
        var histogram = [Int](repeating: 0, count: 21)
        var withRepeats = 0

        func tally(_ q: Question, _ order: [Int]?) {
            switch q.body {
            case .singleChoice(let c):
                for (pos, orig) in (order ?? Array(c.options.indices)).enumerated() where c.options[orig].correct {
                    single[pos] += 1
                }
            case .multipleChoice(let c):
                for (pos, orig) in (order ?? Array(c.options.indices)).enumerated() where c.options[orig].correct {
                    multiple[pos] += 1
                }
            case .trueFalse(let t):
                if t.answer { tf.true += 1 } else { tf.false += 1 }
            default: break
            }
        }

        for k in 0..<papers {
            let paper = try assembler.paper(seed: firstSeed &+ UInt64(k))
            if !paper.repeatedQuestionIDs.isEmpty { withRepeats += 1 }
            for section in paper.sections {
                for item in section.items {
                    guard let idx = assembler.indexByID[item.questionID] else { continue }
                    counts[idx] += 1
                    let q = pool[idx]
                    if let parts = item.parts, case .caseAnalysis(let ca) = q.body {
                        for part in parts {
                            if let p = ca.parts.first(where: { $0.id == part.questionID }) { tally(p, part.optionOrder) }
                        }
                    } else {
                        tally(q, item.optionOrder)
                    }
                }
            }
            let m = paper.meanDifficulty
            sum += m
            lo = min(lo, m)
            hi = max(hi, m)
            let bin = min(max(Int(((m - 1.0) * 10 + 1e-9).rounded(.down)), 0), histogram.count - 1)
            histogram[bin] += 1
        }
        let draws = pool.indices.map {
            Draws(
                questionID: pool[$0].id, type: pool[$0].type, difficulty: pool[$0].difficulty,
                eligible: eligible[$0], count: counts[$0])
        }
        return PaperStatistics(
            papers: papers, draws: draws, singleKeyPositions: single, multipleKeyPositions: multiple,
            trueFalseKeys: tf, meanDifficulty: papers > 0 ? sum / Double(papers) : 0,
            minDifficulty: papers > 0 ? lo : 0, maxDifficulty: papers > 0 ? hi : 0,
            difficultyHistogram: histogram, papersWithRepeats: withRepeats)
    }
}
