import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// INTERIM: until XMLSupport lands on main, parts are parsed with Foundation's SAX parser into a
// small tree. XLSXParserXMLSupport.swift replaces it (see the note there). Known limit of this
// interim parser: sheets above ~50 MB of XML fail to parse.
#if !SPREADSHEETS_USE_XMLSUPPORT

struct SimpleElement: XLSXElement {
    var localName: String
    var line: Int
    var attributes: [(name: String, value: String)]
    var childElements: [SimpleElement]
    var textContent: String {
        var s = ownText
        for c in childElements { s += c.textContent }
        return s
    }
    var ownText: String

    func attribute(_ localName: String, prefixed: Bool) -> String? {
        for a in attributes {
            if prefixed {
                if a.name.hasSuffix(":" + localName) { return a.value }
            } else if a.name == localName {
                return a.value
            }
        }
        return nil
    }
}

struct DefaultXLSXParser: XLSXXMLParser {
    var maxBytes: Int

    func parse(_ bytes: [UInt8], file: String) throws -> SimpleElement {
        if XMLPrologCheck.hasDoctype(bytes) {
            throw SpreadsheetError(.malformedXML, file: file, line: 1,
                                   en: "the part has a DOCTYPE declaration, which XLSX never uses; refused for safety",
                                   zh: "该部件包含 DOCTYPE 声明（XLSX 不会使用），出于安全考虑拒绝读取")
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder(parser: parser)
        parser.delegate = builder
        if !parser.parse() || builder.root == nil {
            throw SpreadsheetError(.malformedXML, file: file, line: max(parser.lineNumber, 1),
                                   en: "the part is not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "no root element"))",
                                   zh: "该部件不是格式正确的 XML")
        }
        return builder.root!
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    weak var parser: XMLParser?
    var stack: [SimpleElement] = []
    var root: SimpleElement?

    init(parser: XMLParser) { self.parser = parser }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(SimpleElement(localName: local, line: parser.lineNumber,
                                   attributes: attributeDict.map { ($0.key, $0.value) }, childElements: [], ownText: ""))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let done = stack.removeLast()
        if stack.isEmpty { root = done } else { stack[stack.count - 1].childElements.append(done) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !stack.isEmpty { stack[stack.count - 1].ownText += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !stack.isEmpty { stack[stack.count - 1].ownText += String(decoding: CDATABlock, as: UTF8.self) }
    }
}
#endif
