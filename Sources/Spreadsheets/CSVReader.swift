import Foundation

/// An RFC 4180 reader.
///
/// Rules (all tested):
/// - Fields are separated by `,` (or by TAB when the first line has tabs and no comma: Excel's
///   tab-delimited and "Unicode text" exports); records end with CRLF, LF or a lone CR.
/// - A field that starts with `"` is quoted: it may hold commas, CR/LF and doubled quotes `""`.
///   Text between the closing quote and the next separator is an error (with line and column).
/// - A quote inside an unquoted field is kept as a literal character (as Excel does).
/// - A quoted field that never closes is an error naming the line where the field started.
/// - A physical line with no characters at all holds no data and yields no row (this covers the
///   trailing newline at the end of a file and blank lines). A line of separators only (`,,,`)
///   is kept as a row of empty cells; see `SheetRow.isBlank`.
/// - `SheetRow.line` is the physical line on which the record starts.
/// - NUL bytes mean a binary file and are an error.
/// - A record (a line, or several when a quoted field holds line breaks) longer than
///   `maxRecordBytes` is an error naming its line: no table anyone imports has such rows, and
///   the header would otherwise be echoed whole into error messages.
public enum CSVReader {
    /// The default longest record, in UTF-8 bytes.
    public static let defaultMaxRecordBytes = 1 << 20

    /// Decodes (see `TextDecoding` for the detection rule) and parses a whole file's bytes.
    public static func parse(
        bytes: [UInt8], source: String, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
    ) throws -> SheetTable {
        let (utf8, encoding) = try TextDecoding.decodeToUTF8(bytes, file: source)
        if let nul = utf8.firstIndex(of: 0) {
            let line = TextDecoding.lineNumber(atByteOffset: nul, in: utf8)
            throw SpreadsheetError(
                .unsupportedFormat, file: source, line: line, byteOffset: encoding == .gb18030 ? nil : nul,
                en: "the file contains binary data (a NUL byte); it is not a CSV text file",
                zh: "文件包含二进制数据（NUL 字节），不是 CSV 文本文件")
        }
        let rows = try parseRecords(
            utf8: utf8, source: source, delimiter: sniffDelimiter(utf8), maxRecordBytes: maxRecordBytes)
        return SheetTable(source: source, rows: rows, format: .csv(encoding))
    }

    /// Comma, unless the first line has tabs and no comma: then tab (Excel's "Unicode text" and
    /// "Text (tab delimited)" exports).
    static func sniffDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var sawTab = false
        for b in bytes {
            switch b {
            case 0x2C: return 0x2C
            case 0x09: sawTab = true
            case 0x0A, 0x0D: return sawTab ? 0x09 : 0x2C
            default: continue
            }
        }
        return sawTab ? 0x09 : 0x2C
    }

    /// Parses UTF-8 bytes (no BOM) into rows.
    ///
    /// A large file with no quote character is parsed in two halves at once, split after the
    /// line feed nearest its middle: without quotes every line break ends a record, so the
    /// halves give the same rows (the second's lines counted on from the first's) and the same
    /// first error as one pass. Reading a staff file was a tenth of its import, done before
    /// anything else could start.
    static func parseRecords(
        utf8 bytes: [UInt8], source: String, delimiter: UInt8 = UInt8(ascii: ","),
        maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes
    ) throws -> [SheetRow] {
        try bytes.withUnsafeBufferPointer { p -> [SheetRow] in
            guard p.count >= splitFrom, let split = splitPoint(p) else {
                return try parseRecords(p, firstLine: 1, source: source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
            }
            let halves = [UnsafeBufferPointer(rebasing: p[..<split]), UnsafeBufferPointer(rebasing: p[split...])]
            let secondLine = 1 + lineBreaks(halves[0])
            let results = Halves(halves)
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                results.set(k) {
                    try parseRecords(
                        results.input[k], firstLine: k == 0 ? 1 : secondLine, source: source, delimiter: delimiter,
                        maxRecordBytes: maxRecordBytes)
                }
            }
            return try results.output(0).get() + results.output(1).get()
        }
    }

    /// Files at least this large are parsed in two halves when they can be (1 MiB).
    static let splitFrom = 1 << 20

    /// Just after the first line feed from the middle on, when the bytes hold no quote character.
    static func splitPoint(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = p.baseAddress, memchr(base, 0x22, p.count) == nil else { return nil }
        let middle = p.count / 2
        guard let lf = memchr(base + middle, 0x0A, p.count - middle) else { return nil }
        let after = UnsafePointer<UInt8>(lf.assumingMemoryBound(to: UInt8.self)) - base + 1
        return after < p.count ? after : nil
    }

    /// Line breaks as the parser counts them: CRLF, LF or a lone CR.
    static func lineBreaks(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for i in 0..<p.count where p[i] == 0x0A || (p[i] == 0x0D && (i + 1 == p.count || p[i + 1] != 0x0A)) { n += 1 }
        return n
    }

    /// The two halves' inputs and results, each written by one of the two workers.
    private final class Halves: @unchecked Sendable {
        let input: [UnsafeBufferPointer<UInt8>]
        // Two properties, not an array: the workers write at once, each its own.
        private var first: Result<[SheetRow], any Error>?
        private var second: Result<[SheetRow], any Error>?
        init(_ input: [UnsafeBufferPointer<UInt8>]) { self.input = input }
        func set(_ k: Int, _ body: () throws -> [SheetRow]) {
            let r = Result { try body() }
            if k == 0 { first = r } else { second = r }
        }
        func output(_ k: Int) -> Result<[SheetRow], any Error> { (k == 0 ? first : second)! }
    }

    /// Parses `p`, whose first byte starts a record on line `firstLine`, in one pass.
    static func parseRecords(
        _ p: UnsafeBufferPointer<UInt8>, firstLine: Int, source: String, delimiter: UInt8, maxRecordBytes: Int
    ) throws -> [SheetRow] {
        let quote = UInt8(ascii: "\"")
        let cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        do {
            let n = p.count
            var rows: [SheetRow] = []
            var cells: [String] = []
            var line = firstLine
            var recordLine = firstLine
            var i = 0
            var recordStart = 0
            var scratch: [UInt8] = []

            func checkRecordLength() throws {
                guard i - recordStart > maxRecordBytes else { return }
                throw SpreadsheetError(
                    .sizeLimit, file: source, line: recordLine,
                    en:
                        "the row starting on this line is longer than \(maxRecordBytes) bytes; no staff list has rows this long — is this the right file?",
                    zh: "从此行开始的一行数据超过 \(maxRecordBytes) 字节；人员名单不会有这么长的行，请确认文件是否正确")
            }

            @inline(__always) func endOfLine(at j: Int) -> Int {
                // Returns the index after the line break that starts at j (CR, LF or CRLF).
                if p[j] == cr && j + 1 < n && p[j + 1] == lf { return j + 2 }
                return j + 1
            }

            func finishRecord(lastFieldWasEmptyUnquoted: Bool) {
                if cells.count == 1 && lastFieldWasEmptyUnquoted {
                    cells.removeAll(keepingCapacity: true)  // an empty physical line: no data
                    return
                }
                rows.append(SheetRow(line: recordLine, cells: cells))
                cells = []
                cells.reserveCapacity(rows.last!.cells.count)
            }

            if n == 0 { return rows }
            while true {
                // At the start of a field.
                if i < n && p[i] == quote {
                    let startLine = line
                    i += 1
                    var segmentStart = i
                    scratch.removeAll(keepingCapacity: true)
                    var closed = false
                    while i < n {
                        let b = p[i]
                        if b == quote {
                            if i + 1 < n && p[i + 1] == quote {
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[segmentStart...i]))
                                i += 2
                                segmentStart = i
                                continue
                            }
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[segmentStart..<i]))
                            i += 1
                            closed = true
                            break
                        } else if b == lf {
                            line += 1
                        } else if b == cr {
                            if !(i + 1 < n && p[i + 1] == lf) { line += 1 }
                        }
                        i += 1
                    }
                    if !closed {
                        throw SpreadsheetError(
                            .malformedCSV, file: source, line: startLine, column: cells.count + 1,
                            en:
                                "a quoted field in column \(cells.count + 1) starts on this line and is never closed (missing \")",
                            zh: "第 \(cells.count + 1) 列的带引号字段从此行开始但没有结束（缺少 \"）")
                    }
                    try checkRecordLength()
                    cells.append(String(decoding: scratch, as: UTF8.self))
                    if i >= n {
                        finishRecord(lastFieldWasEmptyUnquoted: false)
                        break
                    }
                    let b = p[i]
                    if b == delimiter {
                        i += 1
                        continue
                    } else if b == cr || b == lf {
                        i = endOfLine(at: i)
                        finishRecord(lastFieldWasEmptyUnquoted: false)
                        line += 1
                        recordLine = line
                        recordStart = i
                        if i >= n { break }
                        continue
                    } else {
                        throw SpreadsheetError(
                            .malformedCSV, file: source, line: line, column: cells.count,
                            en:
                                "unexpected text after the closing quote of column \(cells.count); a quote inside a quoted field must be doubled (\"\")",
                            zh: "第 \(cells.count) 列的结束引号后出现多余文字；带引号字段内的引号必须写成两个（\"\"）")
                    }
                } else {
                    let start = i
                    while i < n {
                        let b = p[i]
                        if b == delimiter || b == cr || b == lf { break }
                        i += 1
                    }
                    try checkRecordLength()
                    cells.append(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))
                    let empty = i == start
                    if i >= n {
                        finishRecord(lastFieldWasEmptyUnquoted: empty)
                        break
                    }
                    if p[i] == delimiter {
                        i += 1
                        if i >= n {
                            cells.append("")  // "a,b," ends with an empty field
                            finishRecord(lastFieldWasEmptyUnquoted: false)
                            break
                        }
                        continue
                    }
                    i = endOfLine(at: i)
                    finishRecord(lastFieldWasEmptyUnquoted: empty)
                    line += 1
                    recordLine = line
                    recordStart = i
                    if i >= n { break }
                }
            }
            return rows
        }
    }
}
