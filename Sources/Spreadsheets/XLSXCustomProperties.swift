import Foundation

/// Reading back the custom document properties an XLSX carries (docProps/custom.xml), e.g. the
/// audit head a roster export records.
public enum XLSXCustomProperties {
    /// Name → text value; empty when the workbook has no custom properties. Throws
    /// `SpreadsheetError` for a damaged archive or part (same limits as reading a sheet).
    public static func read(bytes: [UInt8], source: String, limits: ReadLimits = .default) throws -> [String: String] {
        var reader = try XLSXPackageReader(
            bytes: bytes, source: source, limits: limits, parser: DefaultXLSXParser(maxBytes: limits.maxPartBytes))
        guard reader.has("docProps/custom.xml") else { return [:] }
        let root = try reader.parsePart("docProps/custom.xml")
        var result: [String: String] = [:]
        for property in root.childElements where property.localName == "property" {
            guard let name = property.attribute("name", prefixed: false) else { continue }
            result[name] = property.textContent
        }
        return result
    }
}
