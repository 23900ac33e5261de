import Foundation
import XMLSupport

/// A zip package (XLSX, DOCX) opened with the same protections as the XLSX reader: every part is
/// size-checked before and while it is inflated (zip bombs), its CRC-32 is verified, and XML
/// parts are parsed by XMLSupport (no DOCTYPE, no network, no entity expansion).
public struct ZipPackage {
    private var reader: XLSXPackageReader<DefaultXLSXParser>

    /// Throws `SpreadsheetError(.corruptArchive)` when the bytes are not a readable zip archive.
    public init(bytes: [UInt8], source: String, limits: ReadLimits = .default) throws {
        reader = try XLSXPackageReader(
            bytes: bytes, source: source, limits: limits, parser: DefaultXLSXParser(maxBytes: limits.maxPartBytes))
    }

    /// Whether the package has this part (names are compared case-insensitively).
    public func has(_ path: String) -> Bool { reader.has(path) }

    /// The inflated bytes of one part.
    public mutating func readPart(_ path: String) throws -> [UInt8] { try reader.readPart(path) }

    /// One XML part, parsed.
    public mutating func parsePart(_ path: String) throws -> XElement { try reader.parsePart(path) }

    /// Reads a whole regular file with the same limit and error messages as the spreadsheet reader.
    public static func fileBytes(path: String, displayName: String, limit: Int) throws -> [UInt8] {
        try FileBytes.readAll(path: path, displayName: displayName, limit: limit)
    }
}

/// Plain text files (numbered question lists pasted from documents): UTF-8 with or without BOM,
/// UTF-16 with BOM, or GB18030 — the same detection as CSV, with the same located errors.
public enum PlainTextFile {
    public static func decode(bytes: [UInt8], source: String) throws -> String {
        let (utf8, _) = try TextDecoding.decodeToUTF8(bytes, file: source)
        if let nul = utf8.firstIndex(of: 0) {
            throw SpreadsheetError(
                .unsupportedFormat, file: source, line: TextDecoding.lineNumber(atByteOffset: nul, in: utf8),
                en: "the file contains binary data (a NUL byte); it is not a text file",
                zh: "文件包含二进制数据（NUL 字节），不是文本文件")
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
