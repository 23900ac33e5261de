import Foundation
import XMLSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Limits that protect the reader from huge files and zip bombs.
public struct ReadLimits: Sendable, Hashable {
    /// Largest input file accepted (CSV or XLSX), in bytes.
    public var maxFileBytes: Int
    /// Largest uncompressed size of any single part inside an XLSX archive, in bytes.
    public var maxPartBytes: Int
    /// Largest total uncompressed size of the parts the reader extracts from an XLSX.
    public var maxTotalUncompressedBytes: Int
    /// Longest CSV record (header included), in UTF-8 bytes.
    public var maxRecordBytes: Int

    public init(
        maxFileBytes: Int = 1 << 30, maxPartBytes: Int = 512 << 20, maxTotalUncompressedBytes: Int = 1 << 30,
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxPartBytes = maxPartBytes
        self.maxTotalUncompressedBytes = maxTotalUncompressedBytes
        self.maxRecordBytes = maxRecordBytes
    }

    public static let `default` = ReadLimits()
}

/// Reads a staff list or any other table: XLSX when the file starts with the zip signature,
/// otherwise CSV (with encoding detection, see `CSVReader`).
public enum SpreadsheetReader {
    public static func read(contentsOf url: URL) throws -> SheetTable {
        try read(contentsOf: url, limits: .default)
    }

    public static func read(contentsOf url: URL, limits: ReadLimits) throws -> SheetTable {
        let source = displayName(url)
        let bytes = try FileBytes.readAll(path: url.path, displayName: source, limit: limits.maxFileBytes)
        return try read(bytes: bytes, source: source, fileURL: url, limits: limits)
    }

    /// Reads from memory (standard input, tests). `source` names the data in messages.
    public static func read(data: Data, source: String, limits: ReadLimits = .default) throws -> SheetTable {
        try read(bytes: [UInt8](data), source: source, fileURL: nil, limits: limits)
    }

    static func read(bytes: [UInt8], source: String, fileURL: URL?, limits: ReadLimits) throws -> SheetTable {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try XLSXReader.read(bytes: bytes, source: source, limits: limits)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw SpreadsheetError(
                .unsupportedFormat, file: source,
                en:
                    "this is a legacy Excel 97-2003 (.xls) file or a password-protected workbook; save it as .xlsx or as \"CSV UTF-8\"",
                zh: "这是旧版 Excel 97-2003（.xls）文件或受密码保护的工作簿；请另存为 .xlsx 或“CSV UTF-8”格式")
        }
        return try CSVReader.parse(bytes: bytes, source: source, maxRecordBytes: limits.maxRecordBytes)
    }

    static func displayName(_ url: URL) -> String {
        url.isFileURL ? url.relativePath : url.absoluteString
    }
}

enum FileBytes {
    /// Reads a whole regular file with POSIX calls, mapping every failure to a clear error.
    static func readAll(path: String, displayName: String, limit: Int) throws -> [UInt8] {
        let fd: Int32
        var st = stat()
        switch RegularFile.open(path) {
        case .failure(let r):
            throw SpreadsheetError(
                .unreadable, file: displayName, en: "cannot read the file: \(r.en)", zh: "无法读取文件：\(r.zh)")
        case .success(let opened):
            fd = opened.fd
            st.st_size = off_t(opened.size)
        }
        defer { close(fd) }
        if Int(st.st_size) > limit {
            throw SpreadsheetError(
                .sizeLimit, file: displayName,
                en: "the file is \(st.st_size) bytes, more than the limit of \(limit) bytes",
                zh: "文件大小为 \(st.st_size) 字节，超过上限 \(limit) 字节")
        }
        // Filled by read(2) below and cut to what was read: zeroing it first cost as much as
        // checking the whole file's UTF-8.
        let size = Int(st.st_size)
        var out = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
        var got = 0
        while true {
            if got == out.count {
                // The file may have grown since fstat: probe for more.
                if out.count >= limit && out.count > 0 {
                    var probe: UInt8 = 0
                    if read(fd, &probe, 1) > 0 {
                        throw SpreadsheetError(
                            .sizeLimit, file: displayName,
                            en: "the file is larger than the limit of \(limit) bytes",
                            zh: "文件超过上限 \(limit) 字节")
                    }
                    break
                }
                out.append(contentsOf: repeatElement(0, count: max(4096, min(out.count, limit - out.count))))
            }
            let n = out.withUnsafeMutableBytes { buf in
                read(fd, buf.baseAddress! + got, buf.count - got)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                throw SpreadsheetError(
                    .unreadable, file: displayName,
                    en: "read failed: \(String(cString: strerror(e)))",
                    zh: "读取失败：\(posixMessageZh(e))")
            }
            if n == 0 { break }
            got += n
        }
        out.removeSubrange(got...)
        return out
    }
}

/// Short Chinese renderings of the errno values users meet; others fall back to strerror.
func posixMessageZh(_ e: Int32) -> String { posixReasonZh(e) }
