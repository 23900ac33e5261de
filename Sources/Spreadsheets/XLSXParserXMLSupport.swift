import Foundation
import Localization
import XMLSupport

// XLSX parts are parsed by the project's XML module (libxml2 behind XMLSupport): no DOCTYPE, no
// network, no entity expansion, exact line numbers.

extension XElement: XLSXElement {
    var localName: String {
        guard let colon = name.utf8.lastIndex(of: UInt8(ascii: ":")) else { return name }
        return String(name[name.utf8.index(after: colon)...])
    }

    var line: Int { position.line }

    func attribute(_ localName: String, prefixed: Bool) -> String? {
        for a in attributes {
            if prefixed {
                if a.name.utf8.count > localName.utf8.count + 1, a.name.hasSuffix(":" + localName) { return a.value }
            } else if a.name == localName {
                return a.value
            }
        }
        return nil
    }

    var childElements: [XElement] { children }

    func firstChildElement(_ localName: String) -> XElement? {
        for case .element(let e) in nodes {
            if e.name == localName { return e }
            if e.name.utf8.count > localName.utf8.count + 1, e.name.hasSuffix(":" + localName) { return e }
        }
        return nil
    }

    var textContent: String { text }
}

struct DefaultXLSXParser: XLSXXMLParser {
    var maxBytes: Int

    func parse(_ bytes: [UInt8], file: String) throws -> XElement {
        if XMLPrologCheck.hasDoctype(bytes) {
            throw SpreadsheetError(
                .malformedXML, file: file, line: 1,
                en: "the part has a DOCTYPE declaration, which XLSX never uses; refused for safety",
                zh: "该部件包含 DOCTYPE 声明（XLSX 不会使用），出于安全考虑拒绝读取")
        }
        let result = XMLReader.parse(bytes: bytes, options: XMLReadOptions(maxBytes: maxBytes))
        let firstError = result.problems.first { $0.severity == .error }
        if let root = result.root, firstError == nil { return root }
        let message = firstError?.message ?? BilingualText("no root element")
        let kind: SpreadsheetError.Kind = firstError?.code == "xml-too-large" ? .sizeLimit : .malformedXML
        throw SpreadsheetError(
            kind, file: file, line: firstError?.position.line, column: firstError?.position.column,
            en: "the part is not well-formed XML: \(message.en)",
            zh: "该部件不是格式正确的 XML：\(message.zh)")
    }
}
