import Foundation
import Localization

/// Every failure of this module: it names the file, the line (and the column where relevant) and
/// says what is wrong in English and in Chinese. `description` is the English
/// `file:line:col: error: …` form; `located(in:)` either.
public struct SpreadsheetError: BilingualError, Sendable, Equatable {
    public enum Kind: String, Sendable, Hashable {
        /// The file could not be opened or read.
        case unreadable
        /// Bytes that are neither UTF-8 nor GB18030 (or broken UTF-16).
        case encoding
        /// A quoted CSV field that never ends, or text after a closing quote.
        case malformedCSV
        /// The file looks like something else (legacy .xls, binary data, …).
        case unsupportedFormat
        /// A zip archive that cannot be read, or whose content fails its checksum.
        case corruptArchive
        /// A part the workbook needs is missing (workbook.xml, the first sheet, …).
        case missingPart
        /// A part that is not well-formed XML or not SpreadsheetML as expected.
        case malformedXML
        /// A zip entry or a file larger than the configured limit (zip bombs included).
        case sizeLimit
        /// A character the output encoding or XML 1.0 cannot carry.
        case unrepresentableCharacter
        /// A value the writer refuses (non-finite number, bad sheet name, …).
        case invalidValue
        /// The destination cannot be written, or a write/rename failed.
        case writeFailed
    }

    public var kind: Kind
    /// The file (for XLSX parts: `book.xlsx › xl/worksheets/sheet1.xml`).
    public var file: String
    /// 1-based line (CSV physical line, XML line, or XLSX row number); nil when not applicable.
    public var line: Int?
    /// 1-based column (CSV field index / XLSX column index / XML column); nil when not applicable.
    public var column: Int?
    /// The byte offset in the file, when the problem is at a specific byte (encoding errors).
    public var byteOffset: Int?
    public var english: String
    public var chinese: String

    public init(
        _ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil,
        en: String, zh: String
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
        self.english = en
        self.chinese = zh
    }

    /// `file:line:col: error: message` in English (the GCC-style form editors understand).
    public var description: String { located(in: .en) }

    /// `file:line:col: error: message` (`错误：` in Chinese) in `language`.
    public func located(in language: Language) -> String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return language.pick(zh: "\(location): 错误：\(chinese)", en: "\(location): error: \(english)")
    }

    /// The message alone.
    public var message: BilingualText { BilingualText(zh: chinese, en: english) }
}

/// Spreadsheet column letters: 1 → "A", 27 → "AA".
public enum ColumnName {
    public static func letters(_ index: Int) -> String {
        precondition(index >= 1)
        var n = index
        var result: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            result.append(Character(UnicodeScalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(result.reversed())
    }

    /// Parses the letters of a cell reference ("C5" → column 3, row 5). Nil when malformed.
    public static func parseReference(_ ref: String) -> (column: Int, row: Int?)? {
        var column = 0
        var row = 0
        var sawDigit = false
        var sawLetter = false
        for b in ref.utf8 {
            switch b {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                if sawDigit { return nil }
                sawLetter = true
                column = column * 26 + Int((b | 0x20) - UInt8(ascii: "a")) + 1
                if column > 16_384 { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(b - UInt8(ascii: "0"))
                if row > 1_048_576 { return nil }
            default:
                return nil
            }
        }
        guard sawLetter else { return nil }
        return (column, sawDigit ? row : nil)
    }
}
