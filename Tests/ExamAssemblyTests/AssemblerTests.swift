import Courseware
import Foundation
import Localization
import SeededRandom
import TestSupport
import Testing

@testable import ExamAssembly

private func standardBlueprint(target: Double? = nil) -> ExamBlueprint {
    Build.blueprint(
        [
            Build.section("S1", [Build.rule(6, .singleChoice, points: 1), Build.rule(4, .trueFalse, points: 1)]),
            Build.section("S2", [Build.rule(3, .multipleChoice, topic: "a", points: 2), Build.rule(2, .fillIn, points: 2)]),
            Build.section("S3", [Build.rule(2, .caseAnalysis, points: 8)]),
        ], target: target)
}

@Suite struct AssemblerTests {
    @Test func splitMixMatchesReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        var h = SplitMix64(seed: 1234567)
        #expect(h.next() == 0x599E_D017_FB08_FC85)
    }

    @Test func uniformStaysInBounds() {
        var g = SplitMix64(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let v = g.uniform(5)
            #expect((0..<5).contains(v))
            seen.insert(v)
        }
        #expect(seen.count == 5)
    }

    @Test func aBlueprintIsFoundByIDOrRefusedNamingTheKnownOnes() throws {
        let pool = Build.mixedPool()
        let bank = QuestionBank(id: "bank", title: "bank", questions: pool, location: SourceLocation(file: "b.xml", line: 1, column: 1))
        let content = ContentSet(banks: [bank], blueprints: [standardBlueprint()])
        let byID = try Assembler(blueprintID: "bp", in: content)
        #expect(try byID.paper(seed: 5) == Assembler(blueprint: standardBlueprint(), pool: pool).paper(seed: 5))
        #expect(throws: UnknownBlueprint(id: "nope", known: ["bp"])) { try Assembler(blueprintID: "nope", in: content) }
        let none = UnknownBlueprint(id: "x", known: [])
        #expect(none.message == BilingualText(zh: "没有编号为 x 的试卷蓝图（已有：无）", en: "no blueprint with id x (known: none)"))
        #expect(UnknownBlueprint(id: "x", known: ["a", "b"]).message.en == "no blueprint with id x (known: a, b)")
    }

    @Test func samePaperForSameInputsByteForByte() throws {
        let pool = Build.mixedPool()
        let bp = standardBlueprint()
        let a = try Assembler(blueprint: bp, pool: pool)
        let b = try Assembler(blueprint: bp, pool: pool)
        for seed: UInt64 in [0, 1, 42, .max] {
            let p1 = try a.paper(seed: seed, excluding: ["s1", "m2"])
            let p2 = try b.paper(seed: seed, excluding: ["m2", "s1"])
            #expect(p1.canonicalJSON() == p2.canonicalJSON())
            // Round trip through JSON keeps the bytes.
            let decoded = try Paper.decode(p1.canonicalJSON())
            #expect(decoded.canonicalJSON() == p1.canonicalJSON())
            #expect(decoded == p1)
        }
        #expect(try a.paper(seed: 1) != a.paper(seed: 2))
    }

    @Test func canonicalJSONHasSortedKeysAndIdentity() throws {
        let bp = standardBlueprint()
        let p = try Assembler(blueprint: bp, pool: Build.mixedPool()).paper(seed: 99)
        let json = String(decoding: p.canonicalJSON(), as: UTF8.self)
        #expect(json.hasPrefix("{\"bankHash\":\""))
        #expect(json.contains("\"blueprintID\":\"bp\",\"blueprintVersion\":1"))
        #expect(json.contains("\"seed\":99"))
        #expect(p.bankHash.count == 64)
    }

    @Test func eachRuleDrawsMatchingDistinctQuestions() throws {
        let pool = Build.mixedPool()
        let a = try Assembler(blueprint: standardBlueprint(), pool: pool)
        for seed in 0..<200 as Range<UInt64> {
            let p = try a.paper(seed: seed)
            let ids = p.questionIDs
            #expect(Set(ids).count == ids.count)
            #expect(ids.count == 17)
            let s1 = p.sections[0].items.map { a.question($0.questionID)!.type }
            #expect(s1.filter { $0 == .singleChoice }.count == 6)
            #expect(s1.filter { $0 == .trueFalse }.count == 4)
            let s2 = p.sections[1].items.map { a.question($0.questionID)! }
            #expect(s2.filter { $0.type == .multipleChoice && $0.topic == "a" }.count == 3)
            #expect(s2.filter { $0.type == .fillIn }.count == 2)
            #expect(p.sections[1].items.allSatisfy { $0.points == 2 })
            #expect(p.totalPoints == 6 + 4 + 6 + 4 + 16)
        }
    }

    @Test func sectionOrderIsShuffled() throws {
        let a = try Assembler(blueprint: standardBlueprint(), pool: Build.mixedPool())
        // Rule order would put singles before true/false; shuffling mixes them.
        var firstTypes = Set<QuestionType>()
        for seed in 0..<50 as Range<UInt64> {
            firstTypes.insert(a.question(try a.paper(seed: seed).sections[0].items[0].questionID)!.type)
        }
        #expect(firstTypes == [.singleChoice, .trueFalse])
    }

    @Test func optionsShuffledUnlessQuestionSaysNo() throws {
        let pool =
            (0..<10).map { Build.single("q\($0)", options: 4) }
            + (0..<10).map { Build.single("fixed\($0)", options: 4, shuffle: false) }
        let bp = Build.blueprint([Build.section("S", [Build.rule(20)])])
        let a = try Assembler(blueprint: bp, pool: pool)
        var shuffledSomewhere = false
        for seed in 0..<20 as Range<UInt64> {
            for item in try a.paper(seed: seed).sections[0].items {
                let order = try #require(item.optionOrder)
                #expect(order.sorted() == [0, 1, 2, 3])
                if item.questionID.hasPrefix("fixed") {
                    #expect(order == [0, 1, 2, 3])
                } else if order != [0, 1, 2, 3] {
                    shuffledSomewhere = true
                }
            }
        }
        #expect(shuffledSomewhere)
    }

    @Test func fixedOptionKeepsItsPosition() throws {
        let pool = (0..<10).map { Build.multiple("q\($0)", correct: [0, 3], options: 5, fixedLast: true) }
        let a = try Assembler(blueprint: Build.blueprint([Build.section("S", [Build.rule(10)])]), pool: pool)
        var movedOthers = false
        for seed in 0..<30 as Range<UInt64> {
            for item in try a.paper(seed: seed).sections[0].items {
                let order = try #require(item.optionOrder)
                #expect(order[4] == 4)
                if order != [0, 1, 2, 3, 4] { movedOthers = true }
            }
        }
        #expect(movedOthers)
    }

    @Test func nonChoiceQuestionsHaveNoPermutation() throws {
        let pool = [Build.trueFalse("t"), Build.fillIn("f", blanks: [["x"]])]
        let p = try Assembler(blueprint: Build.blueprint([Build.section("S", [Build.rule(2)])]), pool: pool).paper(seed: 3)
        #expect(p.sections[0].items.allSatisfy { $0.optionOrder == nil && $0.parts == nil })
    }

    @Test func caseKeepsPartsTogetherInOrderWithPointsByWeight() throws {
        let parts = [Build.single("c.1"), Build.trueFalse("c.2"), Build.trueFalse("c.3", weight: 2)]
        let pool = [Build.caseAnalysis("c", parts: parts), Build.single("x"), Build.single("y")]
        let bp = Build.blueprint([Build.section("S", [Build.rule(1, .caseAnalysis, points: 10), Build.rule(2, .singleChoice)])])
        let a = try Assembler(blueprint: bp, pool: pool)
        for seed in 0..<20 as Range<UInt64> {
            let p = try a.paper(seed: seed)
            let item = try #require(p.sections[0].items.first { $0.questionID == "c" })
            let ps = try #require(item.parts)
            #expect(ps.map(\.questionID) == ["c.1", "c.2", "c.3"])
            #expect(ps.map(\.points) == [2.5, 2.5, 5])
            #expect(ps[0].optionOrder?.count == 4)
            #expect(item.points == 10)
            // Slots number the parts consecutively.
            let slots = p.slots
            #expect(slots.count == 5)
            let caseSlots = slots.filter { $0.caseID == "c" }
            #expect(caseSlots.map(\.questionID) == ["c.1", "c.2", "c.3"])
            #expect(caseSlots[2].number - caseSlots[0].number == 2)
        }
    }

    @Test func casePointsSplitExactlyWhenThirds() throws {
        let parts = [Build.trueFalse("c.1"), Build.trueFalse("c.2"), Build.trueFalse("c.3")]
        let a = try Assembler(
            blueprint: Build.blueprint([Build.section("S", [Build.rule(1, points: 10)])]),
            pool: [Build.caseAnalysis("c", parts: parts)])
        let ps = try #require(try a.paper(seed: 1).sections[0].items[0].parts)
        #expect(ps.map(\.points) == [3.33, 3.33, 3.34])
    }

    @Test func noRepeatsAcrossAttemptsWhileBankAllows() throws {
        let pool = (0..<30).map { Build.single("q\($0)") }
        let a = try Assembler(blueprint: Build.blueprint([Build.section("S", [Build.rule(10)])]), pool: pool)
        var seen = Set<String>()
        for attempt in 0..<3 {
            let p = try a.paper(seed: UInt64(100 + attempt), excluding: seen)
            #expect(p.repeatedQuestionIDs.isEmpty)
            #expect(Set(p.questionIDs).isDisjoint(with: seen))
            seen.formUnion(p.questionIDs)
        }
        #expect(seen.count == 30)
        // A fourth attempt cannot avoid repeats: it draws them all and says so.
        let p4 = try a.paper(seed: 104, excluding: seen)
        #expect(p4.repeatedQuestionIDs.count == 10)
        #expect(p4.excludedQuestionIDs.count == 30)
    }

    @Test func repeatsOnlyAsManyAsNeeded() throws {
        let pool = (0..<12).map { Build.single("q\($0)") }
        let a = try Assembler(blueprint: Build.blueprint([Build.section("S", [Build.rule(10)])]), pool: pool)
        let first = try a.paper(seed: 1)
        let second = try a.paper(seed: 2, excluding: Set(first.questionIDs))
        #expect(second.repeatedQuestionIDs.count == 8)
        #expect(Set(second.questionIDs).isSuperset(of: Set(pool.map(\.id)).subtracting(first.questionIDs)))
    }

    @Test func notEnoughQuestionsNamesSectionRuleAndLocation() throws {
        let pool = (0..<3).map { Build.single("q\($0)") }
        let bp = Build.blueprint([Build.section("S", [Build.rule(5, .singleChoice, line: 17)])])
        #expect(
            throws: AssemblyError.notEnoughQuestions(
                sectionID: "S", rule: 0, location: Build.loc(17, file: "bp.xml"),
                needed: 5, available: 3)
        ) {
            try Assembler(blueprint: bp, pool: pool).paper(seed: 1)
        }
        let msg = AssemblyError.notEnoughQuestions(
            sectionID: "S", rule: 0, location: Build.loc(17, file: "bp.xml"),
            needed: 5, available: 3
        ).description
        #expect(msg.hasPrefix("bp.xml:17:1: section S, draw rule 1 needs 5"))
    }

    @Test func narrowRuleDrawnBeforeBroadRule() throws {
        // The broad rule could take all topic-x questions; drawing the narrow rule first avoids that.
        let pool = (0..<4).map { Build.single("x\($0)", topic: "x") } + (0..<6).map { Build.single("y\($0)", topic: "y") }
        let bp = Build.blueprint([Build.section("S", [Build.rule(6), Build.rule(4, topic: "x")])])
        let a = try Assembler(blueprint: bp, pool: pool)
        for seed in 0..<100 as Range<UInt64> { #expect(try a.paper(seed: seed).questionIDs.count == 10) }
    }

    @Test func duplicateIDsRejected() {
        #expect(throws: AssemblyError.self) {
            try Assembler(blueprint: Build.blueprint([]), pool: [Build.single("a"), Build.trueFalse("a")])
        }
    }

    @Test func parallelFormsWithinTolerance() throws {
        // A skewed pool: mostly easy, few hard. Unbalanced draws would often miss 2.0 ± 0.2.
        var pool: [Question] = []
        for i in 0..<40 { pool.append(Build.single("e\(i)", difficulty: 1)) }
        for i in 0..<15 { pool.append(Build.single("m\(i)", difficulty: 2)) }
        for i in 0..<15 { pool.append(Build.single("h\(i)", difficulty: 3)) }
        let bp = Build.blueprint([Build.section("S", [Build.rule(20)])], target: 2.0)
        let a = try Assembler(blueprint: bp, pool: pool)
        for seed in 0..<300 as Range<UInt64> {
            let p = try a.paper(seed: seed)
            let mean = p.questionIDs.map { Double(a.question($0)!.difficulty) }.reduce(0, +) / 20
            #expect(abs(mean - 2.0) <= 0.2 + 1e-9)
            #expect(abs(p.meanDifficulty - mean) < 1e-4)
        }
    }

    @Test func impossibleTargetIsExplained() throws {
        let pool = (0..<20).map { Build.single("e\($0)", difficulty: 1) } + (0..<5).map { Build.single("h\($0)", difficulty: 3) }
        let bp = Build.blueprint(
            [Build.section("S", [Build.rule(10, difficulty: 1, line: 8), Build.rule(2, line: 9)])], target: 2.5)
        let a = try Assembler(blueprint: bp, pool: pool)
        do {
            _ = try a.paper(seed: 5)
            Issue.record("expected difficultyUnreachable")
        } catch {
            guard case let .difficultyUnreachable(target, lo, hi, _, pinned, _) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(target == 2.5)
            #expect(abs(lo - 1.0) < 1e-9)
            #expect(abs(hi - 16.0 / 12.0) < 1e-9)
            #expect(pinned.count == 1 && pinned[0].contains("bp.xml:8:1"))
            let en = error.message.en
            #expect(en.contains("[2.3, 2.7]"))
            #expect(en.contains("[1, 1.33]"))
            #expect(error.message.zh.contains("平均难度范围只有 [1, 1.33]"))
        }
    }

    @Test func targetUnreachableBecauseOfDistinctnessIsExplainedAsSuch() throws {
        // Each rule alone could reach 3, but both compete for the same two hard questions.
        let pool =
            [Build.single("h1", difficulty: 3), Build.single("h2", difficulty: 3)]
            + (0..<4).map { Build.single("e\($0)", difficulty: 1) }
        let bp = Build.blueprint([Build.section("S", [Build.rule(2), Build.rule(2)])], target: 3.0)
        do {
            _ = try Assembler(blueprint: bp, pool: pool).paper(seed: 1)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.en.contains("after keeping questions distinct"))
        }
    }

    @Test func bankHashIgnoresLocationsButNotContent() {
        let a = [Build.single("q", correct: 0)]
        var moved = a
        moved[0].location = SourceLocation(file: "other.xml", line: 99, column: 3)
        var changed = a
        if case .singleChoice(var c) = changed[0].body {
            c.options[1].correct = true
            c.options[0].correct = false
            changed[0].body = .singleChoice(c)
        }
        #expect(BankHash.hex(of: a) == BankHash.hex(of: moved))
        #expect(BankHash.hex(of: a) != BankHash.hex(of: changed))
        #expect(BankHash.hex(of: a + [Build.trueFalse("t")]) != BankHash.hex(of: [Build.trueFalse("t")] + a))
    }

    @Test func optionLabelsParse() {
        #expect(OptionLabel.parse("ac", count: 4) == [0, 2])
        #expect(OptionLabel.parse("ＣＡ", count: 4) == [0, 2])
        #expect(OptionLabel.parse("A,B", count: 4) == [0, 1])
        #expect(OptionLabel.parse("E", count: 4) == nil)
        #expect(OptionLabel.parse("", count: 4) == nil)
        #expect(OptionLabel.label(7) == "H")
    }
}

@Suite struct StatisticsTests {
    @Test func statsCountDrawsKeysAndDifficulty() throws {
        let pool = Build.mixedPool(n: 30, cases: 4) + [Build.single("orphan", topic: "zzz")]
        let bp = Build.blueprint([
            Build.section(
                "S",
                [
                    Build.rule(10, .singleChoice, topic: "a"), Build.rule(5, .trueFalse),
                    Build.rule(1, .caseAnalysis, points: 6),
                ])
        ])
        let a = try Assembler(blueprint: bp, pool: pool)
        let stats = try PaperStatistics.simulate(a, papers: 2000)
        #expect(stats.papers == 2000)
        // Every paper draws exactly 10 + 5 + 1 top-level questions.
        #expect(stats.draws.reduce(0) { $0 + $1.count } == 2000 * 16)
        // Topic-a singles: 10 of them, each drawn on every paper.
        let topicA = Set(pool.filter { $0.type == .singleChoice && $0.topic == "a" }.map(\.id))
        let aSingles = stats.draws.filter { topicA.contains($0.questionID) }
        #expect(aSingles.count == 10 && aSingles.allSatisfy { $0.count == 2000 })
        // Never drawn: the other singles, multiples, fill-ins and the orphan.
        #expect(stats.neverDrawn.contains { $0.questionID == "orphan" && !$0.eligible })
        #expect(!stats.neverDrawn.contains { $0.type == .trueFalse })
        // Single keys (10 per paper + 1 case part) spread over A–D, each near a quarter.
        let total = stats.singleKeyPositions.reduce(0, +)
        #expect(total == 2000 * 11)
        for c in stats.singleKeyPositions.prefix(4) { #expect(abs(Double(c) / Double(total) - 0.25) < 0.05) }
        #expect(stats.trueFalseKeys.true + stats.trueFalseKeys.false == 2000 * 6)
        #expect(stats.minDifficulty >= 1 && stats.maxDifficulty <= 3 && stats.minDifficulty <= stats.meanDifficulty)
        #expect(stats.difficultyHistogram.reduce(0, +) == 2000)
        #expect(stats.papersWithRepeats == 0)
        #expect(try PaperStatistics.simulate(a, papers: 50) == PaperStatistics.simulate(a, papers: 50))
    }
}

@Suite struct QuestionCodecTests {
    @Test func roundTripsEveryQuestionKind() {
        var pool = Build.mixedPool(n: 9, cases: 3)
        pool[0].location = SourceLocation(file: "银行/题库.xml", line: 12, column: 5)
        pool[1].weight = 2.5
        let bytes = QuestionCodec.encode(pool)
        #expect(QuestionCodec.decode(bytes) == pool)
        #expect(QuestionCodec.decode(QuestionCodec.encode([])) == [])
    }

    @Test func rejectsDamagedInput() {
        let bytes = QuestionCodec.encode(Build.mixedPool(n: 3, cases: 1))
        #expect(QuestionCodec.decode(Array(bytes.dropLast())) == nil)
        #expect(QuestionCodec.decode(bytes + [0]) == nil)
        #expect(QuestionCodec.decode([]) == nil)
        var wrong = bytes
        wrong[0] ^= 0xFF
        #expect(QuestionCodec.decode(wrong) == nil)
        // Every truncation is refused, never a crash.
        for cut in stride(from: 0, to: bytes.count, by: 7) { #expect(QuestionCodec.decode(Array(bytes.prefix(cut))) == nil) }
    }
}
