#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

import Localization

/// Turns raw file bytes into UTF-8 without a byte-order mark, following the byte-order mark or
/// the encoding declared in the XML declaration. libxml2 then always parses UTF-8, so byte offsets
/// into the returned buffer are positions in the text the trainer wrote.
enum XMLEncoding {
    struct Failure: Error {
        var position: XMLPosition
        var message: BilingualText
    }

    /// Labels that mean GB2312 or one of its supersets. A file labelled GB2312 often holds
    /// GBK-only characters (e.g. 镕, 喆); GB18030 decodes all of them.
    static let chineseLabels: Set<String> = [
        "gb2312", "gbk", "gb18030", "cp936", "ms936", "windows-936", "euc-cn", "euccn", "x-gbk",
        "csgb2312", "gb_2312-80", "chinese", "iso-ir-58", "csiso58gb231280",
    ]
    static let utf8Labels: Set<String> = ["utf-8", "utf8", "unicode-1-1-utf-8"]
    static let asciiLabels: Set<String> = ["us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968"]
    static let utf16Labels: Set<String> = ["utf-16", "utf16", "utf-16le", "utf-16be", "ucs-2", "iso-10646-ucs-2"]

    static func toUTF8(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        let n = bytes.count
        // Byte-order marks.
        if n >= 4,
            (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF)
                || (bytes[0] == 0xFF && bytes[1] == 0xFE && bytes[2] == 0 && bytes[3] == 0)
        {
            throw Failure(
                position: .init(line: 1, column: 1),
                message: BilingualText(
                    zh: "不支持 UTF-32 编码，请另存为 UTF-8",
                    en: "UTF-32 is not supported; save the file as UTF-8"))
        }
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            let rest = Array(bytes[3...])
            if let label = declaredEncoding(asciiPrefix: rest), !utf8Labels.contains(label) {
                throw Failure(
                    position: .init(line: 1, column: 1),
                    message: BilingualText(
                        zh: "文件以 UTF-8 字节顺序标记开头，但声明的编码是 “\(label)”，两者矛盾",
                        en: "the file starts with a UTF-8 byte-order mark but declares encoding \"\(label)\""))
            }
            return rest
        }
        if n >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let little = bytes[0] == 0xFF
            let out = try decodeUTF16(bytes, from: 2, littleEndian: little)
            try checkUTF16Label(out)
            return out
        }
        // UTF-16 without a byte-order mark: "<?" as 3C 00 3F 00 or 00 3C 00 3F.
        if n >= 4, bytes[0] == 0x3C, bytes[1] == 0, bytes[2] == 0x3F, bytes[3] == 0 {
            let out = try decodeUTF16(bytes, from: 0, littleEndian: true)
            try checkUTF16Label(out)
            return out
        }
        if n >= 4, bytes[0] == 0, bytes[1] == 0x3C, bytes[2] == 0, bytes[3] == 0x3F {
            let out = try decodeUTF16(bytes, from: 0, littleEndian: false)
            try checkUTF16Label(out)
            return out
        }
        guard let label = declaredEncoding(asciiPrefix: bytes) else { return bytes }
        if utf8Labels.contains(label) { return bytes }
        if asciiLabels.contains(label) {
            if let bad = bytes.firstIndex(where: { $0 >= 0x80 }) {
                throw Failure(
                    position: position(ofByte: bad, in: bytes),
                    message: BilingualText(
                        zh: "声明的编码是 “\(label)”，但文件含有非 ASCII 字节 0x\(hex(bytes[bad]))；请把声明改为实际编码（如 UTF-8）",
                        en:
                            "the file declares encoding \"\(label)\" but contains the non-ASCII byte 0x\(hex(bytes[bad])); declare its real encoding (e.g. UTF-8)"
                    ))
            }
            return bytes
        }
        if utf16Labels.contains(label) {
            throw Failure(
                position: .init(line: 1, column: 1),
                message: BilingualText(
                    zh: "声明的编码是 “\(label)”，但文件并不是 UTF-16（没有字节顺序标记，声明本身是单字节编写的）",
                    en:
                        "the file declares encoding \"\(label)\" but is not UTF-16 (no byte-order mark and the declaration itself is single-byte)"
                ))
        }
        let iconvName = chineseLabels.contains(label) ? "GB18030" : label.uppercased()
        return try transcode(bytes, from: iconvName, label: label)
    }

    private static func checkUTF16Label(_ utf8: [UInt8]) throws(Failure) {
        if let label = declaredEncoding(asciiPrefix: utf8), !utf16Labels.contains(label) {
            throw Failure(
                position: .init(line: 1, column: 1),
                message: BilingualText(
                    zh: "文件是 UTF-16 编码，但声明的编码是 “\(label)”，两者矛盾",
                    en: "the file is UTF-16 but declares encoding \"\(label)\""))
        }
    }

    /// The lower-cased `encoding` pseudo-attribute of an XML declaration at the very start.
    static func declaredEncoding(asciiPrefix bytes: [UInt8]) -> String? {
        let limit = min(bytes.count, 512)
        guard limit >= 5, bytes[0] == 0x3C, bytes[1] == 0x3F, bytes[2] == 0x78, bytes[3] == 0x6D, bytes[4] == 0x6C
        else { return nil }
        var end = 5
        while end + 1 < limit, !(bytes[end] == 0x3F && bytes[end + 1] == 0x3E) { end += 1 }
        let decl = String(decoding: bytes[5..<end], as: UTF8.self)
        guard let r = decl.range(of: "encoding") else { return nil }
        var rest = decl[r.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let close = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<close]).lowercased()
    }

    private static func decodeUTF16(_ bytes: [UInt8], from start: Int, littleEndian: Bool) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 2)
        var i = start
        var line = 1
        let n = bytes.count
        @inline(__always) func unit(_ i: Int) -> UInt32 {
            littleEndian ? UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 : UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
        }
        func fail() -> Failure {
            Failure(
                position: .init(line: line, column: 1),
                message: BilingualText(
                    zh: "UTF-16 编码无效（第 \(i) 字节附近）：文件被截断或不是 UTF-16",
                    en: "invalid UTF-16 near byte \(i): the file is truncated or not UTF-16"))
        }
        while i < n {
            guard i + 1 < n else { throw fail() }
            var c = unit(i)
            i += 2
            if c >= 0xD800 && c <= 0xDBFF {
                guard i + 1 < n else { throw fail() }
                let d = unit(i)
                guard d >= 0xDC00 && d <= 0xDFFF else { throw fail() }
                i += 2
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00)
            } else if c >= 0xDC00 && c <= 0xDFFF {
                throw fail()
            }
            if c == 0x0A { line += 1 }
            appendUTF8(c, to: &out)
        }
        return out
    }

    private static func appendUTF8(_ c: UInt32, to out: inout [UInt8]) {
        switch c {
        case 0..<0x80:
            out.append(UInt8(c))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }

    /// Converts with iconv. Reports the first undecodable byte with its line.
    private static func transcode(_ bytes: [UInt8], from encoding: String, label: String) throws(Failure) -> [UInt8] {
        let cd = iconv_open("UTF-8", encoding)
        if cd == iconv_t(bitPattern: -1) {
            throw Failure(
                position: .init(line: 1, column: 1),
                message: BilingualText(
                    zh: "不认识声明的编码 “\(label)”；请使用 UTF-8（推荐）或 GB18030/GBK/GB2312",
                    en: "unknown encoding \"\(label)\" in the XML declaration; use UTF-8 (recommended) or GB18030/GBK/GB2312"))
        }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var input = bytes
        var failedAt: Int? = nil
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft > 0 { failedAt = inBuf.count - inLeft }
                produced = outBuf.count - outLeft
            }
        }
        if let at = failedAt {
            let shown = bytes[at..<min(at + 4, bytes.count)].map { "0x" + hex($0) }.joined(separator: " ")
            throw Failure(
                position: position(ofByte: at, in: bytes),
                message: BilingualText(
                    zh: "声明的编码是 “\(label)”，但这里的字节 \(shown) 不是有效的 \(encoding) 文本；请检查文件的实际编码（例如是否其实是 UTF-8）",
                    en:
                        "the file declares encoding \"\(label)\" but the bytes \(shown) here are not valid \(encoding); check the file's real encoding (is it UTF-8?)"
                ))
        }
        out.removeSubrange(produced...)
        return out
    }

    /// Line and (byte-based, ASCII-compatible) column of a byte offset in a single-byte-compatible file.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> XMLPosition {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return XMLPosition(line: line, column: offset - lineStart + 1)
    }

    static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }
}
