import Foundation
import Records
import Rosters
import Testing

/// The 双随机 draw recorded in a database written by older code (Tests/Fixtures/README.md) comes
/// out identically when drawn again with the same population, seed and inspectors.
@Suite struct MainDatabaseDrawTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/main-f92bd8e").standardizedFileURL

    @Test func theRecordedDrawIsReproducedExactly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("draw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("academy.sqlite")
        try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent("academy.sqlite"), to: db)
        let store = try SQLiteEducationStore(path: db.path)
        let inspectors = try SpotCheckDraw.readInspectors(from: Self.fixture.appendingPathComponent("inspectors.txt"))
        let (draw, _, _) = try RosterService.drawSpotCheck(
            store: store, cycleID: "2026-winter", percent: 30, seed: 20_260_101, inspectors: inspectors,
            at: Date(timeIntervalSince1970: 1_800_000_000))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture.appendingPathComponent("spotcheck-draw.json")))
                as? [String: Any])
        let expected = try #require(json["selected"] as? [[String: Any]])
        #expect(draw.populationSize == 27)
        #expect(draw.selected == expected.map { $0["badge"] as? String ?? "" })
        #expect(
            draw.selected.indices.map { draw.inspector(forSelectionAt: $0) ?? "" }
                == expected.map { $0["inspector"] as? String ?? "" })
        // The first draw as stored in the record, too.
        let stored = try #require(try store.spotChecks(cycleID: "2026-winter").first)
        #expect(Set(stored.selected) == Set(draw.selected) && stored.inspectors == inspectors)
    }
}
