import Foundation
#if !RECORDS_SHEETS_READY
// INTERIM until the Spreadsheets module lands on main (removed at the merge).
extension StaffSheetParser {
    public static func read(contentsOf url: URL) throws -> [StaffInput] {
        throw StoreError.invalid(field: url.path, detail: "spreadsheet reader not merged yet")
    }
}
#else
import Spreadsheets

extension StaffSheetParser {
    /// Parses a table read by `SpreadsheetReader` (CSV or XLSX); problems name `table.source`.
    public static func parse(_ table: SheetTable) throws -> [StaffInput] {
        try parse(source: table.source, rows: table.rows.map { (line: $0.line, cells: $0.cells) })
    }

    /// Reads and parses a staff file; spreadsheet errors (encoding, zip, size) propagate as
    /// `SpreadsheetError`, which names the file and line.
    public static func read(contentsOf url: URL) throws -> [StaffInput] {
        try parse(SpreadsheetReader.read(contentsOf: url))
    }
}
#endif
