import CourseLoading
import Foundation
import TestSupport
import XCTest

final class EmbeddedSchemasTests: XCTestCase {
    /// Fails when Sources/CourseLoading/EmbeddedSchemas.swift drifts from schemas/*.xsd:
    /// run scripts/embed-schemas.sh.
    func testEmbeddedSchemasMatchTheRepository() throws {
        let dir = AcademyProcess.packageRoot.appendingPathComponent("schemas")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".xsd") }.sorted()
        XCTAssertFalse(names.isEmpty)
        XCTAssertEqual(names, ContentLoader.embeddedSchemaFiles.keys.sorted(), "run scripts/embed-schemas.sh")
        for name in names {
            let disk = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(ContentLoader.embeddedSchemaFiles[name], disk, "\(name) drifted; run scripts/embed-schemas.sh")
        }
    }

    func testEverySchemaCompiles() throws {
        for kind in DocumentKind.allCases {
            XCTAssertNoThrow(try ContentLoader.schemas.check(kind.schemaFile), kind.schemaFile)
        }
    }
}
