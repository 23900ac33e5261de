import XCTest

@testable import XMLSupport

final class ParsingTests: XCTestCase {

    func parse(_ s: String) -> XMLParseResult { XMLReader.parse(bytes: Array(s.utf8)) }

    func testElementsAttributesTextAndPositions() throws {
        let r = parse("<?xml version=\"1.0\"?>\n<a x=\"1\">\n  <b  y='中文'>文本&amp;<![CDATA[<x>]]></b><c/>\n</a>\n")
        XCTAssertEqual(r.problems, [])
        let root = try XCTUnwrap(r.root)
        XCTAssertEqual(root.name, "a")
        XCTAssertEqual(root[attribute: "x"], "1")
        XCTAssertEqual(root.position, XMLPosition(line: 2, column: 1))
        let b = try XCTUnwrap(root.firstChild(named: "b"))
        XCTAssertEqual(b.position, XMLPosition(line: 3, column: 3))
        XCTAssertEqual(b[attribute: "y"], "中文")
        XCTAssertEqual(b.text, "文本&<x>")
        // Columns count characters, not bytes: 文本&amp;<![CDATA[<x>]]></b> precede <c/>.
        let c = try XCTUnwrap(root.firstChild(named: "c"))
        XCTAssertEqual(c.position, XMLPosition(line: 3, column: 3 + "<b  y='中文'>文本&amp;<![CDATA[<x>]]></b>".count))
    }

    func testStartTagSpanningLinesReportsItsFirstLine() throws {
        let r = parse("<a>\n<b\n  x='>'\n  y=\"2\"/></a>")
        let b = try XCTUnwrap(r.root?.children.first)
        XCTAssertEqual(b.position, XMLPosition(line: 2, column: 1))
    }

    func testLinesPast65535AreExact() throws {
        var s = "<root>\n"
        for i in 0..<70_000 { s += "<item n=\"\(i)\"/>\n" }
        s += "  <last/>\n</root>\n"
        let r = parse(s)
        XCTAssertEqual(r.problems, [])
        let items = try XCTUnwrap(r.root).children
        XCTAssertEqual(items[69_999].position, XMLPosition(line: 70_001, column: 1))
        XCTAssertEqual(items.last?.name, "last")
        XCTAssertEqual(items.last?.position, XMLPosition(line: 70_002, column: 3))
    }

    func testSyntaxErrorPastLine65535HasExactLine() throws {
        var s = "<root>\n"
        for _ in 0..<70_000 { s += "<item/>\n" }
        s += "<bad></root>\n"
        let r = parse(s)
        XCTAssertNil(r.root)
        XCTAssertEqual(r.problems.first?.position.line, 70_002)
        XCTAssertEqual(r.problems.first?.code, "xml-syntax")
    }

    func testWriterEscapes() {
        var w = XMLWriter()
        w.start("a", ["k": "x\"<&>\n", "skip": nil])
        w.text("1 < 2 & \u{1}ok")
        w.element("b")
        let out = w.finish()
        XCTAssertEqual(
            out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a k=\"x&quot;&lt;&amp;&gt;&#10;\">1 &lt; 2 &amp; ok<b/></a>")
        let back = XMLReader.parse(bytes: Array(out.utf8))
        XCTAssertEqual(back.root?[attribute: "k"], "x\"<&>\n")
    }
}

final class StreamingTests: XCTestCase {
    func testLargeDocumentStreamsChildrenInOrderWithExactContent() throws {
        // Over 512 KB, so the value tree is built on the helper thread.
        var s = "<?xml version=\"1.0\"?>\n<bank id=\"b\">\n"
        for i in 0..<20_000 {
            s += "  <q id=\"q\(i)\" t=\"a&amp;b\"><stem>题目\(i) &lt;x&gt;</stem><![CDATA[c\(i)]]></q>\n"
            if i % 5000 == 0 { s += "  <keep n=\"\(i)\">留</keep>\n" }
        }
        s += "</bank>\n"
        XCTAssertGreaterThan(s.utf8.count, 1_000_000)
        let box = Collected()
        let r = XMLReader.parse(bytes: Array(s.utf8), onChild: { e in box.take(e) })
        XCTAssertEqual(r.problems, [])
        XCTAssertEqual(box.elements.count, 20_000)
        for (i, e) in box.elements.enumerated() {
            XCTAssertEqual(e[attribute: "id"], "q\(i)")
            XCTAssertEqual(e[attribute: "t"], "a&b")
            XCTAssertEqual(e.firstChild(named: "stem")?.text, "题目\(i) <x>")
            XCTAssertEqual(e.text, "题目\(i) <x>c\(i)")
            if i == 0 || i == 19_999 { XCTAssertEqual(e.position.column, 3) }
        }
        let kept = try XCTUnwrap(r.root).children
        XCTAssertEqual(kept.map { $0[attribute: "n"] }, ["0", "5000", "10000", "15000"])
        XCTAssertEqual(kept.first?.position, XMLPosition(line: 4, column: 3))
    }
}

final class Collected: @unchecked Sendable {
    let name: String
    var elements: [XElement] = []
    init(name: String = "q") { self.name = name }
    func take(_ e: XElement) -> Bool {
        guard e.name == name else { return false }
        elements.append(e)
        return true
    }
}

final class WhitespaceAndDepthTests: XCTestCase {
    func testIndentationIsDroppedButWhitespaceOnlyContentIsKept() throws {
        let r = XMLReader.parse(bytes: Array("<a>\n  <t>\n</t>\n  <u> </u>\n  <m>x\n  <b/>\n</m>\n</a>".utf8))
        let root = try XCTUnwrap(r.root)
        XCTAssertEqual(root.nodes.count, 3)
        XCTAssertEqual(root.firstChild(named: "t")?.text, "\n")
        XCTAssertEqual(root.firstChild(named: "u")?.text, " ")
        XCTAssertEqual(root.firstChild(named: "m")?.nodes.count, 2)
        XCTAssertEqual(root.firstChild(named: "m")?.text, "x\n  ")
    }

    func testStreamingAtDepthTwo() throws {
        var s = "<worksheet><sheetData>\n"
        for i in 0..<50_000 { s += "<row r=\"\(i + 1)\"><c><v>\(i)</v></c></row>\n" }
        s += "</sheetData></worksheet>"
        let box = Collected(name: "row")
        let r = XMLReader.parse(bytes: Array(s.utf8), streamDepth: 2, onChild: { box.take($0) })
        XCTAssertEqual(r.problems, [])
        XCTAssertEqual(box.elements.count, 50_000)
        XCTAssertEqual(box.elements.last?.text, "49999")
        XCTAssertEqual(box.elements.last?.position.line, 50_001)
        XCTAssertEqual(try XCTUnwrap(r.root).firstChild(named: "sheetData")?.nodes.count, 0)
    }
}
