import XCTest

@testable import XMLSupport

final class SchemaTests: XCTestCase {
    override func setUp() { MessageLanguage.override = .en }

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
}
