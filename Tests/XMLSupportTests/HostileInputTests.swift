import Foundation
import XCTest

@testable import XMLSupport

/// Hostile and broken input: a clear error (or, where valid, a correct read); never a leak of
/// another file's content, network access, a hang, memory exhaustion or a crash.
final class HostileInputTests: XCTestCase {

    func parse(_ s: String) -> XMLParseResult { XMLReader.parse(bytes: Array(s.utf8)) }

    func assertRejected(_ r: XMLParseResult, code: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(r.root, file: file, line: line)
        XCTAssertEqual(r.problems.first?.code, code, "\(r.problems)", file: file, line: line)
    }

    func testExternalEntityXXEIsRejectedWithoutLeakingTheFile() throws {
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        let dir = try TemporaryFile(contents: secret)
        defer { dir.remove() }
        let doc = """
            <?xml version="1.0"?>
            <!DOCTYPE r [ <!ENTITY xxe SYSTEM "file://\(dir.path)"> ]>
            <r>&xxe;</r>
            """
        let r = parse(doc)
        assertRejected(r, code: "xml-doctype")
        XCTAssertEqual(r.problems.first?.position, XMLPosition(line: 2, column: 1))
        XCTAssertFalse(r.problems.contains { $0.message.en.contains(secret) })
        XCTAssertTrue(r.problems[0].message.en.contains("DOCTYPE"))
    }

    func testParameterEntityXXEIsRejected() {
        let r = parse(#"<!DOCTYPE r [ <!ENTITY % p SYSTEM "file:///etc/passwd"> %p; ]><r/>"#)
        assertRejected(r, code: "xml-doctype")
        XCTAssertFalse(r.problems.contains { $0.message.en.contains("root:") })
    }

    func testExternalDTDIsNeverFetched() {
        let started = Date()
        // A routable-looking address that would hang if fetched.
        let r = parse(#"<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://10.255.255.1/evil.dtd"><r/>"#)
        assertRejected(r, code: "xml-doctype")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testBillionLaughs() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for i in 1...9 {
            let prev = i == 1 ? "lol" : "lol\(i - 1)"
            doc += " <!ENTITY lol\(i) \"" + String(repeating: "&\(prev);", count: 10) + "\">\n"
        }
        doc += "]>\n<lolz>&lol9;</lolz>\n"
        assertRejected(parse(doc), code: "xml-doctype")
    }

    func testQuadraticBlowUp() {
        let big = String(repeating: "x", count: 50_000)
        let doc = "<!DOCTYPE kaboom [<!ENTITY a \"\(big)\">]>\n<kaboom>" + String(repeating: "&a;", count: 50_000) + "</kaboom>"
        assertRejected(parse(doc), code: "xml-doctype")
    }

    func testUndeclaredEntityIsASyntaxError() {
        assertRejected(parse("<r>&nope;</r>"), code: "xml-syntax")
    }

    func testNesting100000DeepIsAClearErrorNotACrash() {
        let n = 100_000
        let doc = String(repeating: "<a>", count: n) + String(repeating: "</a>", count: n)
        let r = parse(doc)
        assertRejected(r, code: "xml-too-deep")
        XCTAssertTrue(r.problems[0].message.en.contains("nested too deeply"))
    }

    func testNesting200DeepIsFine() throws {
        let n = 200
        let r = parse(String(repeating: "<a>", count: n) + "x" + String(repeating: "</a>", count: n))
        XCTAssertEqual(r.problems, [])
        XCTAssertEqual(try XCTUnwrap(r.root).text, "x")
    }

    func test300MBFileIsRejectedBeforeReading() throws {
        let f = try TemporaryFile(contents: "")
        defer { f.remove() }
        // Sparse: 300 MB long, costs no disk or time to create.
        XCTAssertEqual(truncate(f.path, 300 * 1024 * 1024), 0)
        let started = Date()
        let r = XMLReader.read(file: f.path)
        assertRejected(r, code: "xml-too-large")
        XCTAssertTrue(r.problems[0].message.en.contains("300.0 MB"), r.problems[0].message.en)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testOversizedBufferIsRejected() {
        let r = XMLReader.parse(bytes: Array(repeating: 0x20, count: 2048), options: XMLReadOptions(maxBytes: 1024))
        assertRejected(r, code: "xml-too-large")
    }

    func testBinaryJunk() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }
            let r = XMLReader.parse(bytes: bytes)
            XCTAssertNil(r.root)
            XCTAssertFalse(r.problems.isEmpty)
        }
        // Junk after a plausible start.
        let r = XMLReader.parse(bytes: Array("<r>".utf8) + [0x00, 0xFF, 0xFE, 0x01, 0x02] + Array("</r>".utf8))
        XCTAssertNil(r.root)
    }

    func testEmptyFile() {
        assertRejected(XMLReader.parse(bytes: []), code: "xml-syntax")
    }

    func testTruncatedFile() {
        let doc = "<?xml version=\"1.0\"?>\n<bank>\n  <q id=\"1\">文本</q>\n  <q id=\"2\">文"
        let r = parse(doc)
        assertRejected(r, code: "xml-syntax")
        XCTAssertEqual(r.problems[0].position.line, 4)
    }

    func testFileNotFound() {
        assertRejected(XMLReader.read(file: "/nonexistent/\(UUID().uuidString).xml"), code: "xml-io")
    }

    func testHundredThousandAttributesAreRefusedQuickly() {
        let attrs = (0..<100_000).map { "a\($0)=\"\($0)\"" }.joined(separator: " ")
        let started = Date()
        let r = parse("<r>\n  <e x='>'/>\n  <!-- a=b -->\n  <big \(attrs)/></r>")
        assertRejected(r, code: "xml-too-many-attributes")
        XCTAssertEqual(r.problems.first?.position, XMLPosition(line: 4, column: 3))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testManyAttributesDoNotHang() {
        let attrs = (0..<250).map { "a\($0)=\"\($0)\"" }.joined(separator: " ")
        let started = Date()
        let r = parse("<r \(attrs)/>")
        XCTAssertEqual(r.root?.attributes.count, 250)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}

/// A temporary file removed by `remove()`.
struct TemporaryFile {
    let path: String
    init(contents: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("academy-\(UUID().uuidString)").path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
