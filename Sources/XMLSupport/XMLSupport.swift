// XMLSupport: the only module that talks to libxml2. No libxml2 pointer leaves it.
//
// What it hands out are Swift values: `XElement` trees with exact 1-based line/column positions,
// and `XMLProblem`s (line, column, message, stable code) for everything that went wrong.
//
// Reading:   XMLReader.read(file:) / XMLReader.parse(bytes:) → XMLParseResult(root, problems)
//            - UTF-8 (with or without BOM), UTF-16 (BOM or detected), GB2312/GBK/GB18030 labels
//              (decoded as GB18030), other labels via iconv; a wrong label is an `xml-encoding`
//              problem. Files over XMLReadOptions.maxBytes (64 MB) are refused before reading.
//            - Never: DOCTYPE (refused, `xml-doctype`), entity expansion, network or file access,
//              more than 256 levels (`xml-too-deep`) or 256 attributes on a tag.
//            - `schemas:` + `schemaFor:` validate against an in-memory XSD set in the same pass.
//            - `streamDepth:` + `onChild:` hand over completed elements (e.g. bank questions, XLSX
//              rows) without keeping the whole tree.
// Writing:   XMLWriter (streaming, escaping) and XMLEscape.text / XMLEscape.attribute.
// Messages:  BilingualText (Localization); whoever shows a problem picks the language.

import Localization

/// A 1-based position in a source file. Columns count Unicode scalars from the line start.
public struct XMLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: XMLPosition, b: XMLPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

public struct XAttribute: Hashable, Sendable {
    /// The qualified name as written, e.g. `id` or `xsi:noNamespaceSchemaLocation`.
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Element content in document order. Whitespace-only text that contains a line break and sits
/// next to child elements (indentation) is not kept; as an element's only content it is.
public enum XNode: Hashable, Sendable {
    case element(XElement)
    /// Character data (text or CDATA), entity references already replaced.
    case text(String)
}

/// An element of a parsed document, as a plain value.
public struct XElement: Hashable, Sendable {
    public var name: String
    public var attributes: [XAttribute]
    public var nodes: [XNode]
    /// Where the element's start tag (`<`) begins.
    public var position: XMLPosition

    public init(
        name: String, attributes: [XAttribute] = [], nodes: [XNode] = [],
        position: XMLPosition = XMLPosition(line: 1, column: 1)
    ) {
        self.name = name
        self.attributes = attributes
        self.nodes = nodes
        self.position = position
    }

    /// The value of the attribute `name`, or nil.
    public subscript(attribute name: String) -> String? {
        for a in attributes where a.name == name { return a.value }
        return nil
    }

    /// Child elements in order.
    public var children: [XElement] {
        nodes.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    public func children(named name: String) -> [XElement] {
        nodes.compactMap { if case .element(let e) = $0, e.name == name { return e } else { return nil } }
    }

    public func firstChild(named name: String) -> XElement? {
        for case .element(let e) in nodes where e.name == name { return e }
        return nil
    }

    /// All character data of this element and its descendants, concatenated.
    public var text: String {
        var out = ""
        appendText(to: &out)
        return out
    }

    private func appendText(to out: inout String) {
        for n in nodes {
            switch n {
            case .text(let t): out += t
            case .element(let e): e.appendText(to: &out)
            }
        }
    }
}

/// Something wrong with a document: not well-formed, badly encoded, too big, forbidden
/// (DOCTYPE), or invalid against its schema.
public struct XMLProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case warning, error
    }

    public var severity: Severity
    public var position: XMLPosition
    public var message: BilingualText
    /// A stable identifier: `xml-syntax`, `xml-encoding`, `xml-doctype`, `xml-too-large`,
    /// `xml-too-deep`, `xml-io`, `xsd-invalid`.
    public var code: String

    public init(_ severity: Severity, _ position: XMLPosition, _ message: BilingualText, code: String) {
        self.severity = severity
        self.position = position
        self.message = message
        self.code = code
    }

    /// `line:col: severity: message` in `language`.
    public func text(in language: Language) -> String { "\(position): \(severity.rawValue): \(message.text(in: language))" }

    /// Both languages, for logs and tests.
    public var description: String { "\(position): \(severity.rawValue): \(message)" }
}

/// The outcome of reading one document.
public struct XMLParseResult: Sendable {
    /// The root element, when the document was well-formed (even if schema-invalid).
    public var root: XElement?
    public var problems: [XMLProblem]
    /// True when the document parsed but failed its schema.
    public var schemaInvalid: Bool { problems.contains { $0.code == "xsd-invalid" } }

    public init(root: XElement?, problems: [XMLProblem]) {
        self.root = root
        self.problems = problems
    }
}

public struct XMLReadOptions: Sendable {
    /// Files above this size are rejected before being read.
    public var maxBytes: Int

    public static let defaultMaxBytes = 64 * 1024 * 1024

    public init(maxBytes: Int = XMLReadOptions.defaultMaxBytes) {
        self.maxBytes = maxBytes
    }
}
