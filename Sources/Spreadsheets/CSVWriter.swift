import Foundation

/// Writes RFC 4180 CSV that Excel opens correctly.
///
/// - Encoding: UTF-8 with a byte-order mark by default (Excel on Chinese Windows needs the BOM
///   to show Chinese), UTF-8 without BOM, or GB18030 for older systems. GB18030 encodes every
///   Unicode character; should the system converter still refuse one, the writer throws an
///   `.unrepresentableCharacter` error naming the row and column (nothing is replaced silently).
/// - Quoting: a field is quoted when it contains `,` `"` CR or LF; quotes are doubled.
/// - Records end with CRLF.
/// - **Formula-injection neutralization** (OWASP "CSV Injection"): a *text* cell whose first
///   character is `=` `+` `-` `@`, TAB or CR is prefixed with a single quote `'`, so a
///   spreadsheet shows it as text instead of evaluating it ("=1+1" → "'=1+1", "-5" as text →
///   "'-5"). Values passed as `.integer`, `.number` or `.percent` are numbers, not text, and are
///   written unchanged (a negative number keeps its minus sign and stays a number in Excel).
///   Set `neutralizeFormulas` to false only for output that is never opened in a spreadsheet.
public final class CSVWriter {
    public enum Encoding: Sendable, Hashable, CustomStringConvertible {
        case utf8(bom: Bool)
        case gb18030
        /// GBK (CP936): what older Chinese Windows software reads. A character outside GBK
        /// (𠮷, 䶮 …) is an error naming its row and column, never replaced.
        case gbk

        /// Parses a command-line name: utf-8 / utf8 (with BOM), utf-8-nobom, gb18030 / gbk.
        public init?(name: String) {
            switch name.lowercased() {
            case "utf-8", "utf8", "utf-8-bom", "utf8-bom": self = .utf8(bom: true)
            case "utf-8-nobom", "utf8-nobom", "utf-8-no-bom": self = .utf8(bom: false)
            case "gb18030", "gb2312": self = .gb18030
            case "gbk", "cp936": self = .gbk
            default: return nil
            }
        }

        public var description: String {
            switch self {
            case .utf8(let bom): return bom ? "utf-8" : "utf-8-nobom"
            case .gb18030: return "gb18030"
            case .gbk: return "gbk"
            }
        }
    }

    public let sink: ByteSink
    public let encoding: Encoding
    public let neutralizeFormulas: Bool
    public let timeZone: TimeZone
    /// Name of the output in messages.
    public let destinationName: String
    /// Records written so far (the header included).
    public private(set) var rowsWritten = 0

    private var buffer: [UInt8] = []
    private var rowBytes: [UInt8] = []
    private let flushThreshold = 1 << 16
    private let converter: IconvConverter?

    public convenience init(
        sink: ByteSink, encoding: Encoding = .utf8(bom: true), neutralizeFormulas: Bool = true,
        timeZone: TimeZone = .current, destinationName: String = "<output>"
    ) throws {
        try self.init(
            sink: sink, encoding: encoding, neutralizeFormulas: neutralizeFormulas, timeZone: timeZone,
            destinationName: destinationName, gb18030Charset: "GB18030")
    }

    /// `gb18030Charset` lets tests substitute a smaller charset (GBK) to exercise the error path.
    init(
        sink: ByteSink, encoding: Encoding, neutralizeFormulas: Bool, timeZone: TimeZone,
        destinationName: String, gb18030Charset: String
    ) throws {
        self.sink = sink
        self.encoding = encoding
        self.neutralizeFormulas = neutralizeFormulas
        self.timeZone = timeZone
        self.destinationName = destinationName
        switch encoding {
        case .utf8(let bom):
            converter = nil
            if bom { buffer += [0xEF, 0xBB, 0xBF] }
        case .gb18030, .gbk:
            guard let c = IconvConverter(from: "UTF-8", to: encoding == .gbk ? "GBK" : gb18030Charset) else {
                throw SpreadsheetError(
                    .writeFailed, file: destinationName,
                    en: "the system has no GB18030 converter (iconv); install glibc's gconv modules or use UTF-8",
                    zh: "系统缺少 GB18030 转换器（iconv）；请安装 glibc 的 gconv 模块或改用 UTF-8")
            }
            converter = c
        }
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    public func writeRow(_ values: [CellValue]) throws {
        // The row is built in a local array (the property's storage, taken and given back), so the
        // byte appends of a large export do not each go through the class property's access checks.
        var row: [UInt8] = []
        swap(&row, &rowBytes)
        defer { swap(&row, &rowBytes) }
        row.removeAll(keepingCapacity: true)
        for (i, v) in values.enumerated() {
            if i > 0 { row.append(UInt8(ascii: ",")) }
            try append(v, column: i + 1, to: &row)
        }
        row.append(0x0D)
        row.append(0x0A)
        try emit(row, values)
        rowsWritten += 1
    }

    /// All cells as text (each one neutralized and quoted as needed).
    public func writeRow(_ texts: [String]) throws {
        try writeRow(texts.map(CellValue.text))
    }

    /// A line starting with `#` written as it is (not a row: no quoting, no neutralizing), e.g.
    /// the audit head at the end of a roster. Line breaks in `text` are replaced by spaces.
    public func writeComment(_ text: String) throws {
        rowBytes.removeAll(keepingCapacity: true)
        rowBytes.append(UInt8(ascii: "#"))
        rowBytes.append(UInt8(ascii: " "))
        for b in text.utf8 { rowBytes.append(b == 0x0A || b == 0x0D ? 0x20 : b) }
        rowBytes.append(0x0D)
        rowBytes.append(0x0A)
        try emit(rowBytes, [.text(text)])
    }

    /// Writes out what is buffered. Call once at the end (the sink's own commit comes after).
    public func finish() throws {
        try flush()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Buffers one row's bytes (converted to the encoding), flushing past the threshold.
    private func emit(_ row: [UInt8], _ values: [CellValue]) throws {
        if let converter {
            switch converter.convert(row) {
            case .success(let out): buffer.append(contentsOf: out)
            case .failure: throw unrepresentable(values)
            }
        } else {
            buffer.append(contentsOf: row)
        }
        if buffer.count >= flushThreshold { try flush() }
    }

    private var encodingName: String { encoding == .gbk ? "GBK" : "GB18030" }


    private func unrepresentable(_ values: [CellValue]) -> SpreadsheetError {
        let row = rowsWritten + 1
        for (i, v) in values.enumerated() {
            guard case .text(let s) = v else { continue }
            for scalar in s.unicodeScalars {
                var bytes: [UInt8] = []
                UTF8.encode(scalar) { bytes.append($0) }
                if case .failure = converter!.convert(bytes) {
                    let code = String(format: "U+%04X", scalar.value)
                    return SpreadsheetError(
                        .unrepresentableCharacter, file: destinationName, line: row, column: i + 1,
                        en:
                            "row \(row), column \(i + 1): the character \(code) cannot be written in \(encodingName); use --encoding utf8 or gb18030",
                        zh: "第 \(row) 行第 \(i + 1) 列：字符 \(code) 无法用 \(encodingName) 编码写出；请改用 --encoding utf8 或 gb18030")
                }
            }
        }
        return SpreadsheetError(
            .unrepresentableCharacter, file: destinationName, line: row,
            en: "row \(row) cannot be written in \(encodingName); use --encoding utf8",
            zh: "第 \(row) 行无法用 \(encodingName) 编码写出；请改用 --encoding utf8")
    }

    private func append(_ value: CellValue, column: Int, to row: inout [UInt8]) throws {
        switch value {
        case .text(let s):
            appendText(s, to: &row)
        case .integer(let i):
            row.append(contentsOf: String(i).utf8)
        case .number(let d):
            try checkFinite(d, column: column)
            row.append(contentsOf: NumberText.format(d).utf8)
        case .percent(let d):
            try checkFinite(d, column: column)
            row.append(contentsOf: NumberText.percent(d).utf8)
        case .date(let d):
            row.append(contentsOf: CivilTime.isoDay(d, timeZone).utf8)
        case .dateTime(let d):
            row.append(contentsOf: CivilTime.isoDateTime(d, timeZone).utf8)
        case .boolean(let b):
            row.append(contentsOf: (b ? "TRUE" : "FALSE").utf8)
        case .empty:
            break
        }
    }

    private func checkFinite(_ d: Double, column: Int) throws {
        guard d.isFinite else {
            let row = rowsWritten + 1
            throw SpreadsheetError(
                .invalidValue, file: destinationName, line: row, column: column,
                en: "row \(row), column \(column): the number \(d) is not finite and cannot be written",
                zh: "第 \(row) 行第 \(column) 列：数值 \(d) 不是有限数，无法写出")
        }
    }

    private func appendText(_ s: String, to rowBytes: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            var needsQuotes = false
            for b in u where b == 0x2C || b == 0x22 || b == 0x0D || b == 0x0A {
                needsQuotes = true
                break
            }
            let neutralize = neutralizeFormulas && !u.isEmpty && CSVWriter.isFormulaTrigger(u[0])
            if needsQuotes { rowBytes.append(0x22) }
            if neutralize { rowBytes.append(UInt8(ascii: "'")) }
            if needsQuotes {
                for b in u {
                    rowBytes.append(b)
                    if b == 0x22 { rowBytes.append(0x22) }
                }
                rowBytes.append(0x22)
            } else {
                rowBytes.append(contentsOf: u)
            }
        }
    }

    /// The first characters a spreadsheet treats as the start of a formula: = + - @ TAB CR.
    public static func isFormulaTrigger(_ firstByte: UInt8) -> Bool {
        switch firstByte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

    /// The neutralized form of a text cell (exposed for other formats that want the same rule).
    public static func neutralized(_ text: String) -> String {
        guard let first = text.utf8.first, isFormulaTrigger(first) else { return text }
        return "'" + text
    }
}

/// A reusable iconv descriptor for repeated conversions.
final class IconvConverter {
    private let cd: iconv_t

    init?(from: String, to: String) {
        guard let cd = Iconv.openConverter(from: from, to: to) else { return nil }
        self.cd = cd
    }

    deinit { iconv_close(cd) }

    func convert(_ input: [UInt8]) -> Result<[UInt8], Iconv.Failure> {
        // Reset the shift state, then convert the whole buffer.
        iconv(cd, nil, nil, nil, nil)
        return Iconv.convert(input, using: cd)
    }
}

/// Tells whether text is inside GBK, the part of GB18030 that older (GBK-only) readers show; 𠮷
/// and 䶮 are GB18030 four-byte characters outside it. One converter, reused; not thread-safe.
public final class GBKCheck {
    private let converter: IconvConverter

    public init?() {
        guard let c = IconvConverter(from: "UTF-8", to: "GBK") else { return nil }
        converter = c
    }

    public func contains(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return true }
        if case .success = converter.convert(Array(s.utf8)) { return true }
        return false
    }
}
