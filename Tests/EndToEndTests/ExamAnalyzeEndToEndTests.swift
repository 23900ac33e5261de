import Foundation
import TestSupport
import Testing

/// `academy exam analyze` over attempts taken with the real exam, as stored.
@Suite(.serialized) struct ExamAnalyzeEndToEndTests {
    @Test func analyzeReadsTheCountingAttemptAsStored() throws {
        let env = try ExamEndToEndTests().setUp(maxAttempts: 2)
        defer { env.dir.remove() }
        // Attempt 1: single choices A and B (one wrong), the rest right; attempt 2 all right.
        let first = try env.take("A\nB\nT\n对\n全过程记录\nAB\ns\nyes\n")
        #expect(first.status == 0, "\(first.stderr)")
        let json = try env.run(["exam", "analyze", "--cycle", "e2e-cycle", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["n"] as? Int == 1)
        #expect(report["unreliable"] as? Bool == true)
        let items = try #require(report["items"] as? [[String: Any]])
        #expect(items.count == 6)
        let singles = items.filter { ($0["questionID"] as? String)?.hasPrefix("e2e-s") ?? false }
        #expect(singles.count == 2)
        // Option counts are by original option: one officer chose A (keyed), the other item B.
        let chosen = singles.map { ($0["options"] as? [[String: Any]] ?? []).filter { ($0["all"] as? Int) == 1 }.map { $0["letter"] as? String } }
        #expect(Set(chosen.flatMap { $0 }) == ["A", "B"])
        #expect(singles.map { $0["facility"] as? Double }.sorted { ($0 ?? 0) < ($1 ?? 0) } == [0, 1])

        let html = env.dir.url.appendingPathComponent("analysis.html")
        let h = try env.run(["exam", "analyze", "--cycle", "e2e-cycle", "--format", "html", "-o", html.path])
        #expect(h.status == 0, "\(h.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("class=\"bar"))
        #expect(!page.contains("<script"))
        let text = try env.run(["exam", "analyze", "--cycle", "e2e-cycle"])
        #expect(text.stdout.contains("n = 1 (fewer than 30: unreliable)"), "\(text.stdout)")
        let missing = try env.run(["exam", "analyze", "--cycle", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no cycle with id nope"))
    }

    /// exam preview and exam stats say how many items the officer sees (case parts count one each).
    @Test func previewAndStatsShowThePaperSize() throws {
        let env = try ExamEndToEndTests().setUp()
        defer { env.dir.remove() }
        let preview = try env.run(["exam", "preview", "e2e-exam", "--seed", "3"])
        #expect(preview.stdout.contains("items the officer sees: 6 (the 0 parts of 0 case analyses count one each)"), "\(preview.stdout)")
        let stats = try env.run(["exam", "stats", "e2e-exam", "--papers", "20"])
        #expect(stats.stdout.contains("items the officer sees (each case-analysis part counts one): 6 (20 papers)"), "\(stats.stdout)")
    }
}
