import Courseware
import Foundation
import Localization
import XMLSupport

/// The checks an XSD cannot express, over the whole content set. Every problem is collected.
///
/// Codes — errors: duplicate-id, unknown-provision, unknown-provision-set, unknown-case-study,
/// duplicate-case-study-ref, unknown-course, unknown-bank, single-choice-correct-count,
/// multiple-choice-too-few-correct, multiple-choice-no-wrong-option, blank-without-answer,
/// duplicate-option, section-unfillable, draws-compete, points-total-mismatch, pass-above-total
/// (and, from the mapper, partial-fraction-without-partial); warnings: unfixed-summary-option,
/// no-fresh-paper,
/// case-points-uneven, target-difficulty-unreachable, provision-not-taught,
/// provision-under-tested, fill-in-single-form (and, from the loader, missing-schema-location,
/// schema-location-mismatch). undeclared-provision and fill-in-single-form live in
/// LintDeclaredProvisions.swift.
struct Linter {
    let content: ContentSet
    let side: SideLocations
    var out: [Diagnostic] = []
    /// Provision id → number of questions (and sub-questions) citing it; filled by checkUniqueIDs.
    var tested: [String: Int] = [:]
    var questionCount: Int { content.banks.reduce(0) { $0 + $1.questions.count } }

    init(content: ContentSet, side: SideLocations) {
        self.content = content
        self.side = side
    }

    mutating func run() -> [Diagnostic] {
        checkUniqueIDs()
        checkReferences()
        var qc = QuestionChecks()
        for cs in content.caseStudies { for q in cs.questions { qc.checkQuestion(q) } }
        out += qc.out
        for bp in content.blueprints { checkBlueprint(bp) }
        checkCoverage()
        out += DeclaredProvisionsCheck(content: content).run()
        return out
    }

    private mutating func error(_ at: SourceLocation, _ code: String, zh: String, en: String) {
        out.append(Diagnostic(.error, at, BilingualText(zh: zh, en: en), code: code))
    }

    private mutating func warning(_ at: SourceLocation, _ code: String, zh: String, en: String) {
        out.append(Diagnostic(.warning, at, BilingualText(zh: zh, en: en), code: code))
    }

    // MARK: ids

    /// Unique ids over everything, and — in the same single pass over the questions — their
    /// citations (must resolve) and coverage counts (`tested`).
    private mutating func checkUniqueIDs() {
        var index: [String: Int] = [:]
        index.reserveCapacity(questionCount * 2 + 256)
        var firsts: [(what: String, at: SourceLocation)] = []
        func register(_ id: String, _ what: String, _ at: SourceLocation) {
            guard !id.isEmpty else { return }
            if let i = index[id] {
                let prior = firsts[i]
                error(
                    at, "duplicate-id",
                    zh: "id “\(id)” 重复：\(prior.at) 的 <\(prior.what)> 已使用（id 在全部内容中必须唯一）",
                    en:
                        "duplicate id \"\(id)\": already used by <\(prior.what)> at \(prior.at) (ids are unique across all content)"
                )
            } else {
                index[id] = firsts.count
                firsts.append((what, at))
            }
        }
        let known = provisionIDs
        func visit(_ q: Question) {
            register(q.id, q.type.rawValue, q.location)
            let cites = q.citations
            for i in cites.indices {
                let id = cites[i].provisionID
                if id == Self.importPlaceholder && !known.contains(id) {
                    out.append(Self.placeholderWarning(q, cites[i].location))
                } else if !id.isEmpty && !known.contains(id) {
                    error(
                        cites[i].location, "unknown-provision",
                        zh: "引用的条款 “\(id)” 不存在（见 provisions 文件中的 id）",
                        en: "cited provision \"\(id)\" does not exist (see the ids in the provisions file)")
                }
                if !cites[..<i].contains(where: { $0.provisionID == id }) { tested[id, default: 0] += 1 }
            }
            if case .caseAnalysis(let c) = q.body { for part in c.parts { visit(part) } }
        }
        for ps in content.provisionSets {
            register(ps.id, "provisions", ps.location)
            for s in ps.sections {
                register(s.id, "section", s.location)
                for p in s.provisions { register(p.id, "provision", p.location) }
            }
        }
        for c in content.courses {
            register(c.id, "course", c.location)
            for m in c.modules {
                register(m.id, "module", m.location)
                for item in m.items { if case .lesson(let l) = item { register(l.id, "lesson", l.location) } }
            }
        }
        for cs in content.caseStudies {
            register(cs.id, "case-study", cs.location)
            for q in cs.questions { visit(q) }
        }
        for b in content.banks {
            register(b.id, "question-bank", b.location)
            for q in b.questions { visit(q) }
        }
        for bp in content.blueprints {
            register(bp.id, "exam-blueprint", bp.location)
            for s in bp.sections { register(s.id, "section", s.location) }
        }
    }

    // MARK: references

    var provisionIDs: Set<String> {
        var ids = Set<String>()
        for ps in content.provisionSets {
            for s in ps.sections {
                ids.insert(s.id)
                for p in s.provisions { ids.insert(p.id) }
            }
        }
        return ids
    }

    private mutating func checkCitations(_ cites: [Citation], known: Set<String>) {
        for c in cites where !c.provisionID.isEmpty && !known.contains(c.provisionID) {
            error(
                c.location, "unknown-provision",
                zh: "引用的条款 “\(c.provisionID)” 不存在（见 provisions 文件中的 id）",
                en: "cited provision \"\(c.provisionID)\" does not exist (see the ids in the provisions file)")
        }
    }

    private mutating func checkReferences() {
        let known = provisionIDs
        for c in content.courses {
            if !c.provisionSetID.isEmpty, content.provisionSet(c.provisionSetID) == nil {
                error(
                    c.location, "unknown-provision-set",
                    zh: "课程的 provisions=\"\(c.provisionSetID)\" 找不到对应的条款清单（<provisions id=…>）",
                    en: "the course's provisions=\"\(c.provisionSetID)\" names no provisions document (<provisions id=…>)")
            }
            var refs = Set<String>()
            for l in c.lessons { checkCitations(l.citations, known: known) }
            for r in c.caseStudyRefs {
                if content.caseStudy(r.caseStudyID) == nil {
                    error(
                        r.location, "unknown-case-study",
                        zh: "引用的案例 “\(r.caseStudyID)” 不存在",
                        en: "referenced case study \"\(r.caseStudyID)\" does not exist")
                }
                if !refs.insert(r.caseStudyID).inserted {
                    error(
                        r.location, "duplicate-case-study-ref",
                        zh: "案例 “\(r.caseStudyID)” 在本课程中被引用了不止一次",
                        en: "case study \"\(r.caseStudyID)\" is included more than once in this course")
                }
            }
        }
        for cs in content.caseStudies { checkCitations(cs.findings.map(\.citation), known: known) }
        for bp in content.blueprints {
            if !bp.courseID.isEmpty, content.course(bp.courseID) == nil {
                error(
                    bp.location, "unknown-course",
                    zh: "组卷方案的 course=\"\(bp.courseID)\" 找不到对应课程",
                    en: "the blueprint's course=\"\(bp.courseID)\" names no course")
            }
            for (ref, at) in side.bankRefs[bp.id] ?? [] where !ref.isEmpty && content.bank(ref) == nil {
                error(at, "unknown-bank", zh: "题库 “\(ref)” 不存在", en: "question bank \"\(ref)\" does not exist")
            }
        }
    }

    // MARK: blueprints

    static func describe(_ d: DrawRule) -> BilingualText {
        var parts: [BilingualText] = []
        if let t = d.type { parts.append(BilingualText(zh: t.chineseLabel + "题", en: t.rawValue)) }
        if let t = d.topic { parts.append(BilingualText(zh: "主题“\(t)”", en: "topic \"\(t)\"")) }
        if let v = d.difficulty { parts.append(BilingualText(zh: "难度 \(v)", en: "difficulty \(v)")) }
        if parts.isEmpty { return BilingualText(zh: "任意题", en: "any question") }
        return BilingualText(zh: parts.map(\.zh).joined(separator: "、"), en: parts.map(\.en).joined(separator: ", "))
    }

    static func format(_ x: Double) -> String {
        x == x.rounded()
            ? String(Int(x)) : String(format: "%.2f", x).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    private mutating func checkBlueprint(_ bp: ExamBlueprint) {
        let scoringAt = side.scoring[bp.id] ?? bp.location
        let sum = bp.sectionPoints
        if abs(sum - bp.totalPoints) > 0.005 {
            error(
                scoringAt, "points-total-mismatch",
                zh: "各部分分值合计 \(Self.format(sum)) 分，与总分 total=\"\(Self.format(bp.totalPoints))\" 不符",
                en: "the sections add up to \(Self.format(sum)) points but total=\"\(Self.format(bp.totalPoints))\"")
        }
        if bp.passPoints > bp.totalPoints + 0.005 {
            error(
                scoringAt, "pass-above-total",
                zh: "及格线 pass=\"\(Self.format(bp.passPoints))\" 高于总分 \(Self.format(bp.totalPoints))",
                en: "the pass mark pass=\"\(Self.format(bp.passPoints))\" is above the total \(Self.format(bp.totalPoints))")
        }
        let pool = content.pool(for: bp)
        let draws = bp.sections.flatMap { s in s.draws.map { (section: s, draw: $0) } }
        guard !draws.isEmpty else { return }
        let candidates = draws.map { d in pool.indices.filter { d.draw.matches(pool[$0]) } }
        // A case-analysis question's points are split among its sub-questions by weight; the
        // shares should come out in whole hundredths, as points are written.
        for (i, d) in draws.enumerated() {
            for qi in candidates[i] {
                guard case .caseAnalysis(let ca) = pool[qi].body, !ca.parts.isEmpty else { continue }
                let total = ca.parts.reduce(0) { $0 + $1.weight }
                guard total > 0 else { continue }
                let uneven = ca.parts.contains { part in
                    let share = d.draw.points * part.weight / total * 100
                    return abs(share - share.rounded()) > 1e-6
                }
                if uneven {
                    let weights = ca.parts.map { Self.format($0.weight) }.joined(separator: ":")
                    warning(
                        d.draw.location, "case-points-uneven",
                        zh:
                            "案例分析题 “\(pool[qi].id)” 在此按 \(Self.format(d.draw.points)) 分计，按小题权重 \(weights) 分配后不是整百分之一分；请选择能被权重整除的分值",
                        en:
                            "case-analysis question \"\(pool[qi].id)\" drawn here for \(Self.format(d.draw.points)) points does not split into whole hundredths by its sub-question weights \(weights); choose points that divide evenly"
                    )
                    break
                }
            }
        }
        // 1. Each draw on its own.
        var alone = true
        for (i, d) in draws.enumerated() where candidates[i].count < d.draw.count {
            alone = false
            error(
                d.draw.location, "section-unfillable",
                zh: "部分“\(d.section.title)”要抽 \(d.draw.count) 道\(Self.describe(d.draw).zh)，题库中只有 \(candidates[i].count) 道符合",
                en:
                    "section \"\(d.section.title)\" draws \(d.draw.count) × \(Self.describe(d.draw).en) but the pool has only \(candidates[i].count) matching"
            )
        }
        guard alone else { return }
        // 2. All draws together: they compete for the same questions.
        var matcher = DrawMatcher(candidates: candidates, poolSize: pool.count)
        var fillable = true
        for (i, d) in draws.enumerated() {
            let got = matcher.fill(draw: i, count: d.draw.count)
            if got < d.draw.count {
                fillable = false
                error(
                    d.draw.location, "draws-compete",
                    zh:
                        "部分“\(d.section.title)”要抽 \(d.draw.count) 道\(Self.describe(d.draw).zh)，但同一方案中前面的抽题已占用了部分符合的题目，只能再抽到 \(got) 道不重复的题",
                    en:
                        "section \"\(d.section.title)\" draws \(d.draw.count) × \(Self.describe(d.draw).en) but earlier draws of this blueprint use up the same questions; only \(got) distinct ones are left"
                )
            }
        }
        guard fillable else { return }
        // 3. The target difficulty must be reachable (±0.2) by some paper.
        if let target = bp.targetDifficulty {
            var lo = 0, hi = 0, n = 0
            for (i, d) in draws.enumerated() {
                let diffs = candidates[i].map { pool[$0].difficulty }.sorted()
                lo += diffs.prefix(d.draw.count).reduce(0, +)
                hi += diffs.suffix(d.draw.count).reduce(0, +)
                n += d.draw.count
            }
            let minMean = Double(lo) / Double(n), maxMean = Double(hi) / Double(n)
            if target < minMean - 0.2 - 1e-9 || target > maxMean + 0.2 + 1e-9 {
                warning(
                    bp.location, "target-difficulty-unreachable",
                    zh:
                        "目标难度 target-difficulty=\"\(Self.format(target))\" 无法达到：从题库抽出的试卷平均难度只能在 \(String(format: "%.2f", minMean)) 到 \(String(format: "%.2f", maxMean)) 之间（允许 ±0.2）",
                    en:
                        "target-difficulty=\"\(Self.format(target))\" cannot be reached: papers drawn from this pool average between \(String(format: "%.2f", minMean)) and \(String(format: "%.2f", maxMean)) (±0.2 allowed)"
                )
            }
        }
        // 4. A fresh paper for every allowed attempt.
        guard bp.maxAttempts > 1 else { return }
        var fresh = DrawMatcher(candidates: candidates, poolSize: pool.count)
        var short: [(Int, Int)] = []
        for (i, d) in draws.enumerated() {
            let want = d.draw.count * bp.maxAttempts
            let got = fresh.fill(draw: i, count: want)
            if got < want { short.append((i, got)) }
        }
        // Every failing draw at once, each with the largest attempts/@max the pool supports.
        let supported = short.isEmpty ? bp.maxAttempts : Self.freshAttemptsSupported(draws.map(\.draw.count), candidates, pool.count, below: bp.maxAttempts)
        for (i, got) in short {
            let d = draws[i]
            warning(
                d.draw.location, "no-fresh-paper",
                zh:
                    "允许考 \(bp.maxAttempts) 次，每次抽 \(d.draw.count) 道\(Self.describe(d.draw).zh)，共需 \(d.draw.count * bp.maxAttempts) 道不重复的题，题库只能提供 \(got) 道；补考会遇到重复题目。题库最多支持 <attempts max=\"\(supported)\"/> 次都抽到新题",
                en:
                    "\(bp.maxAttempts) attempts × \(d.draw.count) × \(Self.describe(d.draw).en) need \(d.draw.count * bp.maxAttempts) distinct questions but the pool gives only \(got); retakes will repeat questions. The pool supports fresh papers for at most <attempts max=\"\(supported)\"/>"
            )
        }
    }

    // MARK: coverage

    private mutating func checkCoverage() {
        var taught = Set<String>()
        for c in content.courses { for l in c.lessons { for cite in l.citations { taught.insert(cite.provisionID) } } }
        for ps in content.provisionSets {
            for p in ps.allProvisions {
                if !taught.contains(p.id) {
                    warning(
                        p.location, "provision-not-taught",
                        zh: "条款 “\(p.id)”（\(p.title)）没有任何课时引用（<cite provision=\"\(p.id)\"/>）",
                        en: "provision \"\(p.id)\" (\(p.title)) is not cited by any lesson (<cite provision=\"\(p.id)\"/>)")
                }
                let n = tested[p.id] ?? 0
                if n < 2 {
                    warning(
                        p.location, "provision-under-tested",
                        zh: "条款 “\(p.id)”（\(p.title)）只有 \(n) 道题考查，至少需要 2 道",
                        en:
                            "provision \"\(p.id)\" (\(p.title)) is tested by \(n) question\(n == 1 ? "" : "s"); at least 2 are needed"
                    )
                }
            }
        }
    }
}

/// Assigns distinct questions to draws (bipartite matching with augmenting paths): a question
/// serves at most one draw, and a draw asks for `count` questions.
extension Linter {
    /// The largest number of attempts (below `limit`) for which every draw gets its count of
    /// distinct questions each time; at least 1.
    static func freshAttemptsSupported(_ counts: [Int], _ candidates: [[Int]], _ poolSize: Int, below limit: Int) -> Int {
        var k = limit - 1
        while k > 1 {
            var m = DrawMatcher(candidates: candidates, poolSize: poolSize)
            if counts.indices.allSatisfy({ m.fill(draw: $0, count: counts[$0] * k) == counts[$0] * k }) { return k }
            k -= 1
        }
        return 1
    }
}

struct DrawMatcher {
    let candidates: [[Int]]
    var owner: [Int]
    var visited: [Int]
    var stamp = 0

    init(candidates: [[Int]], poolSize: Int) {
        self.candidates = candidates
        owner = Array(repeating: -1, count: poolSize)
        visited = Array(repeating: 0, count: poolSize)
    }

    /// Tries to give `draw` `count` more questions; returns how many it got.
    mutating func fill(draw: Int, count: Int) -> Int {
        var got = 0
        // Free questions first (cheap), then augmenting paths.
        for q in candidates[draw] where got < count && owner[q] == -1 {
            owner[q] = draw
            got += 1
        }
        while got < count {
            stamp += 1
            if augment(draw, depth: 0) { got += 1 } else { break }
        }
        return got
    }

    private mutating func augment(_ d: Int, depth: Int) -> Bool {
        if depth > 10_000 { return false }
        for q in candidates[d] where visited[q] != stamp {
            visited[q] = stamp
            let o = owner[q]
            if o == -1 || (o != d && augment(o, depth: depth + 1)) {
                owner[q] = d
                return true
            }
        }
        return false
    }
}

/// Checks that concern one question alone (run while a bank is parsed, and by the linter for
/// case-study questions).
struct QuestionChecks {
    var out: [Diagnostic] = []

    private mutating func error(_ at: SourceLocation, _ code: String, zh: String, en: String) {
        out.append(Diagnostic(.error, at, BilingualText(zh: zh, en: en), code: code))
    }

    static func refersToOtherOptions(_ text: String) -> Bool { ChoiceOption.refersToOtherOptions(text) }

    /// Option texts are compared after whitespace normalisation (the mapper already collapsed
    /// XML whitespace; this also treats the ideographic space U+3000 as a space), byte for byte.
    static func optionKey(_ s: String) -> String {
        guard s.utf8.contains(0xE3), s.unicodeScalars.contains("\u{3000}") else { return s }
        return DocumentMapper.normalize(s.replacingOccurrences(of: "\u{3000}", with: " "))
    }

    mutating func checkQuestion(_ q: Question) {
        switch q.body {
        case .singleChoice(let c):
            let n = c.correctIndices.count
            if n != 1 {
                error(
                    q.location, "single-choice-correct-count",
                    zh: "单选题 “\(q.id)” 必须恰有 1 个正确选项（correct=\"true\"），现有 \(n) 个",
                    en: "single-choice question \"\(q.id)\" must have exactly 1 correct option (correct=\"true\"); it has \(n)")
            }
            checkOptions(q, c)
        case .multipleChoice(let c):
            let n = c.correctIndices.count
            if n < 2 {
                error(
                    q.location, "multiple-choice-too-few-correct",
                    zh: "多选题 “\(q.id)” 至少要有 2 个正确选项，现有 \(n) 个（只有 1 个正确答案的请写成单选题）",
                    en:
                        "multiple-choice question \"\(q.id)\" needs at least 2 correct options; it has \(n) (use single-choice for one answer)"
                )
            }
            if n == c.options.count {
                error(
                    q.location, "multiple-choice-no-wrong-option",
                    zh: "多选题 “\(q.id)” 至少要有 1 个错误选项，现在所有选项都正确",
                    en: "multiple-choice question \"\(q.id)\" needs at least 1 wrong option; every option is correct")
            }
            checkOptions(q, c)
        case .trueFalse:
            break
        case .fillIn(let f):
            for (i, b) in f.blanks.enumerated() where b.accepted.allSatisfy({ $0.isEmpty }) {
                error(
                    b.location, "blank-without-answer",
                    zh: "填空题 “\(q.id)” 的第 \(i + 1) 个空没有可接受的答案（<accept>）",
                    en: "blank \(i + 1) of fill-in question \"\(q.id)\" has no accepted answer (<accept>)")
            }
            checkFillInForms(q, f)
        case .caseAnalysis(let ca):
            for p in ca.parts { checkQuestion(p) }
        }
    }

    mutating func checkOptions(_ q: Question, _ c: ChoiceQuestion) {
        // 以上都对 / 以上都不对 refer to the options above them: shuffled, they lose their sense.
        if c.shuffle {
            for o in c.options where !o.fixed && Self.refersToOtherOptions(o.text) {
                out.append(
                    Diagnostic(
                        .warning, o.location,
                        BilingualText(
                            zh: "选项“\(InputQuote.clip(o.text))”指向其他选项，打乱顺序后会失去意义；请加 fixed=\"true\"（或给题目加 shuffle=\"false\"）",
                            en:
                                "option \"\(InputQuote.clip(o.text))\" refers to the other options and makes no sense once shuffled; add fixed=\"true\" (or shuffle=\"false\" on the question)"
                        ),
                        code: "unfixed-summary-option"))
            }
        }
        // The schema allows 8 options, but a file that breaks the schema is still linted: the
        // first index of each text is kept in a dictionary, so 10,000 options cost 10,000 lookups.
        // Keys are the UTF-8 bytes (String equality would merge canonically equivalent texts).
        var firstIndex: [[UInt8]: Int] = [:]
        firstIndex.reserveCapacity(c.options.count)
        for (i, o) in c.options.enumerated() {
            let key = Array(Self.optionKey(o.text).utf8)
            if firstIndex[key] == nil { firstIndex[key] = i }
            if let j = firstIndex[key], j != i {
                error(
                    o.location, "duplicate-option",
                    zh: "题目 “\(q.id)” 的第 \(i + 1) 个选项与第 \(j + 1) 个重复：“\(InputQuote.clip(o.text))”",
                    en: "option \(i + 1) of question \"\(q.id)\" repeats option \(j + 1): \"\(InputQuote.clip(o.text))\"")
            }
        }
    }

}
