import Foundation
import Testing

@testable import Spreadsheets

@Suite struct CSVReaderTests {
    @Test func plainRowsWithLF() throws {
        let t = try csv("badge,name\n001,张三\n002,李四\n")
        #expect(cells(t) == [["badge", "name"], ["001", "张三"], ["002", "李四"]])
        #expect(lines(t) == [1, 2, 3])
        #expect(t.format == .csv(.utf8))
        #expect(t.source == "t.csv")
    }

    @Test func crlfAndNoTrailingNewline() throws {
        let t = try csv("a,b\r\n1,2\r\n3,4")
        #expect(cells(t) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(lines(t) == [1, 2, 3])
    }

    @Test func loneCRRecords() throws {
        let t = try csv("a,b\r1,2\r")
        #expect(cells(t) == [["a", "b"], ["1", "2"]])
        #expect(lines(t) == [1, 2])
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let text = "name,note\r\n\"王,五\",\"他说\"\"你好\"\"\"\r\n\"多行\r\n第二行\nthird\",x\r\nlast,\"\"\r\n"
        let t = try csv(text)
        #expect(cells(t) == [["name", "note"], ["王,五", "他说\"你好\""], ["多行\r\n第二行\nthird", "x"], ["last", ""]])
        // The multi-line record starts on line 3 and the next one on line 6.
        #expect(lines(t) == [1, 2, 3, 6])
    }

    @Test func emptyFieldsAndTrailingSeparators() throws {
        let t = try csv("a,,c,\n,,,\n\"\",x")
        #expect(cells(t) == [["a", "", "c", ""], ["", "", "", ""], ["", "x"]])
        #expect(t.rows[1].isBlank)
        #expect(!t.rows[2].isBlank)
    }

    @Test func blankLinesYieldNoRowsButKeepLineNumbers() throws {
        let t = try csv("h1,h2\n\n1,2\n\n\n3,4\n\n")
        #expect(cells(t) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
        #expect(lines(t) == [1, 3, 6])
    }

    @Test func emptyAndBOMOnlyFiles() throws {
        #expect(try csv("").rows.isEmpty)
        #expect(try SpreadsheetReader.read(data: Data([0xEF, 0xBB, 0xBF]), source: "b.csv").rows.isEmpty)
        #expect(try csv("\n\n").rows.isEmpty)
    }

    @Test func quoteInsideUnquotedFieldIsLiteral() throws {
        let t = try csv("a\"b,c\n")
        #expect(cells(t) == [["a\"b", "c"]])
    }

    @Test func utf8BOMIsDroppedAndReported() throws {
        let t = try SpreadsheetReader.read(data: Data([0xEF, 0xBB, 0xBF] + Array("姓名,部门\n张三,城管\n".utf8)), source: "bom.csv")
        #expect(cells(t) == [["姓名", "部门"], ["张三", "城管"]])
        #expect(t.format == .csv(.utf8BOM))
    }

    /// "执法证号,姓名,所属部门 / 3201001,张三,江苏省/南京市/玄武区 / 3201002,"李,四",城管大队" as GBK,
    /// the bytes Excel on Chinese Windows writes (generated with Python's 'gbk' codec).
    static let gbkBytes: [UInt8] = [
        0xD6, 0xB4, 0xB7, 0xA8, 0xD6, 0xA4, 0xBA, 0xC5, 0x2C, 0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xCB, 0xF9, 0xCA, 0xF4, 0xB2, 0xBF,
        0xC3, 0xC5, 0x0D, 0x0A, 0x33, 0x32, 0x30, 0x31, 0x30, 0x30, 0x31, 0x2C, 0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xBD, 0xAD, 0xCB,
        0xD5, 0xCA, 0xA1, 0x2F, 0xC4, 0xCF, 0xBE, 0xA9, 0xCA, 0xD0, 0x2F, 0xD0, 0xFE, 0xCE, 0xE4, 0xC7, 0xF8, 0x0D, 0x0A, 0x33,
        0x32, 0x30, 0x31, 0x30, 0x30, 0x32, 0x2C, 0x22, 0xC0, 0xEE, 0x2C, 0xCB, 0xC4, 0x22, 0x2C, 0xB3, 0xC7, 0xB9, 0xDC, 0xB4,
        0xF3, 0xB6, 0xD3, 0x0D, 0x0A,
    ]

    @Test func gbkIsDetected() throws {
        let t = try SpreadsheetReader.read(data: Data(Self.gbkBytes), source: "gbk.csv")
        #expect(t.format == .csv(.gb18030))
        #expect(cells(t) == [["执法证号", "姓名", "所属部门"], ["3201001", "张三", "江苏省/南京市/玄武区"], ["3201002", "李,四", "城管大队"]])
    }

    @Test func gbkOnlyAndFourByteGB18030Characters() throws {
        // 朱镕基: 镕 is in GBK but not in GB2312 (E9 46); 😀 needs a GB18030 four-byte sequence.
        let bytes: [UInt8] = Array("name\n".utf8) + [0xD6, 0xEC, 0xE9, 0x46, 0xBB, 0xF9] + [0x2C, 0x94, 0x39, 0xFC, 0x36, 0x0A]
        let t = try SpreadsheetReader.read(data: Data(bytes), source: "g.csv")
        #expect(t.format == .csv(.gb18030))
        #expect(cells(t) == [["name"], ["朱镕基", "😀"]])
    }

    @Test func gbkFromIconvAtTestTime() throws {
        // Independent of the literal above: let the system's iconv produce GB18030 bytes.
        let text = "执法证号,姓名,所属部门,人员类别\r\nNJ-0001,欧阳修,\"江苏省/南京市/玄武区/城市管理综合行政执法大队\",协管人员\r\n"
        let (status, _, _) = try run("/usr/bin/env", ["sh", "-c", "command -v iconv"])
        guard status == 0 else { return }
        let dir = try TempDir(); defer { dir.cleanup() }
        let src = try dir.write("u.csv", text)
        let dst = dir.file("g.csv")
        let (rc, _, err) = try run("/usr/bin/env", ["sh", "-c", "iconv -f UTF-8 -t GB18030 '\(src.path)' > '\(dst.path)'"])
        #expect(rc == 0, "\(err)")
        let t = try SpreadsheetReader.read(contentsOf: dst)
        #expect(t.format == .csv(.gb18030))
        #expect(cells(t)[1] == ["NJ-0001", "欧阳修", "江苏省/南京市/玄武区/城市管理综合行政执法大队", "协管人员"])
    }

    @Test func invalidInBothEncodingsNamesOffsetAndLine() throws {
        // Line 3 holds 0xFF, which starts no UTF-8 sequence and no GB18030 sequence.
        let bytes: [UInt8] = Array("a,b\n1,2\nx,".utf8) + [0xFF, 0xFF] + Array("\n".utf8)
        let e = try #require(csvError(bytes, source: "bad.csv"))
        #expect(e.kind == .encoding)
        #expect(e.line == 3)
        #expect(e.byteOffset == 10)
        #expect(e.description.hasPrefix("bad.csv:3: error: "))
        #expect(e.description.contains("offset 10"))
        #expect(e.located(in: .zhHans).contains("偏移 10"))
    }

    @Test func brokenUTF8AfterBOMIsAnError() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\nb".utf8) + [0xC3]
        let e = try #require(csvError(bytes))
        #expect(e.kind == .encoding)
        #expect(e.line == 2)
        #expect(e.byteOffset == 6)
    }

    @Test func unterminatedQuoteNamesTheLineWhereTheFieldStarted() throws {
        let e = try #require(csvError(Array("h1,h2\n1,2\n3,\"never\nclosed\nat all\n".utf8), source: "q.csv"))
        #expect(e.kind == .malformedCSV)
        #expect(e.line == 3)
        #expect(e.column == 2)
        #expect(e.description.hasPrefix("q.csv:3:2: error:"))
    }

    @Test func textAfterClosingQuoteIsAnError() throws {
        let e = try #require(csvError(Array("h\n\"ab\"cd,x\n".utf8)))
        #expect(e.kind == .malformedCSV)
        #expect(e.line == 2)
        #expect(e.column == 1)
    }

    @Test func binaryAndLegacyFilesAreRefused() throws {
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]
        let e1 = try #require(csvError(xls, source: "old.xls"))
        #expect(e1.kind == .unsupportedFormat)
        #expect(e1.english.contains(".xls"))
        let e2 = try #require(csvError(Array("a,b\n1,".utf8) + [0, 1, 2]))
        #expect(e2.kind == .unsupportedFormat)
        #expect(e2.line == 2)
    }

    @Test func tabDelimitedWhenTheFirstLineHasTabsAndNoComma() throws {
        #expect(cells(try csv("姓名\t部门\n张三\t\"城管,大队\"\n")) == [["姓名", "部门"], ["张三", "城管,大队"]])
        #expect(cells(try csv("a,b\tc\n1,2\n")) == [["a", "b\tc"], ["1", "2"]])
    }

    @Test func utf16WithBOM() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for u in "姓名\t部门\r\n张三\t城管\r\n".utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let t = try SpreadsheetReader.read(data: Data(bytes), source: "u16.csv")
        #expect(t.format == .csv(.utf16LE))
        #expect(cells(t) == [["姓名", "部门"], ["张三", "城管"]])
    }

    @Test func missingFileAndDirectoryAreClearErrors() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        do {
            _ = try SpreadsheetReader.read(contentsOf: dir.file("nope.csv"))
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .unreadable)
            #expect(e.file.hasSuffix("nope.csv"))
            #expect(e.chinese.contains("不存在"))
        }
        do {
            _ = try SpreadsheetReader.read(contentsOf: dir.url)
            Issue.record("expected an error")
        } catch let e as SpreadsheetError {
            #expect(e.kind == .unreadable)
        }
    }

    @Test func fileSizeLimit() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let u = try dir.write("big.csv", String(repeating: "a,b\n", count: 1000))
        #expect(throws: SpreadsheetError.self) {
            try SpreadsheetReader.read(contentsOf: u, limits: ReadLimits(maxFileBytes: 100))
        }
        #expect(try SpreadsheetReader.read(contentsOf: u).rows.count == 1000)
    }

    @Test func utf8ValidatorAgreesWithTheStandardLibrary() throws {
        var rng = SystemRandomNumberGenerator()
        let samples: [[UInt8]] = [
            [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98, 0x80],
            [0xE4, 0xB8], [0xE4, 0xB8, 0xAD], [0x41, 0xC2], Array("hello world, 你好".utf8),
        ]
        for s in samples {
            #expect((TextDecoding.firstInvalidUTF8(s) == nil) == (String(validating: s, as: UTF8.self) != nil), "\(s)")
        }
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<24, using: &rng)
            let s = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect((TextDecoding.firstInvalidUTF8(s) == nil) == (String(validating: s, as: UTF8.self) != nil), "\(s)")
        }
    }
}

/// A large file without quotes is parsed in two halves at once; the rows, their line numbers
/// and the first error must be those of one pass.
@Suite struct CSVReaderHalvesTests {
    private func onePass(_ bytes: [UInt8]) -> Result<[SheetRow], any Error> {
        Result {
            try bytes.withUnsafeBufferPointer {
                try CSVReader.parseRecords(
                    $0, firstLine: 1, source: "x.csv", delimiter: CSVReader.sniffDelimiter(bytes),
                    maxRecordBytes: CSVReader.defaultMaxRecordBytes)
            }
        }
    }

    private func halves(_ bytes: [UInt8]) -> Result<[SheetRow], any Error> {
        Result { try CSVReader.parseRecords(utf8: bytes, source: "x.csv") }
    }

    private func expectSame(_ text: String, _ comment: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        switch (onePass(bytes), halves(bytes)) {
        case let (.success(a), .success(b)):
            #expect(a.count == b.count, comment, sourceLocation: sourceLocation)
            #expect(a.elementsEqual(b) { $0.line == $1.line && $0.cells == $1.cells }, comment, sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect("\(a)" == "\(b)", comment, sourceLocation: sourceLocation)
        case let (a, b):
            Issue.record("\(comment): one pass \(a), halves \(b)", sourceLocation: sourceLocation)
        }
    }

    @Test func halvesGiveTheRowsLinesAndErrorsOfOnePass() {
        func body(_ n: Int, _ row: (Int) -> String) -> String { (0..<n).map(row).joined() }
        let size = CSVReader.splitFrom / 40 + 1_000  // over 1 MiB at about 45 bytes a row
        let plain = { (i: Int) in "B\(i),人员\(i) 甲乙丙丁戊己庚辛\n" }
        expectSame("badge,name\n" + body(size, plain), "LF")
        expectSame("badge,name\r\n" + body(size) { "B\($0),人员\($0) 甲乙丙丁戊己庚辛\r\n" }, "CRLF")
        expectSame("badge,name\r" + body(size) { $0 % 3 == 0 ? "B\($0),人员\($0) 甲乙丙丁戊己庚\r" : plain($0) }, "lone CR and LF")
        expectSame("badge,name\n" + body(size) { $0 % 97 == 0 ? "\n,,\nB\($0),\n" : plain($0) } + "last,row", "blank, separators only, no final break")
        let long = String(repeating: "长", count: 400_000)
        expectSame("badge,name\n" + body(size) { $0 == size * 3 / 4 ? "B\($0),\(long)\n" : plain($0) }, "a row too long in the second half")
        expectSame("badge,name\n" + body(size) { $0 == size - 5 ? "B\($0),\"多\n行\"\n" : plain($0) }, "a quoted field: one pass")
        let bytes = Array(("a,b\n" + body(size, plain)).utf8)
        #expect(bytes.withUnsafeBufferPointer { CSVReader.splitPoint($0) } != nil, "a file without quotes is split")
        #expect(Array("a,\"b\"\n".utf8).withUnsafeBufferPointer { CSVReader.splitPoint($0) } == nil)
    }
}
