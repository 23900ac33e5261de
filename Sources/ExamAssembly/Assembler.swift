import Courseware
import Localization
import SeededRandom

/// Why a paper could not be drawn. Every case names the blueprint section, the rule and where it
/// was written.
public enum AssemblyError: BilingualError, Hashable, Sendable {
    /// Two questions in the pool share an id (lint reports this too).
    case duplicateQuestionID(String, first: SourceLocation, second: SourceLocation)
    /// A draw rule asks for more questions than the pool has left for it.
    case notEnoughQuestions(sectionID: String, rule: Int, location: SourceLocation, needed: Int, available: Int)
    /// The blueprint's difficulty target cannot be met.
    case difficultyUnreachable(
        target: Double, achievableMin: Double, achievableMax: Double,
        closestMean: Double, pinnedRules: [String], location: SourceLocation)

    /// The English form (logs, tests).
    public var description: String { message.en }

    public var message: BilingualText {
        switch self {
        case let .duplicateQuestionID(id, first, second):
            return BilingualText(
                zh: "\(second): 题目编号 \(id) 重复（首次出现于 \(first)）",
                en: "\(second): duplicate question id \(id) (first at \(first))")
        case let .notEnoughQuestions(sectionID, rule, location, needed, available):
            return BilingualText(
                zh: "\(location): 第 \(sectionID) 部分的第 \(rule + 1) 条抽题规则需要 \(needed) 题，题库中只有 \(available) 道符合条件且未被本卷其他规则抽中",
                en: "\(location): section \(sectionID), draw rule \(rule + 1) needs \(needed) questions but only \(available) matching questions are left for it")
        case let .difficultyUnreachable(target, lo, hi, closest, pinned, location):
            let range = "[\(fmt(lo)), \(fmt(hi))]"
            let window = "[\(fmt(target - Assembler.tolerance)), \(fmt(target + Assembler.tolerance))]"
            let reachable = lo <= target + Assembler.tolerance && hi >= target - Assembler.tolerance
            var zh = "\(location): 平行试卷要求平均难度在 \(window) 内（目标 \(fmt(target)) ±\(fmt(Assembler.tolerance))），"
            zh +=
                reachable
                ? "按规则可达范围为 \(range)，但在去重（及避开已做过的题）之后最接近只能达到 \(fmt(closest))"
                : "但该题库按各抽题规则能达到的平均难度范围只有 \(range)"
            if !pinned.isEmpty { zh += "；难度被固定的规则：" + pinned.joined(separator: "；") }
            var en =
                "\(location): parallel forms need a mean difficulty in \(window) (target \(fmt(target)) ±\(fmt(Assembler.tolerance))), "
            en +=
                reachable
                ? "the rules allow \(range) but after keeping questions distinct (and avoiding earlier papers) the closest mean reachable is \(fmt(closest))"
                : "but the bank and the draw rules can only reach a mean difficulty in \(range)"
            if !pinned.isEmpty { en += "; rules with a fixed difficulty: " + pinned.joined(separator: "; ") }
            return BilingualText(zh: zh, en: en)
        }
    }
}

func fmt(_ d: Double) -> String {
    let r = (d * 100).rounded() / 100
    var s = String(r)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

/// Draws papers from one blueprint and pool. Build it once (it precomputes each rule's candidate
/// list and each question's option layout) and call `paper(seed:excluding:)` for every seed.
/// Immutable and `Sendable`: share it across threads freely.
public final class Assembler: Sendable {
    /// Parallel-forms tolerance around `targetDifficulty`.
    public static let tolerance = 0.2

    public let blueprint: ExamBlueprint
    public let pool: [Question]
    public let bankHash: String
    let indexByID: [String: Int]
    let difficulty: [Int]
    let layouts: [OptionLayout?]
    /// Per case-analysis pool question: weights and option layouts of its parts.
    let caseParts: [[PartLayout]?]
    let rules: [Rule]
    /// Rule indices per section, most constrained first.
    let drawOrder: [[Int]]

    struct OptionLayout: Sendable {
        let count: Int
        /// Positions that take part in the shuffle (not fixed); empty when shuffle is off.
        let movable: [Int]
    }

    struct PartLayout: Sendable {
        let id: String
        let share: Double
        let layout: OptionLayout?
    }

    struct Rule: Sendable {
        let section: Int
        let indexInSection: Int
        let count: Int
        let points: Double
        let candidates: [Int]
        let location: SourceLocation
    }

    /// - Parameter bankHash: the pool's `BankHash.hex`, when the caller already has it (the exam's
    ///   content cache stores it); computed here otherwise.
    public init(blueprint: ExamBlueprint, pool: [Question], bankHash knownHash: String? = nil) throws(AssemblyError) {
        self.blueprint = blueprint
        self.pool = pool
        var index: [String: Int] = [:]
        index.reserveCapacity(pool.count)
        for (i, q) in pool.enumerated() {
            if let j = index[q.id] {
                throw .duplicateQuestionID(q.id, first: pool[j].location, second: q.location)
            }
            index[q.id] = i
        }
        indexByID = index
        difficulty = pool.map(\.difficulty)
        layouts = pool.map { Assembler.layout(of: $0) }
        caseParts = pool.map { q in
            guard case .caseAnalysis(let c) = q.body else { return nil }
            let total = c.parts.reduce(0) { $0 + max($1.weight, 0) }
            return c.parts.map { p in
                PartLayout(
                    id: p.id,
                    share: total > 0 ? max(p.weight, 0) / total : 1 / Double(c.parts.count),
                    layout: Assembler.layout(of: p))
            }
        }
        var rules: [Rule] = []
        var order: [[Int]] = []
        for (s, section) in blueprint.sections.enumerated() {
            var inSection: [Int] = []
            for (r, draw) in section.draws.enumerated() {
                let cands = pool.indices.filter { draw.matches(pool[$0]) }
                inSection.append(rules.count)
                rules.append(
                    Rule(
                        section: s, indexInSection: r, count: max(draw.count, 0), points: draw.points,
                        candidates: cands, location: draw.location))
            }
            // Most constrained rule first, so a broad rule does not eat a narrow rule's questions.
            order.append(inSection.sorted { (rules[$0].candidates.count, $0) < (rules[$1].candidates.count, $1) })
        }
        self.rules = rules
        drawOrder = order
        bankHash = knownHash ?? BankHash.hex(of: pool)
    }

    static func layout(of q: Question) -> OptionLayout? {
        switch q.body {
        case .singleChoice(let c), .multipleChoice(let c):
            let movable = c.shuffle ? c.options.indices.filter { !c.options[$0].fixed } : []
            return OptionLayout(count: c.options.count, movable: movable)
        default:
            return nil
        }
    }

    public func question(_ id: String) -> Question? { indexByID[id].map { pool[$0] } }

    /// The paper for `seed`, avoiding `excluded` question ids while the bank allows it.
    public func paper(seed: UInt64, excluding excluded: Set<String> = []) throws(AssemblyError) -> Paper {
        var rng = SplitMix64(seed: seed)
        let n = pool.count
        // 0 free, 1 on this paper, 2 excluded (avoid)
        var state = [UInt8](repeating: 0, count: n)
        for id in excluded { if let i = indexByID[id] { state[i] = 2 } }

        // drawn[k] = (pool index, rule index)
        var drawn: [(q: Int, rule: Int)] = []
        drawn.reserveCapacity(64)
        var scratch: [Int] = []
        var deferred: [Int] = []
        for sectionRules in drawOrder {
            for r in sectionRules {
                let rule = rules[r]
                if rule.count == 0 { continue }
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: rule.candidates)
                deferred.removeAll(keepingCapacity: true)
                var taken = 0
                var i = 0
                let m = scratch.count
                while taken < rule.count && i < m {
                    let j = i + rng.uniform(m - i)
                    scratch.swapAt(i, j)
                    let c = scratch[i]
                    i += 1
                    switch state[c] {
                    case 0:
                        state[c] = 1
                        drawn.append((c, r))
                        taken += 1
                    case 2:
                        deferred.append(c)
                    default:
                        break
                    }
                }
                // Fall back to repeats only when the bank cannot avoid them.
                var d = 0
                while taken < rule.count && d < deferred.count {
                    state[deferred[d]] = 3
                    drawn.append((deferred[d], r))
                    taken += 1
                    d += 1
                }
                if taken < rule.count {
                    throw .notEnoughQuestions(
                        sectionID: blueprint.sections[rule.section].id,
                        rule: rule.indexInSection, location: rule.location,
                        needed: rule.count, available: taken)
                }
            }
        }

        if let target = blueprint.targetDifficulty, !drawn.isEmpty {
            try balance(&drawn, &state, target: target, rng: &rng)
        }

        // Group by section (draw order inside a section is then shuffled).
        var bySection = [[(q: Int, rule: Int)]](repeating: [], count: blueprint.sections.count)
        for d in drawn { bySection[rules[d.rule].section].append(d) }
        var sections: [PaperSection] = []
        sections.reserveCapacity(bySection.count)
        var repeated: [String] = []
        var difficultySum = 0
        for (s, var items) in bySection.enumerated() {
            rng.shuffle(&items)
            var paperItems: [PaperItem] = []
            paperItems.reserveCapacity(items.count)
            for (q, r) in items {
                let question = pool[q]
                difficultySum += difficulty[q]
                if state[q] == 3 { repeated.append(question.id) }
                let points = rules[r].points
                if let parts = caseParts[q] {
                    var paperParts: [PaperPart] = []
                    paperParts.reserveCapacity(parts.count)
                    var given = 0.0
                    for (k, part) in parts.enumerated() {
                        let share = k == parts.count - 1 ? round2(points - given) : round2(points * part.share)
                        given += share
                        paperParts.append(
                            PaperPart(
                                questionID: part.id, points: share,
                                optionOrder: permutation(part.layout, &rng)))
                    }
                    paperItems.append(
                        PaperItem(
                            questionID: question.id, points: points, optionOrder: nil,
                            parts: paperParts))
                } else {
                    paperItems.append(
                        PaperItem(
                            questionID: question.id, points: points,
                            optionOrder: permutation(layouts[q], &rng), parts: nil))
                }
            }
            let section = blueprint.sections[s]
            sections.append(PaperSection(id: section.id, title: section.title, items: paperItems))
        }
        let mean = drawn.isEmpty ? 0 : (Double(difficultySum) / Double(drawn.count) * 10_000).rounded() / 10_000
        return Paper(
            blueprintID: blueprint.id, blueprintVersion: blueprint.version, bankHash: bankHash, seed: seed,
            excludedQuestionIDs: excluded.sorted(), repeatedQuestionIDs: repeated.sorted(),
            meanDifficulty: mean, sections: sections)
    }

    func permutation(_ layout: OptionLayout?, _ rng: inout SplitMix64) -> [Int]? {
        guard let layout else { return nil }
        var perm = Array(0..<layout.count)
        if layout.movable.count > 1 {
            var values = layout.movable
            rng.shuffle(&values)
            for (k, pos) in layout.movable.enumerated() { perm[pos] = values[k] }
        }
        return perm
    }

    /// Swaps drawn questions for other candidates of the same rule until the mean difficulty is
    /// within tolerance. Each swap strictly reduces the distance to the target, so this ends.
    /// Avoided (excluded) questions are used only if the target cannot be reached without them.
    func balance(
        _ drawn: inout [(q: Int, rule: Int)], _ state: inout [UInt8], target: Double,
        rng: inout SplitMix64
    ) throws(AssemblyError) {
        let count = Double(drawn.count)
        var sum = drawn.reduce(0) { $0 + difficulty[$1.q] }
        func off(_ s: Int) -> Double { Double(s) / count - target }
        func ok(_ s: Int) -> Bool { abs(off(s)) <= Assembler.tolerance + 1e-9 }
        if ok(sum) { return }
        for allowAvoided in [false, true] {
            while !ok(sum) {
                var improved = false
                let start = rng.uniform(drawn.count)
                search: for step in 0..<drawn.count {
                    let k = (start + step) % drawn.count
                    let (q, r) = drawn[k]
                    let cands = rules[r].candidates
                    if cands.isEmpty { continue }
                    let offset = rng.uniform(cands.count)
                    for t in 0..<cands.count {
                        let c = cands[(offset + t) % cands.count]
                        let st = state[c]
                        guard st == 0 || (allowAvoided && st == 2) else { continue }
                        let newSum = sum - difficulty[q] + difficulty[c]
                        if abs(off(newSum)) < abs(off(sum)) - 1e-12 {
                            state[q] = state[q] == 3 ? 2 : 0
                            state[c] = st == 2 ? 3 : 1
                            drawn[k].q = c
                            sum = newSum
                            improved = true
                            break search
                        }
                    }
                }
                if !improved { break }
            }
            if ok(sum) { return }
        }
        // Explain: the range each rule can reach on its own, and the rules pinned to one level.
        var lo = 0, hi = 0
        var pinned: [String] = []
        for rule in rules where rule.count > 0 {
            let ds = rule.candidates.map { difficulty[$0] }.sorted()
            let k = min(rule.count, ds.count)
            lo += ds.prefix(k).reduce(0, +)
            hi += ds.suffix(k).reduce(0, +)
            if let f = ds.first, f == ds.last {
                pinned.append(
                    "\(blueprint.sections[rule.section].id)#\(rule.indexInSection + 1) (\(rule.location)) = \(f) × \(rule.count)")
            }
        }
        throw .difficultyUnreachable(
            target: target, achievableMin: Double(lo) / count,
            achievableMax: Double(hi) / count, closestMean: Double(sum) / count,
            pinnedRules: pinned, location: blueprint.location)
    }
}

@inline(__always) func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
