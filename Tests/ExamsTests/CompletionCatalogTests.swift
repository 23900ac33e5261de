import Courseware
import Exams
import Foundation
import Records
import TestSupport
import XCTest

/// The completion catalog (what the cycle, record and roster commands need from the content) and
/// its cache, without the binary.
final class CompletionCatalogTests: XCTestCase {
    func testRulesFromTheContent() throws {
        let f = try ServiceFixture(maxAttempts: 4)
        let catalog = CompletionCatalog(f.contentSet)
        XCTAssertEqual(catalog.courses["course-1"], ["l1", "l2"])
        XCTAssertEqual(catalog.blueprints["bp-1"]?.maxAttempts, 4)
        let cycle = try XCTUnwrap(try f.store.cycle(id: "2026-spring"))
        XCTAssertEqual(catalog.rule(for: cycle), CompletionRule(cycle: cycle, content: f.contentSet))
        var other = cycle
        other.id = "other"
        other.blueprintID = "missing"
        XCTAssertNil(catalog.rule(for: other))
        XCTAssertEqual(catalog.rules(for: [cycle, other]), ["2026-spring": catalog.rule(for: cycle)!])
    }

    /// The roster commands' rule: assumed without reading content, the content's, or assumed
    /// with a warning when the content is missing or lacks the cycle's blueprint.
    func testTheRosterRuleIsAssumedTheContentsOrAssumedWithAWarning() throws {
        let f = try ServiceFixture()
        var cycle = try XCTUnwrap(try f.store.cycle(id: "2026-spring"))
        (cycle.courseID, cycle.blueprintID) = ("strict-enforcement-2018", "all-staff-2018")
        let root = AcademyProcess.packageRoot.path
        let shipped = [root + "/Courses", root + "/QuestionBank"]
        let env = ["ACADEMY_CACHE_DIR": f.dir.appendingPathComponent("cache").path]
        var warnings = 0
        func rule(_ content: [String], lessons: Int? = nil, max: Int? = nil) -> CompletionRule {
            CompletionCatalog.rule(
                for: cycle, content: content, assumeLessons: lessons, assumeMaxAttempts: max, environment: env) { warnings += 1 }
        }
        XCTAssertEqual(rule(["/nonexistent"], lessons: 2, max: 5), .assumed(lessons: 2, maxAttempts: 5))
        XCTAssertEqual(warnings, 0)
        let fromContent = rule(shipped)
        XCTAssertEqual(fromContent.maxAttempts, 3)
        XCTAssertFalse(fromContent.requiredItemIDs.isEmpty)
        XCTAssertEqual(warnings, 0)
        XCTAssertEqual(rule(["/nonexistent"], max: 4), .assumed(lessons: 0, maxAttempts: 4))
        XCTAssertEqual(warnings, 1)
        cycle.blueprintID = "missing"
        XCTAssertEqual(rule(shipped), .assumed())
        XCTAssertEqual(warnings, 2)
    }

    func testCacheIsUsedWhileTheFilesAreUnchangedAndNeverHoldsContentWithErrors() throws {
        let f = try ServiceFixture()
        let cache = f.dir.appendingPathComponent("cache")
        let file = f.dir.appendingPathComponent("content.xml")
        try Data("<x/>".utf8).write(to: file)
        var loads = 0
        func load(errors: Bool) throws -> CompletionCatalog {
            try CompletionCatalog.load(files: [file.path], directory: cache) {
                loads += 1
                return (f.contentSet, errors)
            }
        }
        // Content with errors is loaded every time.
        _ = try load(errors: true)
        _ = try load(errors: true)
        XCTAssertEqual(loads, 2)
        let first = try load(errors: false)
        XCTAssertEqual(loads, 3)
        XCTAssertEqual(try load(errors: false), first)
        XCTAssertEqual(loads, 3)
        // No directory, or files that cannot be listed: always loaded.
        _ = try CompletionCatalog.load(files: [file.path], directory: nil) { loads += 1; return (f.contentSet, false) }
        _ = try CompletionCatalog.load(files: nil, directory: cache) { loads += 1; return (f.contentSet, false) }
        XCTAssertEqual(loads, 5)
        // Any change to a file is another key.
        try Data("<y/>".utf8).write(to: file)
        _ = try load(errors: false)
        XCTAssertEqual(loads, 6)
    }
}
