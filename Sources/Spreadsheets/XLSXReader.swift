import Foundation

enum XLSXReader {
    static func read(bytes: [UInt8], source: String, limits: ReadLimits) throws -> SheetTable {
        throw SpreadsheetError(.unsupportedFormat, file: source, en: "XLSX reading is not available yet", zh: "暂不支持读取 XLSX")
    }
}
