import CourseLoading
import Courseware
import Crypto
import Foundation
import Localization
import TestSupport
import XCTest

/// Where the content comes from (`ContentSearch`, `ContentLocator`, `AcademyConfig`), its
/// fingerprint, and lint's scope and report, without the binary.
final class ContentLocationTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws {
        dir = try TemporaryDirectory()
        for (path, text) in Fixtures.all { _ = try dir.write(path, text) }
        try FileManager.default.copyItem(
            at: AcademyProcess.packageRoot.appendingPathComponent("schemas"), to: dir.url.appendingPathComponent("schemas"))
    }

    override func tearDown() { dir.remove() }

    var root: String { dir.url.path }

    /// An environment with no content hooks and a configuration file of its own (absent unless written).
    var environment: [String: String] { ["ACADEMY_CONFIG": root + "/etc/academy.conf"] }

    func testConfigurationFileKeysPathsAndErrors() throws {
        let config = try AcademyConfig.parse(
            "# comment\r\ndb = data/academy.sqlite\ncontent = /srv/ours\n  content = extra  \n", path: "/etc/academy/academy.conf")
        XCTAssertEqual(config.db, "/etc/academy/data/academy.sqlite")
        XCTAssertEqual(config.content, ["/srv/ours", "/etc/academy/extra"])
        XCTAssertEqual(config.directory, "/etc/academy")
        XCTAssertEqual(try AcademyConfig.parse("db = postgres://u@h/db", path: "/x/a.conf").db, "postgres://u@h/db")
        let cases: [(String, String)] = [
            ("db = a\ndb = b", "/x/a.conf:2: db is set twice"),
            ("color = red", "/x/a.conf:1: unknown key \"color\" (known: db, content)"),
            ("\n\njust words", "/x/a.conf:3: expected \"key = value\", found \"just words\""),
            ("content =", "/x/a.conf:1: content has an empty value"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try AcademyConfig.parse(text, path: "/x/a.conf")) {
                XCTAssertEqual(($0 as? AcademyConfig.Failure)?.text(in: .en), message)
            }
        }
        let missing = try AcademyConfig.load(path: root + "/missing.conf")
        XCTAssertEqual(missing.path, root + "/missing.conf")
        XCTAssertNil(missing.db)
        XCTAssertEqual(missing.content, [])
    }

    func testSearchOrderExplicitThenEnvironmentThenHereThenInstalled() throws {
        let exists = { (p: String) in FileManager.default.fileExists(atPath: p) }
        XCTAssertEqual(try ContentSearch.paths(explicit: ["a"], environment: ["ACADEMY_CONTENT": "b:c"]), ["a"])
        XCTAssertEqual(try ContentSearch.paths(explicit: [], environment: ["ACADEMY_CONTENT": "b:c"]), ["b", "c"])
        // A source checkout: Courses/ and QuestionBank/ in the working directory, those that exist.
        XCTAssertEqual(
            try ContentSearch.paths(explicit: [], environment: environment, fileExists: { $0 == "Courses" }, shareCandidates: []),
            ["Courses"])
        // Installed: the first share with content, then content.d/ and content = beside the configuration file.
        _ = try dir.write("etc/academy.conf", "content = ours\n")
        _ = try dir.write("etc/content.d/x.xml", "<x/>")
        let share = root + "/share"
        try FileManager.default.createDirectory(atPath: share + "/QuestionBank", withIntermediateDirectories: true)
        let notHere = { (p: String) in !p.hasPrefix("Courses") && !p.hasPrefix("QuestionBank") && exists(p) }
        let found = try ContentSearch.paths(
            explicit: [], environment: environment, fileExists: notHere, shareCandidates: [root + "/none", share])
        XCTAssertEqual(found, [share + "/QuestionBank", root + "/etc/content.d", root + "/etc/ours"])
        // Nothing anywhere: nil, and the locator says why.
        XCTAssertNil(
            try ContentSearch.paths(
                explicit: [], environment: ["ACADEMY_CONFIG": root + "/none.conf"], fileExists: { _ in false }, shareCandidates: []))
        _ = try dir.write("etc/academy.conf", "colour = red\n")
        XCTAssertThrowsError(try ContentSearch.paths(explicit: [], environment: environment, fileExists: { _ in false })) {
            XCTAssertEqual(($0 as? AcademyConfig.Failure)?.text(in: .en), "\(self.root)/etc/academy.conf:1: unknown key \"colour\" (known: db, content)")
        }
    }

    func testLoadAndItsFailures() throws {
        let loaded = try ContentLocator.load([root + "/Courses", root + "/QuestionBank"])
        XCTAssertEqual(loaded.files.count, 5)
        XCTAssertFalse(loaded.hasErrors, "\(loaded.diagnostics)")
        XCTAssertNil(ContentLocator.errorsNote(loaded))
        XCTAssertEqual(ContentLocator.files([root + "/QuestionBank"])?.count, 2)
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        XCTAssertThrowsError(try ContentLocator.load([root + "/empty"])) {
            XCTAssertEqual(($0 as? ContentLocator.Failure)?.text(in: .en), "no .xml files found in \(root)/empty")
        }
        XCTAssertThrowsError(try ContentLocator.load([root + "/nowhere"]))
    }

    /// The fingerprint is the one `sha256sum` gives for the sorted `<sha256>  <label>` lines.
    func testFingerprintIsReproducibleWithStandardTools() throws {
        let digest = try ContentFingerprint.sha256(paths: [root + "/Courses", root + "/QuestionBank/"])
        let labels = [
            "Courses/cases/cs1.xml", "Courses/course.xml", "Courses/provisions.xml", "QuestionBank/bank.xml", "QuestionBank/blueprint.xml",
        ]
        func hex<D: Sequence>(_ d: D) -> String where D.Element == UInt8 { d.map { String(format: "%02x", $0) }.joined() }
        var listing = ""
        for label in labels.sorted() {
            let data = try Data(contentsOf: dir.url.appendingPathComponent(label))
            listing += hex(SHA256.hash(data: data)) + "  " + label + "\n"
        }
        XCTAssertEqual(digest, hex(SHA256.hash(data: Data(listing.utf8))))
        _ = try dir.write("QuestionBank/bank.xml", Fixtures.bank + " ")
        XCTAssertNotEqual(try ContentFingerprint.sha256(paths: [root + "/Courses", root + "/QuestionBank"]), digest)
    }

    /// Linting only Courses/ of a project widens to the whole project and keeps Courses/' diagnostics;
    /// outside a project the coverage checks that need the missing half are skipped, with a note.
    func testLintScopeWidensInAProjectAndSaysWhatItSkipsOutside() throws {
        let (inProject, none) = try LintReport.check(paths: [root + "/Courses"])
        XCTAssertNil(none)
        XCTAssertEqual(inProject.files.count, 3)
        XCTAssertTrue(inProject.files.allSatisfy { $0.hasPrefix(root + "/Courses/") })
        let alone = try TemporaryDirectory()
        defer { alone.remove() }
        _ = try alone.write("bank.xml", Fixtures.bank)
        let (loaded, note) = try LintReport.check(paths: [alone.url.appendingPathComponent("bank.xml").path])
        XCTAssertFalse(loaded.diagnostics.contains { LintScope.coverageCodes.contains($0.code) })
        XCTAssertEqual(
            note?.text(in: .en),
            "note: the given files have no courses, so coverage checks (questions and lessons per provision) were skipped; run academy lint without paths to check the whole content set")
    }

    func testReportTextJSONAndOutcome() throws {
        let (loaded, _) = try LintReport.check(paths: [root + "/Courses", root + "/QuestionBank"])
        XCTAssertEqual(LintReport.text(loaded, .en), "checked 5 files: 0 errors, 0 warnings\n")
        XCTAssertEqual(LintReport.summary(loaded, .zhHans), "已检查 5 个文件：0 个错误，0 个警告")
        XCTAssertFalse(LintReport.failed(loaded, strict: true))
        var warned = loaded
        warned.diagnostics = [
            Diagnostic(.warning, SourceLocation(file: "f.xml", line: 3, column: 4), BilingualText(zh: "警告", en: "a warning"), code: "w")
        ]
        XCTAssertFalse(LintReport.failed(warned, strict: false))
        XCTAssertTrue(LintReport.failed(warned, strict: true))
        let json = try JSONSerialization.jsonObject(with: Data(LintReport.json(warned, strict: true, .en).utf8)) as? [String: Any]
        XCTAssertEqual(json?["ok"] as? Bool, false)
        XCTAssertEqual(json?["warnings"] as? Int, 1)
        XCTAssertEqual((json?["diagnostics"] as? [[String: Any]])?.first?["message"] as? String, "a warning")
    }
}
