/// Escaping for XML 1.0 output, and a small streaming writer (used e.g. for XLSX parts).
public enum XMLEscape {
    /// True for characters XML 1.0 allows in a document.
    @inline(__always)
    public static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Escapes `&`, `<`, `>` in character data and drops characters XML cannot represent
    /// (control characters other than tab, newline and carriage return).
    public static func text(_ s: String) -> String { escape(s, attribute: false) }

    /// Escapes for a double-quoted attribute value: also `"`, and tab/newline/CR as character
    /// references so that they survive attribute-value normalisation.
    public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    private static func escape(_ s: String, attribute: Bool) -> String {
        var needs = false
        for u in s.unicodeScalars {
            switch u {
            case "&", "<", ">": needs = true
            case "\"", "\t", "\n", "\r": if attribute { needs = true }
            default: if !isAllowed(u) { needs = true }
            }
            if needs { break }
        }
        if !needs { return s }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.unicodeScalars.count + 16)
        for u in s.unicodeScalars {
            switch u {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where attribute: out.append(contentsOf: "&quot;".unicodeScalars)
            case "\t" where attribute: out.append(contentsOf: "&#9;".unicodeScalars)
            case "\n" where attribute: out.append(contentsOf: "&#10;".unicodeScalars)
            case "\r": out.append(contentsOf: "&#13;".unicodeScalars)
            default: if isAllowed(u) { out.append(u) }
            }
        }
        return String(out)
    }
}

/// Builds an XML document as UTF-8 text. Elements must be closed in order; `finish()` closes
/// whatever is still open.
public struct XMLWriter {
    public private(set) var output: String
    private var open: [String] = []
    private var startTagOpen = false

    public init(declaration: Bool = true, standalone: Bool = false) {
        output =
            declaration
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"\(standalone ? " standalone=\"yes\"" : "")?>\n" : ""
    }

    private mutating func closeStartTag() {
        if startTagOpen {
            output += ">"
            startTagOpen = false
        }
    }

    /// Opens `<name a="v" …`. Attributes are written in the order given; nil values are skipped.
    public mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        closeStartTag()
        output += "<" + name
        for (k, v) in attributes {
            if let v { output += " " + k + "=\"" + XMLEscape.attribute(v) + "\"" }
        }
        startTagOpen = true
        open.append(name)
    }

    public mutating func start(_ name: String, attributeList: [(String, String)]) {
        closeStartTag()
        output += "<" + name
        for (k, v) in attributeList { output += " " + k + "=\"" + XMLEscape.attribute(v) + "\"" }
        startTagOpen = true
        open.append(name)
    }

    public mutating func text(_ s: String) {
        closeStartTag()
        output += XMLEscape.text(s)
    }

    /// Appends already-serialised XML unchanged.
    public mutating func raw(_ s: String) {
        closeStartTag()
        output += s
    }

    public mutating func end() {
        guard let name = open.popLast() else { return }
        if startTagOpen {
            output += "/>"
            startTagOpen = false
        } else {
            output += "</" + name + ">"
        }
    }

    /// `<name attrs>text</name>` in one call.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text: String? = nil) {
        start(name, attributes)
        if let text { self.text(text) }
        end()
    }

    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        return output
    }
}
