import XCTest

@testable import XMLSupport

final class SchemaTests: XCTestCase {

    static let schemas = XMLSchemaSet(files: [
        "types.xsd": """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:simpleType name="Small"><xs:restriction base="xs:int"><xs:maxInclusive value="3"/></xs:restriction></xs:simpleType>
        </xs:schema>
        """,
        "main.xsd": """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:include schemaLocation="types.xsd"/>
          <xs:element name="r"><xs:complexType><xs:sequence>
            <xs:element name="i" maxOccurs="unbounded"><xs:complexType><xs:attribute name="n" type="Small" use="required"/></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """,
        "broken.xsd":
            "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"/etc/passwd\"/></xs:schema>",
    ])

    func validate(_ s: String) -> XMLParseResult {
        XMLReader.parse(bytes: Array(s.utf8), schemas: Self.schemas, schemaFor: { _ in "main.xsd" })
    }

    func testValidDocument() {
        XCTAssertEqual(validate("<r><i n=\"1\"/><i n=\"3\"/></r>").problems, [])
    }

    func testEveryErrorIsReportedWithItsElementPosition() {
        let r = validate("<r>\n  <i n=\"1\"/>\n  <i   n=\"9\"/>\n  <i/>\n  <x/>\n</r>")
        XCTAssertNotNil(r.root)
        XCTAssertTrue(r.schemaInvalid)
        let positions = r.problems.map(\.position)
        XCTAssertTrue(positions.contains(XMLPosition(line: 3, column: 3)), "\(r.problems)")
        XCTAssertTrue(positions.contains(XMLPosition(line: 4, column: 3)), "\(r.problems)")
        XCTAssertTrue(r.problems.allSatisfy { $0.code == "xsd-invalid" })
        XCTAssertGreaterThanOrEqual(r.problems.count, 3)
    }

    func testSchemaErrorPastLine65535IsExact() {
        var s = "<r>\n"
        for _ in 0..<70_000 { s += "<i n=\"1\"/>\n" }
        s += "<i n=\"7\"/>\n</r>\n"
        let r = validate(s)
        XCTAssertEqual(r.problems.map(\.position), [XMLPosition(line: 70_002, column: 1)], "\(r.problems)")
    }

    func testIncludesNeverReachTheFileSystem() {
        XCTAssertThrowsError(try Self.schemas.check("broken.xsd"))
    }

    // MARK: long text runs (issue 9 §5)

    static let textSchemas = XMLSchemaSet(files: [
        "text.xsd": """
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="r"><xs:complexType><xs:sequence>
            <xs:element name="t" maxOccurs="unbounded"><xs:simpleType><xs:restriction base="xs:string">
              <xs:maxLength value="1000000"/></xs:restriction></xs:simpleType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
        </xs:schema>
        """
    ])

    func validateText(_ s: String) -> XMLParseResult {
        XMLReader.parse(bytes: Array(s.utf8), schemas: Self.textSchemas, schemaFor: { _ in "text.xsd" })
    }

    /// The validator is handed each text run whole (libxml2 delivers it in ~300-byte pieces);
    /// what it and the tree see must be exactly the text, pieces, references, CDATA and all.
    func testLongTextRunsReachValidatorAndTreeIntact() throws {
        let cjk = String(repeating: "城市管理执法人员应当严格规范执法行为。", count: 20_000)  // 380,000 characters
        let mixed = "甲&amp;乙<![CDATA[<丙>]]>丁<!-- 注释 -->戊&#x4E00;"
        let r = validateText("<r><t>\(cjk)</t><t>\(mixed)</t><t></t></r>")
        XCTAssertEqual(r.problems, [])
        let texts = try XCTUnwrap(r.root).children.map(\.text)
        XCTAssertEqual(texts.count, 3)
        XCTAssertEqual(texts[0], cjk)
        XCTAssertEqual(texts[1], "甲&乙<丙>丁戊一")
        XCTAssertEqual(texts[2], "")
    }

    /// A facet over a long run is still checked, against the whole run, at the element.
    func testFacetOverLongRunIsReportedAtItsElement() {
        let long = String(repeating: "执", count: 1_000_001)
        let r = validateText("<r>\n<t>短</t>\n<t>\(long)</t>\n</r>")
        XCTAssertTrue(r.schemaInvalid)
        XCTAssertEqual(r.problems.map(\.position), [XMLPosition(line: 3, column: 1)], "\(r.problems.map(\.message.en))")
        XCTAssertTrue(r.problems.first?.message.en.contains("1000001") == true || r.problems.first?.message.en.contains("length") == true)
    }
}
