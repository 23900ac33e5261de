import XCTest

@testable import XMLSupport

final class EncodingTests: XCTestCase {

    func testUTF8ByteOrderMarkIsReadCorrectly() throws {
        let r = XMLReader.parse(
            bytes: [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r a=\"中\">执法</r>".utf8))
        XCTAssertEqual(r.problems, [])
        let root = try XCTUnwrap(r.root)
        XCTAssertEqual(root.text, "执法")
        XCTAssertEqual(root[attribute: "a"], "中")
        XCTAssertEqual(root.position, XMLPosition(line: 2, column: 1))
    }

    func testUTF8ByteOrderMarkWithoutDeclaration() throws {
        let r = XMLReader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("<r>执法</r>".utf8))
        XCTAssertEqual(try XCTUnwrap(r.root).text, "执法")
    }

    func utf16(_ s: String, littleEndian: Bool, bom: Bool = true) -> [UInt8] {
        var out: [UInt8] = bom ? (littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]) : []
        for u in s.utf16 {
            let lo = UInt8(u & 0xFF), hi = UInt8(u >> 8)
            out += littleEndian ? [lo, hi] : [hi, lo]
        }
        return out
    }

    func testUTF16LittleAndBigEndianAreReadCorrectly() throws {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r a=\"𠀀\">\n  <c>城管执法</c></r>"
        for le in [true, false] {
            let r = XMLReader.parse(bytes: utf16(doc, littleEndian: le))
            XCTAssertEqual(r.problems, [], "le=\(le)")
            let root = try XCTUnwrap(r.root)
            XCTAssertEqual(root[attribute: "a"], "𠀀")
            XCTAssertEqual(root.firstChild(named: "c")?.text, "城管执法")
            XCTAssertEqual(root.firstChild(named: "c")?.position, XMLPosition(line: 3, column: 3))
        }
    }

    func testUTF16WithoutBOMIsDetected() throws {
        let r = XMLReader.parse(
            bytes: utf16("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r>文</r>", littleEndian: true, bom: false))
        XCTAssertEqual(try XCTUnwrap(r.root).text, "文")
    }

    func testTruncatedUTF16IsAnEncodingError() {
        var bytes = utf16("<r>文</r>", littleEndian: true)
        bytes.removeLast()
        XCTAssertEqual(XMLReader.parse(bytes: bytes).problems.first?.code, "xml-encoding")
    }

    func testGBKAndGB18030TextLabelledGB2312IsReadCorrectly() throws {
        // 朱镕基 (镕 is GBK-only, not GB2312) and 𠀀 (a four-byte GB18030 sequence).
        let body: [UInt8] = [0xD6, 0xEC, 0xE9, 0x46, 0xBB, 0xF9, 0x95, 0x32, 0x82, 0x36]
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<r t=\"".utf8) + body + Array("\">".utf8) + body
            + Array("</r>".utf8)
        let r = XMLReader.parse(bytes: bytes)
        XCTAssertEqual(r.problems, [])
        let root = try XCTUnwrap(r.root)
        XCTAssertEqual(root.text, "朱镕基𠀀")
        XCTAssertEqual(root[attribute: "t"], "朱镕基𠀀")
        for label in ["GBK", "gb18030", "CP936"] {
            let b = Array("<?xml version=\"1.0\" encoding=\"\(label)\"?><r>".utf8) + body + Array("</r>".utf8)
            XCTAssertEqual(XMLReader.parse(bytes: b).root?.text, "朱镕基𠀀", label)
        }
    }

    func testGBKBytesLabelledUTF8AreAClearError() throws {
        // "中文" in GBK, declared UTF-8.
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\n".utf8) + [0xD6, 0xD0, 0xCE, 0xC4] + Array("</r>".utf8)
        let r = XMLReader.parse(bytes: bytes)
        XCTAssertNil(r.root)
        let p = try XCTUnwrap(r.problems.first)
        XCTAssertEqual(p.code, "xml-encoding")
        XCTAssertEqual(p.position.line, 3)
        XCTAssertTrue(p.message.en.contains("not valid UTF-8"), p.message.en)
        XCTAssertTrue(p.message.en.contains("GB18030"), p.message.en)
    }

    func testUnknownEncodingLabel() throws {
        let r = XMLReader.parse(bytes: Array("<?xml version=\"1.0\" encoding=\"klingon-8\"?><r/>".utf8))
        XCTAssertEqual(r.problems.first?.code, "xml-encoding")
        XCTAssertTrue(try XCTUnwrap(r.problems.first).message.en.contains("klingon-8"))
    }

    func testInvalidBytesForDeclaredGB18030() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<r>".utf8) + [0xFF, 0xFF] + Array("</r>".utf8)
        let p = try XCTUnwrap(XMLReader.parse(bytes: bytes).problems.first)
        XCTAssertEqual(p.code, "xml-encoding")
        XCTAssertEqual(p.position.line, 2)
    }

    func testUTF8TextLabelledASCIIIsAnError() {
        let r = XMLReader.parse(bytes: Array("<?xml version=\"1.0\" encoding=\"US-ASCII\"?><r>执法</r>".utf8))
        XCTAssertEqual(r.problems.first?.code, "xml-encoding")
    }

    func testUTF16LabelOnSingleByteFileIsAnError() {
        let r = XMLReader.parse(bytes: Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r/>".utf8))
        XCTAssertEqual(r.problems.first?.code, "xml-encoding")
    }

    func testBOMContradictingDeclaration() {
        let r = XMLReader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\" encoding=\"GBK\"?><r/>".utf8))
        XCTAssertEqual(r.problems.first?.code, "xml-encoding")
    }
}
