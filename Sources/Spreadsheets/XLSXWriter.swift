import Foundation
import ZIPFoundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a real Excel workbook (Office Open XML SpreadsheetML in a zip made by ZIPFoundation).
///
/// - Several sheets (for example a roster and a summary), written one after the other.
/// - Typed cells: text as inline strings, numbers, booleans, dates and date-times stored as
///   serial numbers with a date format (`yyyy-mm-dd`, `yyyy-mm-dd hh:mm:ss`), percentages (`0.0%`).
/// - `writeHeader` makes the first row bold, freezes it (pane `A2`) and puts an autofilter on it.
/// - Column widths follow the widest value, CJK characters counting 2 (capped at 60).
/// - Streaming: each sheet's rows go to a temporary file as they are written; `finish()` zips
///   them. Memory stays flat whatever the row count.
/// - Atomic: the work happens in a hidden directory next to the destination; `finish()` renames
///   the finished workbook into place. On error or `abort()` nothing is left behind and an
///   existing file is untouched.
/// - Text is never evaluated as a formula in XLSX (cells are typed), so no neutralization is
///   needed; characters XML 1.0 forbids follow `Options.illegalCharacters`.
public final class XLSXWriter {
    public struct Options: Sendable {
        /// The zone in which `.date` / `.dateTime` values are shown.
        public var timeZone: TimeZone
        public var illegalCharacters: IllegalXMLCharacterPolicy
        /// Written to docProps/core.xml.
        public var creator: String
        /// Deflate the parts (off only makes sense for debugging).
        public var compress: Bool
        /// Custom document properties (docProps/custom.xml, Excel's File › Properties › Custom),
        /// as text, written in name order.
        public var customProperties: [String: String] = [:]

        public init(
            timeZone: TimeZone = .current, illegalCharacters: IllegalXMLCharacterPolicy = .refuse,
            creator: String = "Academy", compress: Bool = true
        ) {
            self.timeZone = timeZone
            self.illegalCharacters = illegalCharacters
            self.creator = creator
            self.compress = compress
        }
    }

    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    public static let maxCellCharacters = 32_767

    public let destination: URL
    public let displayName: String
    public let options: Options
    let workDirectory: URL
    private var sheets: [XLSXSheetWriter] = []
    private var finished = false
    private var cleanupSlots: [Int?] = []

    public init(destination: URL, options: Options = Options()) throws {
        self.destination = destination
        self.displayName = destination.isFileURL ? destination.relativePath : destination.absoluteString
        self.options = options
        self.workDirectory = try AtomicFileWriter.makeWorkDirectory(for: destination, displayName: displayName)
        cleanupSlots.append(TemporaryFiles.register(workDirectory.path, directory: true))
        cleanupSlots.append(TemporaryFiles.register(workDirectory.appendingPathComponent("workbook.xlsx").path))
    }

    deinit {
        if !finished { abort() }
    }

    /// Starts a new sheet; the previous one is closed (no more rows can be added to it).
    /// Names: 1–31 characters, none of `: \ / ? * [ ]`, not starting or ending with `'`, unique
    /// (case-insensitive).
    public func addSheet(named name: String) throws -> XLSXSheetWriter {
        try checkOpen()
        try validateSheetName(name)
        try sheets.last?.close()
        let index = sheets.count + 1
        let bodyURL = workDirectory.appendingPathComponent("sheet\(index).body")
        cleanupSlots.append(TemporaryFiles.register(bodyURL.path))
        let sheet = try XLSXSheetWriter(workbook: self, name: name, index: index, bodyURL: bodyURL)
        sheets.append(sheet)
        return sheet
    }

    /// Closes the last sheet, zips the workbook and renames it into place.
    public func finish() throws {
        try checkOpen()
        guard !sheets.isEmpty else {
            throw SpreadsheetError(
                .invalidValue, file: displayName, en: "a workbook needs at least one sheet", zh: "工作簿至少需要一个工作表")
        }
        do {
            try sheets.last?.close()
            let archiveURL = workDirectory.appendingPathComponent("workbook.xlsx")
            try buildArchive(at: archiveURL)
            try AtomicFileWriter.syncFile(archiveURL, displayName: displayName)
            try AtomicFileWriter.renameIntoPlace(temporary: archiveURL, destination: destination, displayName: displayName)
        } catch {
            abort()
            throw error
        }
        finished = true
        cleanUp()
    }

    /// Drops everything written so far; the destination is untouched.
    public func abort() {
        for s in sheets { s.discard() }
        finished = true
        cleanUp()
    }

    private func cleanUp() {
        try? FileManager.default.removeItem(at: workDirectory)
        for slot in cleanupSlots { TemporaryFiles.unregister(slot) }
        cleanupSlots = []
    }

    private func checkOpen() throws {
        if finished {
            throw SpreadsheetError(
                .writeFailed, file: displayName, en: "the workbook is already finished or aborted", zh: "工作簿已完成或已放弃")
        }
    }

    private func validateSheetName(_ name: String) throws {
        var problem: (String, String)?
        if name.isEmpty || name.utf16.count > 31 {
            problem = ("must have 1 to 31 characters", "长度必须为 1 到 31 个字符")
        } else if let bad = name.first(where: { ":\\/?*[]".contains($0) }) {
            problem = ("must not contain \"\(bad)\"", "不能包含“\(bad)”")
        } else if name.hasPrefix("'") || name.hasSuffix("'") {
            problem = ("must not start or end with an apostrophe", "不能以单引号开头或结尾")
        } else if sheets.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            problem = ("is already used in this workbook", "在此工作簿中已存在")
        } else if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
            problem = ("must not contain control characters", "不能包含控制字符")
        }
        if let (en, zh) = problem {
            throw SpreadsheetError(
                .invalidValue, file: displayName, en: "sheet name \"\(name)\" \(en)", zh: "工作表名称“\(name)”\(zh)")
        }
    }

    // MARK: - Packaging

    private func buildArchive(at url: URL) throws {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw zipError(error)
        }
        let method: CompressionMethod = options.compress ? .deflate : .none
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            do {
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: Date(), compressionMethod: method
                ) { position, size in
                    let start = Int(position)
                    return data.subdata(in: start..<min(start + size, data.count))
                }
            } catch { throw zipError(error) }
        }
        try add("[Content_Types].xml", contentTypes())
        try add("_rels/.rels", rootRelationships())
        try add("docProps/core.xml", coreProperties())
        try add("docProps/app.xml", appProperties())
        if !options.customProperties.isEmpty { try add("docProps/custom.xml", customPropertiesXML()) }
        try add("xl/workbook.xml", workbookXML())
        try add("xl/_rels/workbook.xml.rels", workbookRelationships())
        try add("xl/styles.xml", XLSXStyles.xml)
        for sheet in sheets {
            let part = try sheet.partSource()
            do {
                try archive.addEntry(
                    with: "xl/worksheets/sheet\(sheet.index).xml", type: .file,
                    uncompressedSize: Int64(part.totalSize), modificationDate: Date(),
                    compressionMethod: method, bufferSize: 1 << 16
                ) { position, size in
                    try part.read(at: Int(position), count: size)
                }
            } catch let e as SpreadsheetError {
                throw e
            } catch { throw zipError(error) }
            part.close()
        }
    }

    private func zipError(_ error: Error) -> SpreadsheetError {
        let detail: String
        if let p = error as? POSIXError { detail = String(cString: strerror(p.code.rawValue)) } else { detail = "\(error)" }
        return SpreadsheetError(
            .writeFailed, file: displayName,
            en: "building the XLSX archive failed: \(detail); the previous file, if any, is unchanged",
            zh: "生成 XLSX 压缩包失败：\(detail)；原有文件（如有）保持不变")
    }

    private func contentTypes() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
            <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
            """
        if !options.customProperties.isEmpty {
            s +=
                "<Override PartName=\"/docProps/custom.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>"
        }
        for sheet in sheets {
            s +=
                "<Override PartName=\"/xl/worksheets/sheet\(sheet.index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return s + "</Types>"
    }

    private func rootRelationships() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
            """
        if !options.customProperties.isEmpty {
            s +=
                "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/>"
        }
        return s + "</Relationships>"
    }

    private func customPropertiesXML() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" \
            xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
            """
        for (i, name) in options.customProperties.keys.sorted().enumerated() {
            // pid 2 is the first one allowed; fmtid is the one every custom property uses.
            s +=
                "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"\(i + 2)\" name=\"\(XMLEscaping.escaped(name))\">"
                + "<vt:lpwstr>\(XMLEscaping.escaped(options.customProperties[name]!, attribute: false))</vt:lpwstr></property>"
        }
        return s + "</Properties>"
    }

    private func coreProperties() -> String {
        let now = ISO8601DateFormatter().string(from: Date())
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
            xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
            <dc:creator>\(XMLEscaping.escaped(options.creator, attribute: false))</dc:creator>\
            <dcterms:created xsi:type="dcterms:W3CDTF">\(now)</dcterms:created>\
            <dcterms:modified xsi:type="dcterms:W3CDTF">\(now)</dcterms:modified>\
            </cp:coreProperties>
            """
    }

    private func appProperties() -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
        xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
        <Application>Academy</Application></Properties>
        """
    }

    private func workbookXML() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <workbookPr date1904="0"/><bookViews><workbookView activeTab="0"/></bookViews><sheets>
            """
        for sheet in sheets {
            s += "<sheet name=\"\(XMLEscaping.escaped(sheet.name))\" sheetId=\"\(sheet.index)\" r:id=\"rId\(sheet.index)\"/>"
        }
        s += "</sheets>"
        let filtered = sheets.filter { $0.autoFilterRange != nil || $0.printTitleRows > 0 }
        if !filtered.isEmpty {
            s += "<definedNames>"
            for sheet in filtered {
                let quoted = "'" + sheet.name.replacingOccurrences(of: "'", with: "''") + "'"
                if sheet.printTitleRows > 0 {
                    s += "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(sheet.index - 1)\">"
                    s += XMLEscaping.escaped("\(quoted)!$1:$\(sheet.printTitleRows)", attribute: false) + "</definedName>"
                }
                guard sheet.autoFilterRange != nil else { continue }
                let absolute = sheet.autoFilterRange!.split(separator: ":").map { ref -> String in
                    let letters = ref.prefix { $0.isLetter }
                    return "$\(letters)$\(ref.dropFirst(letters.count))"
                }.joined(separator: ":")
                s += "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(sheet.index - 1)\" hidden=\"1\">"
                s += XMLEscaping.escaped("\(quoted)!\(absolute)", attribute: false) + "</definedName>"
            }
            s += "</definedNames>"
        }
        return s + "<calcPr calcId=\"191029\"/></workbook>"
    }

    private func workbookRelationships() -> String {
        var s = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            """
        for sheet in sheets {
            s +=
                "<Relationship Id=\"rId\(sheet.index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(sheet.index).xml\"/>"
        }
        s +=
            "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return s + "</Relationships>"
    }
}

/// The fixed style sheet. Cell style indexes (`s="…"`) used by the sheet writer:
/// 0 General · 1 bold header on light grey · 2 date `yyyy-mm-dd` · 3 date-time
/// `yyyy-mm-dd hh:mm:ss` · 4 percent `0.0%` · 5 wrapped text.
/// Extra cell formats a row can ask for (`XLSXSheetWriter.writeRow(_:styles:)`).
public enum XLSXCellStyle: Sendable, Hashable {
    /// Text indented by `level` steps (1…8), as a department under its parent.
    case indent(Int)
    /// A number with one decimal ("78.8"), so that every average reads alike.
    case oneDecimal
    /// Bold text or integer (a total row).
    case bold
    case boldPercent
    case boldOneDecimal

    var index: Int {
        switch self {
        case .indent(let n): XLSXStyles.indentBase + max(1, min(8, n)) - 1
        case .oneDecimal: XLSXStyles.oneDecimal
        case .bold: XLSXStyles.bold
        case .boldPercent: XLSXStyles.boldPercent
        case .boldOneDecimal: XLSXStyles.boldOneDecimal
        }
    }
}

enum XLSXStyles {
    static let header = 1, date = 2, dateTime = 3, percent = 4, wrap = 5
    static let oneDecimal = 6, bold = 7, boldPercent = 8, boldOneDecimal = 9, indentBase = 10

    static let indents = (1...8).map {
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment indent=\"\($0)\"/></xf>"
    }.joined()

    static let xml = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
        <numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/><numFmt numFmtId="166" formatCode="0.0%"/>\
        <numFmt numFmtId="167" formatCode="0.0"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/><scheme val="minor"/></font>\
        <font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/><scheme val="minor"/></font></fonts>\
        <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="18"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>\
        <xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="166" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        <xf numFmtId="167" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        \(XLSXStyles.indents)\
        </cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        <dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>\
        </styleSheet>
        """
}
