import Foundation
import Localization
import Records
import Spreadsheets

extension StaffSheetParser {
    /// Parses a table read by `SpreadsheetReader` (CSV or XLSX); problems name `table.source`.
    public static func parse(_ table: SheetTable) throws -> [StaffInput] {
        try parse(source: table.source, rows: table.rows.map { (line: $0.line, cells: $0.cells) })
    }

    /// Reads and parses a staff file (CSV in UTF-8, UTF-8 with BOM or GB18030, or the first sheet
    /// of an XLSX). Reader errors (encoding, zip, size) become a `StaffImportError` naming the
    /// file and line.
    public static func read(contentsOf url: URL) throws -> [StaffInput] {
        let table = try table(contentsOf: url)
        return try parse(table)
    }

    /// Reads a staff file and checks its header; its rows are checked as an import takes them
    /// (`StaffSheetRows`).
    public static func rows(contentsOf url: URL) throws -> StaffSheetRows {
        let table = try table(contentsOf: url)
        return try StaffSheetRows(source: table.source, rows: table.rows.map { (line: $0.line, cells: $0.cells) })
    }

    private static func table(contentsOf url: URL) throws -> SheetTable {
        do {
            return try SpreadsheetReader.read(contentsOf: url)
        } catch let e as SpreadsheetError {
            // Unreadable, undecodable or malformed file: one problem, with the reader's location.
            throw StaffImportError(problems: [
                StaffFileProblem(
                    file: e.file, line: e.line ?? 1, column: e.column.map { ColumnName.letters($0) },
                    message: BilingualText(zh: e.chinese, en: e.english))
            ])
        }
    }
}
