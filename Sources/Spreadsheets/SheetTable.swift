import Foundation

/// One record of a spreadsheet as read from a file.
///
/// `line` is the 1-based physical line on which a CSV record starts (a quoted field may span
/// several lines), or the row number (`<row r="…">`) of an XLSX row. Consumers use it in error
/// messages, so it always points at what a person sees in a text editor or in Excel.
public struct SheetRow: Sendable, Hashable {
    public var line: Int
    public var cells: [String]

    public init(line: Int, cells: [String]) {
        self.line = line
        self.cells = cells
    }

    /// The cell at a 0-based column index, or "" when the row is shorter (ragged rows are normal).
    public subscript(column: Int) -> String {
        column >= 0 && column < cells.count ? cells[column] : ""
    }

    /// True when every cell is empty or whitespace only (for example a row of `,,,` or an XLSX row
    /// with formatting but no values). Readers keep such rows; consumers decide what they mean.
    public var isBlank: Bool {
        cells.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }
}

/// A whole table: `rows[0]` is the header row (when the file is not empty).
public struct SheetTable: Sendable, Hashable {
    /// The file the table came from, as given to the reader (used in messages).
    public var source: String
    public var rows: [SheetRow]
    /// How the bytes were decoded (CSV) or `.xlsx`.
    public var format: SheetFormat

    public init(source: String, rows: [SheetRow], format: SheetFormat = .csv(.utf8)) {
        self.source = source
        self.rows = rows
        self.format = format
    }

    public var header: SheetRow? { rows.first }
    public var dataRows: ArraySlice<SheetRow> { rows.dropFirst() }
}

/// What a reader found on disk.
public enum SheetFormat: Sendable, Hashable, CustomStringConvertible {
    case csv(TextEncoding)
    case xlsx(sheetName: String)

    public var description: String {
        switch self {
        case .csv(let e): return "CSV (\(e))"
        case .xlsx(let name): return "XLSX (sheet \(name))"
        }
    }
}

/// The text encodings the CSV reader detects and the CSV writer produces.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// UTF-8 with a byte-order mark (the reader reports this when the file starts with EF BB BF).
    case utf8BOM = "utf-8-bom"
    case utf8 = "utf-8"
    /// GB18030-2005, a superset of GBK and GB2312: what Excel on Chinese Windows writes as "CSV".
    case gb18030 = "gb18030"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"

    public var description: String { rawValue }
}
