import Courseware
import Foundation
import Localization
import TestSupport
import XCTest

@testable import Records

/// The logic behind `cycle create|show`, `audit verify|anchor`, `db copy|grant` and `dev`, run on
/// the store directly (both backends, as `ACADEMY_TEST_BACKEND` selects), without the binary.
final class AdminLogicTests: XCTestCase {
    func request(
        id: String = "2026-autumn", departments: [String] = [StoreFixture.department], roles: [String] = ["officer"],
        opens: String = "2026-09-01", due: String = "2026-09-30", allowPast: Bool = false
    ) -> CycleRequest {
        CycleRequest(
            id: id, title: "秋季培训", course: "course-1", blueprint: "bp-1", departments: departments, roles: roles, opens: opens,
            due: due, allowPast: allowPast)
    }

    func testCycleRequestUsageProblems() {
        XCTAssertNil(request().usageProblem)
        XCTAssertEqual(request(opens: "2026-13-01").usageProblem, "--opens: not a date YYYY-MM-DD: 2026-13-01 / 日期格式应为 YYYY-MM-DD")
        XCTAssertEqual(request(due: "x").usageProblem, "--due: not a date YYYY-MM-DD: x / 日期格式应为 YYYY-MM-DD")
        XCTAssertEqual(
            request(roles: ["chief"]).usageProblem, "--role: unknown role chief; use officer or assistant / 人员类别应为 officer 或 assistant")
    }

    func testCycleRequestBuildsTheCycleAndChecksItsRules() throws {
        let now = StoreFixture.date("2026-08-01T00:00:00Z")
        let cycle = try request(roles: ["assistant", "officer", "officer"]).cycle(timeZoneID: "Asia/Shanghai", createdAt: now)
        XCTAssertEqual(cycle.roles, [.assistant, .officer])
        XCTAssertEqual(cycle.createdAt, now)
        XCTAssertThrowsError(try request(id: "../x").cycle(timeZoneID: "Asia/Shanghai", createdAt: now)) { error in
            guard case StoreError.invalid(let field, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "id")
        }
    }

    func testCycleRequestChecksTheContent() throws {
        let r = request()
        XCTAssertNoThrow(try r.checkContent(hasCourse: { $0 == "course-1" }, hasBlueprint: { $0 == "bp-1" }))
        XCTAssertThrowsError(try r.checkContent(hasCourse: { _ in false }, hasBlueprint: { _ in true })) {
            XCTAssertEqual(($0 as? CycleRequest.Refusal)?.message.en, "--course: no course course-1 in the content")
        }
        XCTAssertThrowsError(try r.checkContent(hasCourse: { _ in true }, hasBlueprint: { _ in false })) {
            XCTAssertEqual(($0 as? CycleRequest.Refusal)?.message.zh, "--blueprint: 内容中没有试卷蓝图 bp-1")
        }
        XCTAssertTrue(r.noContent.message.en.hasPrefix("--course: no content found"))
    }

    func testCycleRequestCreatesAfterCheckingDepartmentsAndWindow() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        let now = StoreFixture.date("2026-08-01T00:00:00Z")
        let typo = request(departments: ["示例省/示例市/不存在区"])
        XCTAssertThrowsError(try typo.create(try typo.cycle(timeZoneID: "UTC", createdAt: now), in: f.store, now: now)) {
            XCTAssertEqual(
                ($0 as? CycleRequest.Refusal)?.message.en,
                "--department: no department '示例省/示例市/不存在区' in the staff list (import staff first; staff list shows the departments)")
        }
        let past = request(opens: "2026-01-01", due: "2026-01-31")
        XCTAssertThrowsError(try past.create(try past.cycle(timeZoneID: "UTC", createdAt: now), in: f.store, now: now)) {
            XCTAssertEqual(
                ($0 as? CycleRequest.Refusal)?.message.en, "the window of cycle 2026-autumn ended on 2026-01-31; add --allow-past to record a past cycle")
        }
        XCTAssertNil(try f.store.cycle(id: "2026-autumn"))
        let good = request()
        // The department subtree holds A001 and A002 (officers) and A003 (an assistant).
        XCTAssertEqual(try good.create(try good.cycle(timeZoneID: "UTC", createdAt: now), in: f.store, now: now), 2)
        let history = request(id: "2026-history", opens: "2026-01-01", due: "2026-01-31", allowPast: true)
        XCTAssertEqual(try history.create(try history.cycle(timeZoneID: "UTC", createdAt: now), in: f.store, now: now), 2)
    }

    func testCycleOverview() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle()
        try f.store.exempt(cycleID: "2026-spring", badge: "A002", reason: "借调", grantedBy: "王科长", at: StoreFixture.date("2026-01-12T00:00:00Z"))
        let cycle = try XCTUnwrap(try f.store.cycle(id: "2026-spring"))
        let now = StoreFixture.date("2026-01-20T00:00:00Z")
        let bare = try CycleOverview(cycle, store: f.store, rule: nil, now: now)
        XCTAssertEqual(bare.population, 2)
        XCTAssertEqual(bare.exempt, 1)
        XCTAssertNil(bare.statusCounts)
        let counted = try CycleOverview(cycle, store: f.store, rule: .assumed(lessons: 2), now: now)
        XCTAssertEqual(counted.statusCounts?["exempt"], 1)
        XCTAssertEqual(counted.statusCounts?["not_started"], 1)
    }

    func testAssumedRule() {
        XCTAssertEqual(CompletionRule.assumed(), CompletionRule(requiredItemIDs: [], maxAttempts: 3, counting: .highest))
        XCTAssertEqual(
            CompletionRule.assumed(lessons: 2, maxAttempts: 6),
            CompletionRule(requiredItemIDs: ["lesson-1", "lesson-2"], maxAttempts: 6, counting: .highest))
        XCTAssertEqual(CompletionRule.assumed(lessons: -1).requiredItemIDs, [])
    }

    func testCertificateCourse() {
        let cycle = TrainingCycle(
            id: "c", title: "周期标题", courseID: "course-1", blueprintID: "bp", departments: [], roles: [],
            opens: CalendarDay("2026-01-01")!, due: CalendarDay("2026-01-31")!, timeZoneID: "UTC", createdAt: Date())
        XCTAssertTrue(cycle.certificateCourse(in: nil) == ("周期标题", nil))
        let lesson = { (id: String, minutes: Int, required: Bool) in
            StudyItem.lesson(
                Lesson(
                    id: id, title: id, minutes: minutes, required: required, citations: [],
                    sections: [TextSection(title: nil, paragraphs: ["正文"])], keyPoints: [], location: Build.loc()))
        }
        let course = Course(
            id: "course-1", title: "严格规范执法", summary: "", provisionSetID: "p",
            modules: [CourseModule(id: "m", title: "m", items: [lesson("a", 60, true), lesson("b", 30, true), lesson("c", 45, false)], location: Build.loc())],
            location: Build.loc())
        let content = ContentSet(courses: [course])
        XCTAssertTrue(cycle.certificateCourse(in: content) == ("严格规范执法", 1.5))
    }

    func testAnchorFileAppendsAndRefuses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("anchors.txt").path
        try AnchorFile.append("one\n", to: file)
        try AnchorFile.append("two\n", to: file)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "one\ntwo\n")
        let link = dir.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        XCTAssertThrowsError(try AnchorFile.append("x\n", to: link)) {
            XCTAssertEqual(($0 as? AnchorFile.Failure)?.message.en, "\(link): is a symbolic link; refusing to write")
        }
        XCTAssertThrowsError(try AnchorFile.append("x\n", to: dir.path)) {
            XCTAssertNotNil($0 as? AnchorFile.Failure)
        }
        let cut = dir.appendingPathComponent("cut.txt").path
        try Data("partial".utf8).write(to: URL(fileURLWithPath: cut))
        XCTAssertThrowsError(try AnchorFile.append("x\n", to: cut)) {
            XCTAssertEqual(($0 as? AnchorFile.Failure)?.message.en, "\(cut): its last line is incomplete (no newline); check the file first")
        }
    }

    func testAnchorOnlyWhatVerifies() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        let file = f.dir.appendingPathComponent("anchors.txt").path
        let at = StoreFixture.date("2026-03-01T00:00:00Z")
        let line = try AnchorFile.anchor(f.store, at: at, to: file)
        let v = try f.store.verifyChain()
        XCTAssertEqual(line, AuditHeadToken.anchorLine(v.head, eventCount: v.eventCount, at: at) + "\n")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), line)
    }

    func testRecordedHeadVerdicts() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        let head = try f.store.chainHead()
        let intact = try AuditHeadToken.verdict(.init(seq: head.seq, hash: head.hash), recordedIn: "a.txt", store: f.store, chainHead: head)
        XCTAssertTrue(intact.intact)
        XCTAssertEqual(intact.message.en, "a.txt: head #\(head.seq) \(head.hash.prefix(16))… is in the chain")
        let zeros = String(repeating: "0", count: 64)
        let later = try AuditHeadToken.verdict(.init(seq: head.seq + 5, hash: zeros), recordedIn: "a.txt", store: f.store, chainHead: head)
        XCTAssertFalse(later.intact)
        XCTAssertTrue(later.message.en.hasSuffix("events were removed from the end (truncated)"))
        let other = try AuditHeadToken.verdict(.init(seq: head.seq, hash: zeros), recordedIn: "a.txt", store: f.store, chainHead: head)
        XCTAssertFalse(other.intact)
        XCTAssertTrue(other.message.en.hasSuffix("the history up to it was rewritten"))
    }

    func testGrantPasswordIsTheFirstLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func password(_ text: String) throws -> String {
            let file = dir.appendingPathComponent(UUID().uuidString).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return try PostgresEducationStore.grantPassword(inFile: file)
        }
        XCTAssertEqual(try password("s3cret\nsecond\n"), "s3cret")
        XCTAssertEqual(try password("s3cret\r\n"), "s3cret")
        XCTAssertEqual(try password("no newline"), "no newline")
        // A blank first line is no password (not a reason to read the next line).
        for text in ["", "\n", "\nlater\n", "\r\nlater"] {
            XCTAssertThrowsError(try password(text), text.debugDescription) { error in
                guard case StoreError.invalid(_, let detail) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(detail, "no password on its first line / 第一行没有密码")
            }
        }
        XCTAssertThrowsError(try PostgresEducationStore.grantPassword(inFile: dir.appendingPathComponent("missing").path))
    }

    func testCopyMessages() {
        let p = StoreCopy.Progress(events: 50, totalEvents: 200)
        XCTAssertEqual(p.message.en, "copied 50/200 events (25%)")
        XCTAssertEqual(StoreCopy.Progress(events: 0, totalEvents: 0).message.zh, "已复制 0/0 个事件（100%）")
        let head = ChainHead(seq: 3, hash: "abc", at: nil)
        XCTAssertEqual(StoreCopy.summary(head, elapsed: .milliseconds(1250)).en, "copied: 3 events, head abc, target verified (1.2 s)")
    }

    func testStoreBench() throws {
        let f = try StoreFixture()
        try f.seedStaff()
        try f.seedCycle()
        let at = StoreFixture.date("2026-01-15T02:00:00Z")
        var acks: [String] = []
        let ms = try StoreBench.hammer(store: f.store, badge: "A001", cycle: "2026-spring", count: 3, clock: .fixed(at)) {
            acks.append("\($0) \($1)")
        }
        XCTAssertEqual(ms.count, 3)
        XCTAssertEqual(acks, ["A001 q-0", "A001 q-1", "A001 q-2"])
        let all = StoreBench.hammer(
            badges: ["A001", "A002"], shared: f.store, open: { throw StoreError.unknownCycle("unused") }, cycle: "2026-spring",
            count: 2, answersOnly: true, clock: .fixed(at))
        XCTAssertNil(all.failure)
        XCTAssertEqual(all.latencies.count, 4)
        XCTAssertNotNil(all.groupCommit)
        let failing = StoreBench.hammer(
            badges: ["A001"], shared: nil, open: { throw StoreError.unknownCycle("x") }, cycle: "2026-spring", count: 1,
            answersOnly: false, clock: .fixed(at))
        XCTAssertEqual(failing.failure?.badge, "A001")
        let roster = try StoreBench.rosterTime(f.store, cycle: "2026-spring", lessons: 0, maxAttempts: 3, now: at)
        XCTAssertTrue(roster.hasPrefix("rows=2 seconds="), roster)
        XCTAssertEqual(StoreBench.syntheticStaff(2).map(\.badge), ["SL0000000", "SL0000001"])
        XCTAssertTrue(try StoreBench.importTime(f.store, people: 3, at: at).hasPrefix("added=3 unchanged=0 seconds="))
    }

    func testSeedBench() throws {
        let f = try StoreFixture()
        let line = try StoreBench.seed(
            f.store, people: 20, attempts: 2, lessons: 2, seed: 1, cycle: "synthetic", at: StoreFixture.date("2026-01-15T02:00:00Z"))
        XCTAssertTrue(line.contains("staff=20"), line)
    }
}
