import Foundation
import Localization
import Records
import SeededRandom
import XCTest

@testable import Rosters

final class RollupTests: XCTestCase {
    func testSubtreesAggregateAndOrderIsPreorder() {
        let r = RosterRollup(rows: Fixtures.rows)
        XCTAssertEqual(r.nodes.map(\.path), ["", "江苏省", "江苏省/南京市", "江苏省/南京市/玄武区", "江苏省/南京市/鼓楼区", "江苏省/苏州市"])
        let total = r.total
        XCTAssertEqual(total.headcount, 6)
        XCTAssertEqual(total.completed, 1)
        XCTAssertEqual(total.exempt, 1)
        XCTAssertEqual(total.overdue, 1)
        XCTAssertEqual(total.failed, 1)
        XCTAssertEqual(total.notStarted, 1)
        XCTAssertEqual(total.passed, 2)
        XCTAssertEqual(total.completionRate!, 1.0 / 5.0, accuracy: 1e-9)
        XCTAssertEqual(total.meanScore!, (90 + 40 + 70) / 3, accuracy: 1e-9)
        let nanjing = r.nodes[2]
        XCTAssertEqual(nanjing.headcount, 4)
        XCTAssertEqual(nanjing.depth, 2)
        XCTAssertEqual(nanjing.name, "南京市")
        // Exempt-only department: nobody required, no rate.
        let exemptOnly = RosterRollup(rows: [Fixtures.row("X", "x", "甲", .exempt(reason: "r"), exemption: "r")])
        XCTAssertNil(exemptOnly.total.completionRate)
    }

    func testEmptyRosterHasOnlyTheRoot() {
        let r = RosterRollup(rows: [])
        XCTAssertEqual(r.nodes.count, 1)
        XCTAssertEqual(r.total.headcount, 0)
        XCTAssertNil(r.total.completionRate)
        XCTAssertNil(r.total.meanScore)
        XCTAssertTrue(SummaryText.render(r, context: Fixtures.context()).contains("人员范围为空"))
    }
}

final class SummaryTextTests: XCTestCase {
    func testBarsUseEighths() {
        XCTAssertEqual(SummaryText.bar(0, width: 4), "    ")
        XCTAssertEqual(SummaryText.bar(1, width: 4), "████")
        XCTAssertEqual(SummaryText.bar(0.5, width: 4), "██  ")
        XCTAssertEqual(SummaryText.bar(1.0 / 32, width: 4), "▏   ")
        XCTAssertEqual(SummaryText.bar(0.5 + 3.0 / 32, width: 4), "██▍ ")
        XCTAssertEqual(SummaryText.bar(.nan, width: 2), "  ")
        XCTAssertEqual(SummaryText.bar(7, width: 2), "██")
        for i in 0...160 { XCTAssertEqual(SummaryText.bar(Double(i) / 160, width: 20).count, 20) }
    }

    func testDisplayWidth() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("玄武区"), 6)
        XCTAssertEqual(DisplayWidth.of("第2中队"), 7)
        XCTAssertEqual(DisplayWidth.of("（）"), 4)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1)
    }

    func testLinesAlignByDisplayWidth() {
        let text = SummaryText.render(RosterRollup(rows: Fixtures.rows), context: Fixtures.context())
        let lines = text.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertEqual(lines.count, 7)  // header + 6 nodes
        // The bar column starts at the same display column on every line.
        let starts = Set(
            lines.dropFirst().map { line -> Int in
                var w = 0
                for ch in line {
                    if "█▏▎▍▌▋▊▉".contains(ch) || ch == " " && w >= 16 { break }; w += DisplayWidth.of(String(ch))
                }
                return w
            })
        XCTAssertEqual(
            lines.map { DisplayWidth.of($0) }.dropFirst().reduce(into: Set<Int>()) { $0.insert($1) }.count, 1,
            "every data line has the same display width:\n\(text)")
        XCTAssertFalse(starts.isEmpty)
        XCTAssertTrue(lines[2].hasPrefix("江苏省"))
        XCTAssertTrue(lines[3].hasPrefix("  南京市"))
        XCTAssertTrue(lines[4].hasPrefix("    玄武区"))
    }
}

final class SpotCheckDrawTests: XCTestCase {
    func testSplitMix64ReferenceValues() {
        // Reference outputs of SplitMix64 for seed 0 (as published with the algorithm).
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(g.next(), 0x06C4_5D18_8009_454F)
    }

    func testReproducibleAndIndependentOfInputOrder() throws {
        let badges = (0..<1000).map { String(format: "B%04d", $0) }
        let a = try SpotCheckDraw.draw(population: badges, percent: 5, seed: 2018, inspectors: ["甲", "乙", "丙"])
        let b = try SpotCheckDraw.draw(population: badges.reversed(), percent: 5, seed: 2018, inspectors: ["丙", "甲", "乙", "甲"])
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.selected.count, 50)
        XCTAssertEqual(Set(a.selected).count, 50)
        XCTAssertEqual(Set(a.inspectors), ["甲", "乙", "丙"])
        let c = try SpotCheckDraw.draw(population: badges, percent: 5, seed: 2019)
        XCTAssertNotEqual(a.selected, c.selected)
        XCTAssertEqual(a.inspector(forSelectionAt: 3), a.inspectors[0])
        XCTAssertNil(c.inspector(forSelectionAt: 0))
    }

    func testPinnedDraw() throws {
        // Pinned so that a change to the documented algorithm cannot go unnoticed.
        let d = try SpotCheckDraw.draw(
            population: ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10"],
            percent: 30, seed: 42)
        XCTAssertEqual(d.selected.count, 3)
        var g = SplitMix64(seed: 42)
        var sorted = ["A1", "A10", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"]
        for i in 0..<3 { sorted.swapAt(i, i + g.uniformByModulo(below: 10 - i)) }
        XCTAssertEqual(d.selected, Array(sorted.prefix(3)))
    }

    func testSampleSizeAndBadPercent() {
        XCTAssertEqual(SpotCheckDraw.sampleSize(population: 10, percent: 0.1), 1)
        XCTAssertEqual(SpotCheckDraw.sampleSize(population: 10, percent: 100), 10)
        XCTAssertEqual(SpotCheckDraw.sampleSize(population: 0, percent: 50), 0)
        XCTAssertEqual(SpotCheckDraw.sampleSize(population: 7, percent: 50), 4)
        for p in [0, -1, 101, Double.nan] {
            XCTAssertThrowsError(try SpotCheckDraw.draw(population: ["a"], percent: p, seed: 1))
        }
    }

    func testUniformIsInRangeAndRoughlyFlat() {
        var g = SplitMix64(seed: 7)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[g.uniformByModulo(below: 6)] += 1 }
        for c in counts { XCTAssertEqual(Double(c), 10_000, accuracy: 400) }
    }

    func testInspectorFile() throws {
        let dir = try Fixtures.tempDir()
        let f = dir.appendingPathComponent("inspectors.txt")
        try Data("\u{FEFF}# 检查人员\n孙一\n\n  周二  \n".utf8).write(to: f)
        XCTAssertEqual(try SpotCheckDraw.readInspectors(from: f), ["孙一", "周二"])
        try Data("\n# none\n".utf8).write(to: f)
        XCTAssertThrowsError(try SpotCheckDraw.readInspectors(from: f)) {
            XCTAssertEqual($0 as? RosterError, .noInspectors(path: f.path))
        }
        XCTAssertThrowsError(try SpotCheckDraw.readInspectors(from: dir.appendingPathComponent("missing.txt")))
    }
}
