import Courseware
import Exams
import Foundation
import Records
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
