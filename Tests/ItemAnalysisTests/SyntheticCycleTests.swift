import Courseware
import Foundation
import TestSupport
import XCTest

@testable import ItemAnalysis

/// A synthetic cycle: 1,000 simulated officers with known abilities answer 40 questions drawn
/// from a pool of 60 (a different paper each, as the exam draws them). Three questions are
/// planted mis-keyed: the stored key is option A, but the option officers who know the
/// provision choose is B. The analysis must flag exactly those three with "check the key", and
/// its statistics must match an independent numpy computation to 1e-9.
final class SyntheticCycleTests: XCTestCase {
    struct RNG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func normal() -> Double {
            let u1 = max(uniform(), 1e-300), u2 = uniform()
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
    }

    static let planted: Set<String> = ["q.012", "q.030", "q.045"]

    static func cycle() -> (attempts: [AttemptObservation], keys: [String: ItemKey]) {
        var rng = RNG(state: 2018)
        let pool = (1...60).map { String(format: "q.%03d", $0) }
        var keys: [String: ItemKey] = [:]
        var difficulty: [String: Double] = [:]
        var slope: [String: Double] = [:]
        for (i, id) in pool.enumerated() {
            keys[id] = ItemKey(
                questionID: id, type: .singleChoice, stem: "题 \(id)", options: ["甲", "乙", "丙", "丁"], correct: [0],
                provisionIDs: ["p\(i % 6)"])
            difficulty[id] = -1.2 + 2.4 * Double(i) / 59
            slope[id] = 0.9 + 0.8 * Double((i * 7) % 10) / 9
        }
        var attempts: [AttemptObservation] = []
        for person in 0..<1000 {
            let theta = rng.normal()
            var drawn = pool
            for i in stride(from: drawn.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                drawn.swapAt(i, j)
            }
            var items: [ItemObservation] = []
            for (slot, id) in drawn.prefix(40).enumerated() {
                let know = 1 / (1 + exp(-slope[id]! * (theta - difficulty[id]!)))
                let truth = planted.contains(id) ? 1 : 0
                let choice = rng.uniform() < know ? truth : Int(rng.next() % 4)
                let right = choice == 0  // the stored key
                items.append(ItemObservation(slot: slot + 1, questionID: id, score: right ? 2 : 0, points: 2, chosen: [choice]))
            }
            attempts.append(AttemptObservation(person: String(format: "B%05d", person), items: items))
        }
        return (attempts, keys)
    }

    func testExactlyThePlantedMisKeyedQuestionsAreFlagged() {
        let (attempts, keys) = Self.cycle()
        let report = ItemAnalysis.analyze(attempts, keys: keys)
        XCTAssertEqual(report.n, 1000)
        XCTAssertFalse(report.unreliable)
        let flagged = Set(report.items.filter { $0.flags.contains { $0.kind == .negativeDiscrimination } }.map(\.questionID))
        XCTAssertEqual(flagged, Self.planted)
        XCTAssertEqual(Set(report.items.filter { ($0.discriminationIndex ?? 0) < 0 }.map(\.questionID)), Self.planted)
        for item in report.items where Self.planted.contains(item.questionID) {
            // The option the knowers choose is the one the upper group favours.
            XCTAssertTrue(item.flags.contains { $0.kind == .distractorFavoursUpper && $0.en.contains("distractor B") })
        }
        XCTAssertGreaterThan(report.reliability.value ?? 0, 0.5)
        XCTAssertEqual(report.reliability.method, "KR-20")
        XCTAssertEqual(report.reliability.items, 40)
        XCTAssertEqual(report.histogram.reduce(0) { $0 + $1.count }, 1000)
        // Worst provision first.
        XCTAssertEqual(report.provisions.map(\.meanFacility), report.provisions.map(\.meanFacility).sorted())
    }

    func testStatisticsMatchNumpyTo1e9() throws {
        let (attempts, keys) = Self.cycle()
        let report = ItemAnalysis.analyze(attempts, keys: keys)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try dir.write("attempts.json", try JSONEncoder().encode(["attempts": attempts]))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", AcademyProcess.packageRoot.appendingPathComponent("scripts/item-analysis-check.py").path, input.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // numpy missing is a failure (scripts/install-deps.sh --test installs it), never a skip.
        XCTAssertEqual(p.terminationStatus, 0, errText)
        struct Py: Decodable {
            struct Item: Decodable {
                var n: Int
                var facility: Double
                var pointBiserial: Double?
                var discriminationIndex: Double?
            }
            var items: [String: Item]
            var reliability: Double?
            var method: String
            var histogram: [Int]
            var meanPercent: Double
        }
        let py = try JSONDecoder().decode(Py.self, from: data)
        XCTAssertEqual(py.items.count, report.items.count)
        for item in report.items {
            let ref = try XCTUnwrap(py.items[item.questionID])
            XCTAssertEqual(item.n, ref.n)
            XCTAssertEqual(item.facility, ref.facility, accuracy: 1e-9, item.questionID)
            XCTAssertEqual(item.pointBiserial ?? .nan, ref.pointBiserial ?? .nan, accuracy: 1e-9, item.questionID)
            XCTAssertEqual(item.discriminationIndex ?? .nan, ref.discriminationIndex ?? .nan, accuracy: 1e-9, item.questionID)
        }
        XCTAssertEqual(report.reliability.value ?? .nan, py.reliability ?? .nan, accuracy: 1e-9)
        XCTAssertEqual(report.reliability.method, py.method)
        XCTAssertEqual(report.histogram.map(\.count), py.histogram)
        XCTAssertEqual(report.meanPercent, py.meanPercent, accuracy: 1e-9)
    }

    func testSmallSamplesAreMarkedUnreliable() {
        let (attempts, keys) = Self.cycle()
        let report = ItemAnalysis.analyze(Array(attempts.prefix(20)), keys: keys)
        XCTAssertTrue(report.unreliable)
        XCTAssertTrue(report.items.allSatisfy(\.unreliable))
    }

    func testUnusedDistractorAndFacilityFlags() {
        let keys = ["q": ItemKey(questionID: "q", type: .singleChoice, stem: "s", options: ["a", "b", "c"], correct: [0], provisionIDs: [])]
        var attempts: [AttemptObservation] = []
        for i in 0..<40 {
            let right = i < 39
            let q = ItemObservation(slot: 1, questionID: "q", score: right ? 1 : 0, points: 1, chosen: [right ? 0 : 1])
            let other: Double = i == 39 ? 0 : Double(i % 2)
            attempts.append(AttemptObservation(person: "p\(i)", items: [q, ItemObservation(slot: 2, questionID: "r", score: other, points: 1)]))
        }
        let item = ItemAnalysis.analyze(attempts, keys: keys).items[0]
        XCTAssertEqual(Set(item.flags.map { $0.kind }), Set<ItemFlag.Kind>([.tooEasy, .unusedDistractor]))
        XCTAssertTrue(item.flags.contains { $0.en.contains("distractor C") })
    }
}
