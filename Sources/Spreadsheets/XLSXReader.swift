import Foundation
import ZIPFoundation

// MARK: - The XML seam

/// What the XLSX reader needs from a parsed XML element. The project's XMLSupport module
/// provides the implementation; the reader only sees this protocol.
protocol XLSXElement {
    /// The element name without a namespace prefix (`sheet` for `x:sheet`).
    var localName: String { get }
    /// 1-based line of the start tag.
    var line: Int { get }
    /// The value of an attribute by local name; `prefixed` selects `r:id` (true) versus `id` (false).
    func attribute(_ localName: String, prefixed: Bool) -> String?
    var childElements: [Self] { get }
    /// All character data of the element and its descendants.
    var textContent: String { get }
    /// The first child element with this local name (hot path: no array is built).
    func firstChildElement(_ localName: String) -> Self?
}

extension XLSXElement {
    func firstChildElement(_ localName: String) -> Self? {
        childElements.first { $0.localName == localName }
    }
}

/// Parses one part of the package. Errors must be thrown as `SpreadsheetError`.
protocol XLSXXMLParser {
    associatedtype Element: XLSXElement
    func parse(_ bytes: [UInt8], file: String) throws -> Element
}

// MARK: - Reader

/// Reads the first sheet of an XLSX workbook into a `SheetTable`.
///
/// - The first sheet is the first `<sheet>` of `xl/workbook.xml` that is not hidden (the first
///   one if all are hidden), resolved through the workbook's relationships — not just `sheet1.xml`.
/// - Cell values: shared strings (rich-text runs concatenated, phonetic runs skipped), inline
///   strings, formula string results, numbers (integers without ".0": badge 3201001 stays
///   "3201001"), booleans as TRUE/FALSE, error values as written (#N/A). Dates are numbers in
///   XLSX and come back as their serial number unless the cell has a date format, in which case
///   they come back as `yyyy-mm-dd` (or `yyyy-mm-dd hh:mm:ss` when there is a time part).
/// - Excel's `_xHHHH_` escapes are decoded.
/// - Sparse rows and columns land where their references (`C5`) say; rows whose cells are all
///   empty are left out (like blank lines in CSV); trailing empty cells are trimmed.
/// - `SheetRow.line` is the Excel row number.
/// - Every part is size-checked before and while it is inflated (zip bombs), and its CRC-32 is
///   verified.
enum XLSXReader {
    static func read(bytes: [UInt8], source: String, limits: ReadLimits) throws -> SheetTable {
        var reader = try XLSXPackageReader(
            bytes: bytes, source: source, limits: limits, parser: DefaultXLSXParser(maxBytes: limits.maxPartBytes))
        return try reader.readFirstSheet()
    }
}

struct XLSXPackageReader<Parser: XLSXXMLParser> {
    typealias E = Parser.Element
    let source: String
    let limits: ReadLimits
    let parser: Parser
    let archive: Archive
    /// Lower-cased, normalized part name → entry (OPC part names are case-insensitive).
    let entries: [String: Entry]
    private var extracted = 0

    init(bytes: [UInt8], source: String, limits: ReadLimits, parser: Parser) throws {
        self.source = source
        self.limits = limits
        self.parser = parser
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw SpreadsheetError(
                .corruptArchive, file: source,
                en: "the file starts like a zip archive (XLSX) but cannot be read as one; it is damaged or truncated",
                zh: "文件开头像 zip 压缩包（XLSX），但无法读取；文件已损坏或不完整")
        }
        var map: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            map[Self.normalize(entry.path)] = entry
        }
        entries = map
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.replacingOccurrences(of: "\\", with: "/").split(separator: "/", omittingEmptySubsequences: true) {
            if p == "." { continue }
            if p == ".." { _ = parts.popLast(); continue }
            parts.append(p)
        }
        return parts.joined(separator: "/").lowercased()
    }

    func partName(_ path: String) -> String { "\(source) › \(path)" }

    func has(_ path: String) -> Bool { entries[Self.normalize(path)] != nil }

    mutating func readPart(_ path: String) throws -> [UInt8] {
        guard let entry = entries[Self.normalize(path)] else {
            throw SpreadsheetError(
                .missingPart, file: source,
                en: "the workbook has no part \(path); it is not a complete Excel file",
                zh: "工作簿缺少部件 \(path)，不是完整的 Excel 文件")
        }
        let limit = min(limits.maxPartBytes, limits.maxTotalUncompressedBytes - extracted)
        func tooBig() -> SpreadsheetError {
            SpreadsheetError(
                .sizeLimit, file: partName(path),
                en: "the part inflates to more than \(limit) bytes (the limit); the file may be a zip bomb",
                zh: "该部件解压后超过 \(limit) 字节上限，文件可能是“压缩炸弹”")
        }
        if entry.uncompressedSize > UInt64(max(limit, 0)) { throw tooBig() }
        var out: [UInt8] = []
        out.reserveCapacity(Int(entry.uncompressedSize))
        var overflow = false
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                if out.count + chunk.count > limit {
                    overflow = true
                    throw ReaderStop()
                }
                out.append(contentsOf: chunk)
            }
        } catch {
            if overflow { throw tooBig() }
            throw SpreadsheetError(
                .corruptArchive, file: partName(path),
                en: "the part cannot be decompressed; the file is damaged",
                zh: "该部件无法解压，文件已损坏")
        }
        if checksum != entry.checksum || out.count != Int(entry.uncompressedSize) {
            throw SpreadsheetError(
                .corruptArchive, file: partName(path),
                en: "the part fails its checksum; the file is damaged",
                zh: "该部件校验失败，文件已损坏")
        }
        extracted += out.count
        return out
    }

    mutating func parsePart(_ path: String) throws -> E {
        try parser.parse(try readPart(path), file: partName(path))
    }

    /// Relationships of a part: Id → (type, resolved target path).
    mutating func relationships(of part: String) throws -> [String: (type: String, target: String)] {
        let dir = (part as NSString).deletingLastPathComponent
        let relsPath = (dir.isEmpty ? "" : dir + "/") + "_rels/" + (part as NSString).lastPathComponent + ".rels"
        guard has(relsPath) else { return [:] }
        let root = try parsePart(relsPath)
        var out: [String: (String, String)] = [:]
        for rel in root.childElements where rel.localName == "Relationship" {
            guard let id = rel.attribute("Id", prefixed: false), let target = rel.attribute("Target", prefixed: false) else {
                continue
            }
            if rel.attribute("TargetMode", prefixed: false) == "External" { continue }
            let resolved = target.hasPrefix("/") ? String(target.dropFirst()) : (dir.isEmpty ? target : dir + "/" + target)
            out[id] = (rel.attribute("Type", prefixed: false) ?? "", resolved)
        }
        return out
    }

    mutating func readFirstSheet() throws -> SheetTable {
        // 1. The workbook part, from the package relationships.
        var workbookPath = "xl/workbook.xml"
        for (_, rel) in try relationships(of: "") where rel.type.hasSuffix("/officeDocument") {
            workbookPath = rel.target
        }
        guard has(workbookPath) else {
            throw SpreadsheetError(
                .missingPart, file: source,
                en: "this zip archive is not an Excel workbook (no \(workbookPath)); save the file as .xlsx or CSV",
                zh: "该 zip 压缩包不是 Excel 工作簿（缺少 \(workbookPath)）；请另存为 .xlsx 或 CSV")
        }
        let workbook = try parsePart(workbookPath)
        let sheetElements =
            workbook.childElements.first { $0.localName == "sheets" }?.childElements.filter { $0.localName == "sheet" } ?? []
        guard !sheetElements.isEmpty else {
            throw SpreadsheetError(
                .missingPart, file: partName(workbookPath), line: workbook.line,
                en: "the workbook lists no sheets", zh: "工作簿中没有任何工作表")
        }
        let visible = sheetElements.first { s in
            let state = s.attribute("state", prefixed: false)
            return state != "hidden" && state != "veryHidden"
        }
        let sheet = visible ?? sheetElements[0]
        let sheetName = sheet.attribute("name", prefixed: false) ?? "?"
        // 2. Its part, through the workbook relationships.
        let rels = try relationships(of: workbookPath)
        guard let rid = sheet.attribute("id", prefixed: true), let rel = rels[rid] else {
            throw SpreadsheetError(
                .missingPart, file: partName(workbookPath), line: sheet.line,
                en: "sheet \"\(sheetName)\" has no relationship to a worksheet part",
                zh: "工作表“\(sheetName)”没有指向工作表部件的关系")
        }
        guard has(rel.target) else {
            throw SpreadsheetError(
                .missingPart, file: source,
                en: "sheet \"\(sheetName)\" (\(rel.target)) is missing from the archive",
                zh: "工作表“\(sheetName)”（\(rel.target)）在压缩包中不存在")
        }
        // 3. Shared strings and styles (both optional).
        var shared: [String] = []
        if let ss = rels.values.first(where: { $0.type.hasSuffix("/sharedStrings") }), has(ss.target) {
            shared = try sharedStrings(ss.target)
        }
        var dateStyles: [Bool] = []
        if let st = rels.values.first(where: { $0.type.hasSuffix("/styles") }), has(st.target) {
            dateStyles = (try? styleDateFlags(st.target)) ?? []
        }
        // 4. The rows.
        let date1904 =
            workbook.childElements.first { $0.localName == "workbookPr" }
            .flatMap { $0.attribute("date1904", prefixed: false) }.map { $0 == "1" || $0 == "true" } ?? false
        let rows = try sheetRows(rel.target, shared: shared, dateStyles: dateStyles, date1904: date1904)
        return SheetTable(source: source, rows: rows, format: .xlsx(sheetName: sheetName))
    }

    mutating func sharedStrings(_ path: String) throws -> [String] {
        let root = try parsePart(path)
        var out: [String] = []
        out.reserveCapacity(root.childElements.count)
        for si in root.childElements where si.localName == "si" {
            out.append(Self.stringItem(si))
        }
        return out
    }

    /// Text of an `<si>` or `<is>`: its `<t>`, or the `<t>` of each `<r>` run; `<rPh>` (phonetic
    /// guides) is skipped.
    static func stringItem(_ item: E) -> String {
        var s = ""
        for child in item.childElements {
            switch child.localName {
            case "t": s += child.textContent
            case "r":
                for t in child.childElements where t.localName == "t" { s += t.textContent }
            default: break
            }
        }
        return ExcelEscapes.decode(s)
    }

    /// For each cellXfs index: does its number format show a date?
    mutating func styleDateFlags(_ path: String) throws -> [Bool] {
        let root = try parsePart(path)
        var custom: [Int: String] = [:]
        for nf in root.childElements.first(where: { $0.localName == "numFmts" })?.childElements ?? []
        where nf.localName == "numFmt" {
            if let id = nf.attribute("numFmtId", prefixed: false).flatMap(Int.init),
                let code = nf.attribute("formatCode", prefixed: false)
            {
                custom[id] = code
            }
        }
        let xfs = root.childElements.first { $0.localName == "cellXfs" }?.childElements.filter { $0.localName == "xf" } ?? []
        return xfs.map { xf in
            guard let id = xf.attribute("numFmtId", prefixed: false).flatMap(Int.init) else { return false }
            if let code = custom[id] { return NumberFormat.isDate(code) }
            return (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id)
        }
    }

    mutating func sheetRows(_ path: String, shared: [String], dateStyles: [Bool], date1904: Bool) throws -> [SheetRow] {
        let root = try parsePart(path)
        let file = partName(path)
        guard let sheetData = root.childElements.first(where: { $0.localName == "sheetData" }) else {
            return []
        }
        var rows: [SheetRow] = []
        var lastRow = 0
        for rowElement in sheetData.childElements where rowElement.localName == "row" {
            var rowNumber = lastRow + 1
            if let r = rowElement.attribute("r", prefixed: false) {
                guard let n = Int(r), n >= 1, n <= 1_048_576 else {
                    throw SpreadsheetError(
                        .malformedXML, file: file, line: rowElement.line,
                        en: "row number \"\(r)\" is not valid", zh: "行号“\(r)”无效")
                }
                rowNumber = n
            }
            lastRow = rowNumber
            var cells: [String] = []
            var lastColumn = 0
            for c in rowElement.childElements where c.localName == "c" {
                var column = lastColumn + 1
                if let ref = c.attribute("r", prefixed: false) {
                    guard let parsed = ColumnName.parseReference(ref) else {
                        throw SpreadsheetError(
                            .malformedXML, file: file, line: c.line,
                            en: "cell reference \"\(ref)\" is not valid", zh: "单元格引用“\(ref)”无效")
                    }
                    column = parsed.column
                }
                lastColumn = column
                let value = try cellText(
                    c, shared: shared, dateStyles: dateStyles, date1904: date1904, file: file, row: rowNumber, column: column)
                if value.isEmpty { continue }
                if cells.count < column { cells.append(contentsOf: repeatElement("", count: column - cells.count)) }
                cells[column - 1] = value
            }
            if !cells.isEmpty {
                rows.append(SheetRow(line: rowNumber, cells: cells))
            }
        }
        return rows
    }

    func cellText(_ c: E, shared: [String], dateStyles: [Bool], date1904: Bool, file: String, row: Int, column: Int) throws
        -> String
    {
        let type = c.attribute("t", prefixed: false) ?? "n"
        let v = c.firstChildElement("v")?.textContent
        var ref: String { ColumnName.letters(column) + String(row) }
        switch type {
        case "s":
            guard let v else { return "" }
            guard let i = Int(v.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count else {
                throw SpreadsheetError(
                    .malformedXML, file: file, line: c.line,
                    en: "cell \(ref) refers to shared string \(v), but the workbook has \(shared.count)",
                    zh: "单元格 \(ref) 引用了第 \(v) 个共享字符串，但工作簿只有 \(shared.count) 个")
            }
            return shared[i]
        case "inlineStr":
            if let item = c.firstChildElement("is") { return Self.stringItem(item) }
            return v.map(ExcelEscapes.decode) ?? ""
        case "str", "e", "d":
            return v.map(ExcelEscapes.decode) ?? ""
        case "b":
            guard let v else { return "" }
            return v.trimmingCharacters(in: .whitespaces) == "1" || v.lowercased() == "true" ? "TRUE" : "FALSE"
        default:
            guard let raw = v?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return "" }
            let style = c.attribute("s", prefixed: false).flatMap(Int.init) ?? 0
            if style < dateStyles.count && dateStyles[style], let serial = Double(raw), serial.isFinite {
                return ExcelDate.text(serial: serial, date1904: date1904)
            }
            return NumberCell.text(raw)
        }
    }
}

private struct ReaderStop: Error {}

/// Text of numeric cells: integer literals are kept exactly (long badge numbers), other numbers
/// in their shortest form without ".0".
enum NumberCell {
    static func text(_ raw: String) -> String {
        var digits = raw.utf8.dropFirst(raw.hasPrefix("-") ? 1 : 0)
        if !digits.isEmpty && digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // Drop leading zeros Excel never writes but other tools might.
            while digits.count > 1 && digits.first == 0x30 { digits = digits.dropFirst() }
            return (raw.hasPrefix("-") ? "-" : "") + String(Substring(digits))
        }
        guard let d = Double(raw), d.isFinite else { return raw }
        return NumberText.format(d)
    }
}

/// Excel date serials back to text.
enum ExcelDate {
    static func text(serial: Double, date1904: Bool) -> String {
        // Serial 60 is Excel's fictitious 1900-02-29; days before it are shifted by one.
        var days = serial.rounded(.down)
        var seconds = Int(((serial - days) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        var unixDays: Int
        if date1904 {
            unixDays = Int(days) - 24_107
        } else {
            unixDays = Int(days) - 25_569
            if days < 60 { unixDays += 1 }
        }
        let c = CivilTime.civil(fromDays: unixDays)
        let day = "\(CivilTime.pad(c.year, 4))-\(CivilTime.pad(c.month, 2))-\(CivilTime.pad(c.day, 2))"
        if seconds == 0 { return day }
        return day
            + " \(CivilTime.pad(seconds / 3600, 2)):\(CivilTime.pad(seconds / 60 % 60, 2)):\(CivilTime.pad(seconds % 60, 2))"
    }
}

enum NumberFormat {
    /// A format code shows a date when, outside quotes, brackets and escapes, it has y, m, d, h or s
    /// (as Excel and openpyxl decide).
    static func isDate(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escape = false
        for ch in code.lowercased() {
            if escape { escape = false; continue }
            switch ch {
            case "\\": escape = true
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case "y", "m", "d", "h", "s":
                if !inQuote && !inBracket { return true }
            default: break
            }
        }
        return false
    }
}

/// Excel writes characters XML cannot hold as `_xHHHH_` (and a literal `_x` as `_x005F_x`).
enum ExcelEscapes {
    static func decode(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7 {
                let window = scalars.prefix(7)
                let arr = Array(window)
                if arr[1] == "x", arr[6] == "_",
                    let v = UInt32(String(String.UnicodeScalarView(arr[2...5])), radix: 16),
                    let scalar = Unicode.Scalar(v)
                {
                    out.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            out.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        return out
    }
}
