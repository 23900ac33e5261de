import Foundation
import Spreadsheets

/// One entry point for every import format, chosen by the file's extension (or given).
public enum BankImportFormat: String, CaseIterable, Sendable {
    case xlsx, csv, text, docx, moodle

    /// By extension; `.xml` is Moodle XML (the project's own bank XML needs no import).
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "xlsx", "xlsm": self = .xlsx
        case "csv", "tsv": self = .csv
        case "txt", "text", "md": self = .text
        case "docx": self = .docx
        case "xml": self = .moodle
        default: return nil
        }
    }

    /// A question bank is small: 64 MB of file, 64 MB inflated per part and 128 MB in all are
    /// far beyond any real bank and keep a zip bomb from costing more.
    public static let limits = ReadLimits(maxFileBytes: 64 << 20, maxPartBytes: 64 << 20, maxTotalUncompressedBytes: 128 << 20)

    public func read(path: String) throws(ImportFailure) -> ImportReport {
        switch self {
        case .xlsx, .csv: try SpreadsheetBankImporter.read(path: path, limits: Self.limits)
        case .text: try NumberedTextImporter.read(path: path, maxBytes: Self.limits.maxFileBytes)
        case .docx: try DocxBankImporter.read(path: path, limits: Self.limits)
        case .moodle: try MoodleImporter.read(path: path, maxBytes: Self.limits.maxFileBytes)
        }
    }
}
