import Foundation
import Localization

#if canImport(Glibc)
    import Glibc
#endif

/// One worksheet being written. Get it from `XLSXWriter.addSheet(named:)`.
public final class XLSXSheetWriter {
    public let name: String
    let index: Int
    private unowned let workbook: XLSXWriter
    private let bodyURL: URL
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 18
    private var bodySize = 0
    private var closed = false
    private var hasHeader = false
    /// Rows written so far (header included); the next row's number is `rowCount + 1`.
    public private(set) var rowCount = 0
    private var maxColumn = 0
    /// Widest display width seen per column (CJK = 2).
    private var widths: [Int] = []
    private var columnLetters: [[UInt8]] = []
    private var prefix: [UInt8] = []
    private var suffix: [UInt8] = []
    private(set) var autoFilterRange: String?

    /// Column widths (in Excel character units) that override the automatic sizing, by 0-based column.
    public var columnWidths: [Int: Double] = [:]
    /// Freeze the header row (on by default; only applies when `writeHeader` was called).
    public var freezeHeader = true
    /// Put an autofilter on the header row (on by default; only applies when `writeHeader` was called).
    public var autoFilter = true
    /// Columns frozen at the left along with the header (the name column of a roster).
    public var frozenColumns = 0
    /// Print: landscape A4, scaled to one page wide, the header row repeated on every page and
    /// "第 N 页 共 M 页" (or "Page N of M") in the footer.
    public var printSetup: PrintSetup?
    /// Rows repeated at the top of every printed page (0 = none); set by `printSetup`.
    var printTitleRows: Int { printSetup == nil || !hasHeader ? 0 : 1 }
    /// Last row the autofilter covers (nil = the last row written). See `endFilterRange()`.
    private var filterLastRow: Int?

    public struct PrintSetup: Sendable, Hashable {
        public var landscape: Bool
        public var fitToWidth: Bool
        public var language: Language
        public init(landscape: Bool = true, fitToWidth: Bool = true, language: Language = .zhHans) {
            self.landscape = landscape
            self.fitToWidth = fitToWidth
            self.language = language
        }
    }

    /// Rows written after this call (a 合计 row) stay outside the autofilter range, so that
    /// sorting or filtering the table cannot move or hide them.
    public func endFilterRange() {
        filterLastRow = rowCount
    }

    init(workbook: XLSXWriter, name: String, index: Int, bodyURL: URL) throws {
        self.workbook = workbook
        self.name = name
        self.index = index
        self.bodyURL = bodyURL
        fd = open(bodyURL.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            throw AtomicFileWriter.creationError(
                errno: errno, destination: workbook.destination, displayName: workbook.displayName)
        }
        buffer.reserveCapacity(flushThreshold + 8192)
    }

    /// The header row: bold, frozen and filtered. Must be the first row of the sheet.
    public func writeHeader(_ titles: [String]) throws {
        guard rowCount == 0 else {
            throw SpreadsheetError(
                .invalidValue, file: workbook.displayName, line: rowCount + 1,
                en: "sheet \"\(name)\": the header must be the first row",
                zh: "工作表“\(name)”：表头必须是第一行")
        }
        try appendRow(titles.map(CellValue.text), style: XLSXStyles.header)
        hasHeader = true
        // Bold text and the filter button need a little more room.
        for i in 0..<titles.count { widths[i] += 3 }
    }

    public func writeRow(_ values: [CellValue]) throws {
        try appendRow(values, style: nil)
    }

    /// A row with a format per cell (nil = the value's default).
    public func writeRow(_ values: [CellValue], styles: [XLSXCellStyle?]) throws {
        try appendRow(values, style: nil, cellStyles: styles.map { $0?.index })
    }

    private func appendRow(_ values: [CellValue], style: Int?, cellStyles: [Int?] = []) throws {
        guard !closed else {
            throw SpreadsheetError(
                .invalidValue, file: workbook.displayName,
                en: "sheet \"\(name)\" is closed: a later sheet was started or the workbook finished",
                zh: "工作表“\(name)”已关闭：已开始新的工作表或工作簿已完成")
        }
        let row = rowCount + 1
        guard row <= XLSXWriter.maxRows else {
            throw SpreadsheetError(
                .invalidValue, file: workbook.displayName, line: row,
                en: "sheet \"\(name)\": Excel allows at most \(XLSXWriter.maxRows) rows per sheet",
                zh: "工作表“\(name)”：Excel 每个工作表最多 \(XLSXWriter.maxRows) 行")
        }
        guard values.count <= XLSXWriter.maxColumns else {
            throw SpreadsheetError(
                .invalidValue, file: workbook.displayName, line: row,
                en: "sheet \"\(name)\": Excel allows at most \(XLSXWriter.maxColumns) columns",
                zh: "工作表“\(name)”：Excel 最多 \(XLSXWriter.maxColumns) 列")
        }
        while columnLetters.count < values.count {
            columnLetters.append(Array(ColumnName.letters(columnLetters.count + 1).utf8))
            widths.append(0)
        }
        let rowDigits = Array(String(row).utf8)
        let mark = buffer.count
        buffer.append(contentsOf: #"<row r=""#.utf8)
        buffer.append(contentsOf: rowDigits)
        buffer.append(contentsOf: #"">"#.utf8)
        do {
            for (i, value) in values.enumerated() {
                let own = i < cellStyles.count ? cellStyles[i] : nil
                try appendCell(value, column: i, rowDigits: rowDigits, row: row, style: own ?? style)
            }
        } catch {
            buffer.removeSubrange(mark...)  // keep the body well-formed if the caller carries on
            throw error
        }
        buffer.append(contentsOf: "</row>\n".utf8)
        rowCount = row
        maxColumn = max(maxColumn, values.count)
        if buffer.count >= flushThreshold { try flush() }
    }

    private func cellStart(_ column: Int, _ rowDigits: [UInt8], style: Int?, type: String?) {
        buffer.append(contentsOf: #"<c r=""#.utf8)
        buffer.append(contentsOf: columnLetters[column])
        buffer.append(contentsOf: rowDigits)
        buffer.append(0x22)
        if let style {
            buffer.append(contentsOf: #" s=""#.utf8)
            buffer.append(contentsOf: String(style).utf8)
            buffer.append(0x22)
        }
        if let type {
            buffer.append(contentsOf: #" t=""#.utf8)
            buffer.append(contentsOf: type.utf8)
            buffer.append(0x22)
        }
        buffer.append(0x3E)
    }

    private func numberCell(_ text: String, _ column: Int, _ rowDigits: [UInt8], style: Int?, width: Int) {
        cellStart(column, rowDigits, style: style, type: nil)
        buffer.append(contentsOf: "<v>".utf8)
        buffer.append(contentsOf: text.utf8)
        buffer.append(contentsOf: "</v></c>".utf8)
        widths[column] = max(widths[column], width)
    }

    private func appendCell(_ value: CellValue, column: Int, rowDigits: [UInt8], row: Int, style: Int?) throws {
        let tz = workbook.options.timeZone
        switch value {
        case .empty:
            if let style {
                cellStart(column, rowDigits, style: style, type: nil); buffer.removeLast(); buffer.append(contentsOf: "/>".utf8)
            }
        case .text(let s):
            if s.isEmpty && style == nil { return }
            if s.utf16.count > XLSXWriter.maxCellCharacters {
                throw cellError(
                    row, column,
                    en:
                        "the text has \(s.utf16.count) characters; Excel allows at most \(XLSXWriter.maxCellCharacters) in a cell",
                    zh: "文本有 \(s.utf16.count) 个字符；Excel 单元格最多 \(XLSXWriter.maxCellCharacters) 个")
            }
            cellStart(column, rowDigits, style: style ?? (s.contains("\n") ? XLSXStyles.wrap : nil), type: "inlineStr")
            buffer.append(contentsOf: XLSXSheetWriter.needsPreserve(s) ? #"<is><t xml:space="preserve">"#.utf8 : "<is><t>".utf8)
            if let bad = XMLEscaping.append(s, attribute: false, policy: workbook.options.illegalCharacters, to: &buffer) {
                throw cellError(
                    row, column,
                    en:
                        "the text contains the character \(String(format: "U+%04X", bad.value)), which XML (and so XLSX) cannot hold",
                    zh: "文本包含字符 \(String(format: "U+%04X", bad.value))，XML（因而 XLSX）无法保存该字符")
            }
            buffer.append(contentsOf: "</t></is></c>".utf8)
            widths[column] = max(widths[column], DisplayWidth.widestLine(s))
        case .integer(let i):
            let t = String(i)
            numberCell(t, column, rowDigits, style: style, width: t.utf8.count)
        case .number(let d):
            guard d.isFinite else {
                throw cellError(row, column, en: "the number \(d) is not finite and cannot be written", zh: "数值 \(d) 不是有限数，无法写出")
            }
            let t = NumberText.format(d)
            numberCell(t, column, rowDigits, style: style, width: min(t.utf8.count, 12))
        case .percent(let d):
            guard d.isFinite else {
                throw cellError(
                    row, column, en: "the percentage \(d) is not finite and cannot be written", zh: "百分比 \(d) 不是有限数，无法写出")
            }
            numberCell(
                NumberText.format(d), column, rowDigits, style: style ?? XLSXStyles.percent,
                width: NumberText.percent(d).utf8.count)
        case .date(let date):
            numberCell(
                NumberText.format(CivilTime.excelSerial(date, tz, wholeDay: true)), column, rowDigits,
                style: style ?? XLSXStyles.date, width: 10)
        case .dateTime(let date):
            numberCell(
                NumberText.format(CivilTime.excelSerial(date, tz, wholeDay: false)), column, rowDigits,
                style: style ?? XLSXStyles.dateTime, width: 19)
        case .boolean(let b):
            cellStart(column, rowDigits, style: style, type: "b")
            buffer.append(contentsOf: (b ? "<v>1</v></c>" : "<v>0</v></c>").utf8)
            widths[column] = max(widths[column], 5)
        }
    }

    static func needsPreserve(_ s: String) -> Bool { XMLEscaping.needsPreserve(s) }

    private func cellError(_ row: Int, _ column: Int, en: String, zh: String) -> SpreadsheetError {
        let ref = ColumnName.letters(column + 1) + String(row)
        return SpreadsheetError(
            .unrepresentableCharacter, file: workbook.displayName, line: row, column: column + 1,
            en: "sheet \"\(name)\", cell \(ref): \(en)", zh: "工作表“\(name)”单元格 \(ref)：\(zh)"
        )
        .with(kind: en.contains("character") ? .unrepresentableCharacter : .invalidValue)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try POSIXIO.writeAll(fd: fd, $0, name: workbook.displayName) }
        bodySize += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes the body and computes the XML that goes before and after it.
    func close() throws {
        guard !closed else { return }
        try flush()
        Glibc.close(fd)
        fd = -1
        closed = true
        buffer = []

        let lastRef = maxColumn > 0 && rowCount > 0 ? ColumnName.letters(maxColumn) + String(rowCount) : "A1"
        var head = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            \(printSetup?.fitToWidth == true ? "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>" : "")\
            <dimension ref="\(lastRef == "A1" ? "A1" : "A1:" + lastRef)"/>
            """
        head += "<sheetViews><sheetView workbookViewId=\"0\"\(index == 1 ? " tabSelected=\"1\"" : "")>"
        if hasHeader && freezeHeader && frozenColumns > 0 {
            let cell = ColumnName.letters(frozenColumns + 1) + "2"
            head += "<pane xSplit=\"\(frozenColumns)\" ySplit=\"1\" topLeftCell=\"\(cell)\" activePane=\"bottomRight\" state=\"frozen\"/>"
            head += "<selection pane=\"topRight\"/><selection pane=\"bottomLeft\"/>"
            head += "<selection pane=\"bottomRight\" activeCell=\"\(cell)\" sqref=\"\(cell)\"/>"
        } else if hasHeader && freezeHeader {
            head += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            head += "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/>"
        }
        head += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        if maxColumn > 0 {
            head += "<cols>"
            for c in 0..<maxColumn {
                let width = columnWidths[c] ?? XLSXSheetWriter.excelWidth(displayWidth: widths[c])
                head += "<col min=\"\(c + 1)\" max=\"\(c + 1)\" width=\"\(NumberText.format(width))\" customWidth=\"1\"/>"
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        prefix = Array(head.utf8)
        var tail = "</sheetData>"
        if hasHeader && autoFilter && maxColumn > 0 {
            let range = "A1:\(ColumnName.letters(maxColumn))\(filterLastRow ?? rowCount)"
            autoFilterRange = range
            tail += "<autoFilter ref=\"\(range)\"/>"
        }
        tail += printSetup == nil
            ? "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
            : "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.6\" header=\"0.2\" footer=\"0.25\"/>"
        if let p = printSetup {
            tail += "<pageSetup paperSize=\"9\" orientation=\"\(p.landscape ? "landscape" : "portrait")\""
            tail += p.fitToWidth ? " fitToWidth=\"1\" fitToHeight=\"0\"/>" : "/>"
            let footer = p.language.pick(zh: "&amp;C第 &amp;P 页 共 &amp;N 页", en: "&amp;CPage &amp;P of &amp;N")
            tail += "<headerFooter><oddFooter>\(footer)</oddFooter></headerFooter>"
        }
        tail += "</worksheet>"
        suffix = Array(tail.utf8)
    }

    /// Width in Excel character units for a display width (CJK = 2): padding, a floor and a cap.
    static func excelWidth(displayWidth: Int) -> Double {
        let w = Double(min(max(displayWidth, 6), 60)) + 2
        return (w * 10).rounded() / 10
    }

    func discard() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
        closed = true
        buffer = []
    }

    /// The finished part: prefix + body file + suffix, readable by position (for the zip provider).
    func partSource() throws -> PartSource {
        try PartSource(prefix: prefix, bodyURL: bodyURL, bodySize: bodySize, suffix: suffix, displayName: workbook.displayName)
    }

    final class PartSource {
        let prefix: [UInt8]
        let suffix: [UInt8]
        let bodySize: Int
        let fd: Int32
        let displayName: String
        var totalSize: Int { prefix.count + bodySize + suffix.count }

        init(prefix: [UInt8], bodyURL: URL, bodySize: Int, suffix: [UInt8], displayName: String) throws {
            self.prefix = prefix
            self.suffix = suffix
            self.bodySize = bodySize
            self.displayName = displayName
            fd = open(bodyURL.path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw AtomicFileWriter.ioError(errno, displayName, "open") }
        }

        deinit { close() }

        private var isClosed = false
        func close() {
            if !isClosed { Glibc.close(fd); isClosed = true }
        }

        func read(at position: Int, count: Int) throws -> Data {
            var out = Data(capacity: count)
            var pos = position
            var remaining = min(count, totalSize - position)
            while remaining > 0 {
                if pos < prefix.count {
                    let n = min(remaining, prefix.count - pos)
                    out.append(contentsOf: prefix[pos..<pos + n])
                    pos += n; remaining -= n
                } else if pos < prefix.count + bodySize {
                    let off = pos - prefix.count
                    let n = min(remaining, bodySize - off)
                    var chunk = [UInt8](repeating: 0, count: n)
                    let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, n, off_t(off)) }
                    if got <= 0 { throw AtomicFileWriter.ioError(got < 0 ? errno : EIO, displayName, "read") }
                    out.append(contentsOf: chunk[0..<got])
                    pos += got; remaining -= got
                } else {
                    let off = pos - prefix.count - bodySize
                    let n = min(remaining, suffix.count - off)
                    out.append(contentsOf: suffix[off..<off + n])
                    pos += n; remaining -= n
                }
            }
            return out
        }
    }
}

extension SpreadsheetError {
    func with(kind: Kind) -> SpreadsheetError {
        var e = self
        e.kind = kind
        return e
    }
}
