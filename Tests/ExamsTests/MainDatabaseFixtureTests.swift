import CourseLoading
import Courseware
import ExamAssembly
import Foundation
import Grading
import Records
import Testing

@testable import Exams

/// A database written by the code before the exam service existed (Tests/Fixtures/README.md)
/// stays valid: chain and head, papers byte-for-byte, grades, and the open attempt.
@Suite struct MainDatabaseFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/main-f92bd8e").standardizedFileURL

    /// A copy of the fixture database in a temporary directory, and the content it was written against.
    final class Copy {
        let dir: URL
        let store: SQLiteEducationStore
        let content: ContentSet

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let db = dir.appendingPathComponent("academy.sqlite")
            try FileManager.default.copyItem(at: MainDatabaseFixtureTests.fixture.appendingPathComponent("academy.sqlite"), to: db)
            store = try SQLiteEducationStore(path: db.path)
            let loaded = try ContentLoader.load(paths: [
                MainDatabaseFixtureTests.fixture.appendingPathComponent("Courses").path,
                MainDatabaseFixtureTests.fixture.appendingPathComponent("QuestionBank").path,
            ])
            #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
            content = loaded.content
        }

        deinit { try? FileManager.default.removeItem(at: dir) }
    }

    @Test func theChainAndItsHeadAreUnchanged() throws {
        let c = try Copy()
        let v = try c.store.verifyChain()
        #expect(v.isIntact, "\(v.message)")
        #expect(v.eventCount == 50)
        let head = try c.store.chainHead()
        #expect(head.seq == 50)
        #expect(head.hash == "cdbb2df7ae7273b9427097c5fde51dae5955f94f59bffeafb2d3f2d2496d188c")
    }

    @Test func everyStoredPaperIsRedrawnByteForByte() throws {
        let c = try Copy()
        let content = ExamContent(c.content, hashPools: true)
        let bp = try #require(content.blueprint("all-staff-2018"))
        let assembler = try Assembler(
            blueprint: bp, pool: content.pool(for: bp, index: Grader.index(content.questions)),
            bankHash: content.bankHashes[bp.id])
        let attempts = try c.store.attempts(cycleID: "2026-winter").sorted { $0.id < $1.id }
        #expect(attempts.count == 4)
        var seen: [String: Set<String>] = [:]
        for a in attempts {
            let paper = try Paper.decode(a.paper)
            #expect(paper.canonicalJSON() == a.paper, "attempt \(a.id) re-encodes differently")
            let redrawn = try assembler.paper(seed: a.seed, excluding: seen[a.badge] ?? [])
            #expect(redrawn.canonicalJSON() == a.paper, "attempt \(a.id) draws differently from its seed")
            #expect(a.questionIDs == paper.questionIDs)
            seen[a.badge, default: []].formUnion(paper.questionIDs)
        }
    }

    @Test func everyGradeStands() throws {
        let c = try Copy()
        let service = ExamService(
            store: c.store, content: ExamContent(c.content), clock: .fixed(Date(timeIntervalSince1970: 1_800_000_000)))
        let r = try service.regrade(cycleID: "2026-winter", dryRun: true, reason: "fixture")
        #expect(r.checked == 3)
        #expect(r.changes.isEmpty && r.problems.isEmpty, "\(r.changes) \(r.problems)")
        let scores = try c.store.attempts(cycleID: "2026-winter").filter { $0.state == .submitted }
            .map { "\($0.badge)#\($0.number) \($0.currentGrade!.score)" }.sorted()
        #expect(scores == ["SL0002#1 2.0", "SL0003#1 0.0", "SL0003#2 0.0"])
    }

    @Test func theOpenAttemptResumesThroughTheService() throws {
        let c = try Copy()
        let open = try #require(try c.store.openAttempt(badge: "SL0001", cycleID: "2026-winter"))
        let clock = WallClock.fixed(open.startedAt.addingTimeInterval(60))
        let exam = try ExamService(store: c.store, content: ExamContent(c.content), clock: clock)
            .open(badge: "SL0001", cycleID: "2026-winter")
        #expect(exam.resumed && exam.attempt.id == open.id)
        #expect(exam.session.paper.canonicalJSON() == open.paper)
        #expect(exam.session.answeredCount == 2)  // "T" was refused on a choice question
        #expect(exam.session.remainingSeconds(now: clock.now()) == 59 * 60)
        // Exempt officers stay exempt; study progress is still there.
        #expect(throws: AttemptRefusal.exempt(badge: "SL0005", cycleID: "2026-winter", reason: "长期病假")) {
            try ExamService(store: c.store, content: ExamContent(c.content), clock: clock)
                .open(badge: "SL0005", cycleID: "2026-winter")
        }
        let study = try StudyService(store: c.store, content: c.content, clock: clock).open(badge: "SL0001", cycleID: "2026-winter")
        #expect(study.finished == ["l.s1.1"])
        #expect(try c.store.verifyChain().isIntact)
    }
}
