import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Byte-level helpers: UTF-8 validation with the offset of the first bad byte, GB18030 through
/// iconv, and the detection rule the CSV reader uses.
enum TextDecoding {
    /// The detection rule (in this order):
    /// 1. `EF BB BF` → UTF-8 (the BOM is dropped); invalid UTF-8 after it is an error.
    /// 2. `FF FE` / `FE FF` → UTF-16 LE / BE (what Excel's "Unicode text" writes).
    /// 3. valid UTF-8 (pure ASCII included) → UTF-8.
    /// 4. otherwise GB18030 (a superset of GBK and GB2312 — Excel on Chinese Windows).
    /// 5. invalid in both → `.encoding` error naming the byte offset and the line.
    /// The result is UTF-8 bytes without a BOM.
    static func decodeToUTF8(_ bytes: [UInt8], file: String) throws -> (bytes: [UInt8], encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes[3...])
            if let bad = firstInvalidUTF8(body) {
                throw encodingError(file: file, bytes: bytes, offset: bad + 3, tried: "UTF-8 (BOM)", zhTried: "UTF-8（带 BOM）")
            }
            return (body, .utf8BOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            return (try decodeUTF16(Array(bytes[2...]), littleEndian: little, file: file), little ? .utf16LE : .utf16BE)
        }
        guard let badUTF8 = firstInvalidUTF8(bytes) else {
            return (bytes, .utf8)
        }
        switch Iconv.convert(bytes, from: "GB18030", to: "UTF-8") {
        case .success(let utf8):
            return (utf8, .gb18030)
        case .failure(let badGB):
            // The decoder that got further is most likely the file's real encoding: point there.
            let offset = max(badUTF8, badGB.offset)
            throw encodingError(
                file: file, bytes: bytes, offset: offset, tried: "UTF-8 or GB18030/GBK", zhTried: "UTF-8 或 GB18030/GBK")
        }
    }

    static func encodingError(file: String, bytes: [UInt8], offset: Int, tried: String, zhTried: String) -> SpreadsheetError {
        let line = lineNumber(atByteOffset: offset, in: bytes)
        let shown = offset < bytes.count ? String(format: "0x%02X", bytes[offset]) : "end of file"
        let shownZh = offset < bytes.count ? String(format: "0x%02X", bytes[offset]) : "文件末尾"
        return SpreadsheetError(
            .encoding, file: file, line: line, byteOffset: offset,
            en: "the file is not valid \(tried): byte \(shown) at offset \(offset) cannot be decoded; save it as \"CSV UTF-8\"",
            zh: "文件不是有效的 \(zhTried) 编码：偏移 \(offset) 处的字节 \(shownZh) 无法解码；请另存为“CSV UTF-8”格式")
    }

    /// 1-based line of a byte offset: LF, CRLF and a lone CR each end a line.
    static func lineNumber(atByteOffset offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
            } else if b == 0x0D {
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
                if i < end { line += 1 }
            }
            i += 1
        }
        return line
    }

    /// Offset of the first byte that is not part of a well-formed UTF-8 sequence (overlongs,
    /// surrogates and values above U+10FFFF are ill-formed), or nil when all is valid.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = 0
            while i < n {
                // Fast path: 8 ASCII bytes at a time.
                while i + 8 <= n {
                    let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if word & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                if i >= n { break }
                let b0 = p[i]
                if b0 < 0x80 { i += 1; continue }
                let need: Int
                var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
                switch b0 {
                case 0xC2...0xDF: need = 1
                case 0xE0: need = 2; lo = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: need = 2
                case 0xED: need = 2; hi = 0x9F
                case 0xF0: need = 3; lo = 0x90
                case 0xF1...0xF3: need = 3
                case 0xF4: need = 3; hi = 0x8F
                default: return i
                }
                if i + need >= n { return i }
                let b1 = p[i + 1]
                if b1 < lo || b1 > hi { return i }
                var k = 2
                while k <= need {
                    let b = p[i + k]
                    if b < 0x80 || b > 0xBF { return i }
                    k += 1
                }
                i += need + 1
            }
            return nil
        }
    }

    static func decodeUTF16(_ bytes: [UInt8], littleEndian: Bool, file: String) throws -> [UInt8] {
        if bytes.count % 2 != 0 {
            throw SpreadsheetError(
                .encoding, file: file, byteOffset: bytes.count + 1,
                en: "the UTF-16 file has an odd number of bytes; it is truncated",
                zh: "UTF-16 文件的字节数为奇数，文件不完整")
        }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 0
        while i < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (a | b << 8) : (a << 8 | b))
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count * 2)
        var unitIndex = 0
        var decoder = UTF16()
        var it = units.makeIterator()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s):
                UTF8.encode(s) { out.append($0) }
                unitIndex += s.value > 0xFFFF ? 2 : 1
            case .emptyInput:
                return out
            case .error:
                let offset = 2 + unitIndex * 2
                throw SpreadsheetError(
                    .encoding, file: file, byteOffset: offset,
                    en: "the UTF-16 file has an unpaired surrogate at byte offset \(offset)",
                    zh: "UTF-16 文件在字节偏移 \(offset) 处有不成对的代理项")
            }
        }
    }
}

/// A thin wrapper around iconv(3) for whole-buffer conversions.
enum Iconv {
    struct Failure: Error {
        /// Offset in the input of the first byte that could not be converted.
        var offset: Int
        /// True when the input ended inside a multi-byte sequence.
        var incomplete: Bool
    }

    static func convert(_ input: [UInt8], from: String, to: String) -> Result<[UInt8], Failure> {
        guard let cd = openConverter(from: from, to: to) else {
            return .failure(Failure(offset: 0, incomplete: false))
        }
        defer { iconv_close(cd) }
        return convert(input, using: cd)
    }

    static func convert(_ input: [UInt8], using cd: iconv_t) -> Result<[UInt8], Failure> {
        if input.isEmpty { return .success([]) }
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        var consumed = 0
        var failure: Failure?
        input.withUnsafeBufferPointer { inBuf in
            while consumed < input.count {
                if output.count - produced < 64 { output.append(contentsOf: repeatElement(0, count: output.count)) }
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(mutating: inBuf.baseAddress! + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = input.count - consumed
                let outCapacity = output.count - produced
                var outLeft = outCapacity
                let rc = output.withUnsafeMutableBufferPointer { outBuf -> Int in
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                }
                let err = errno
                consumed = input.count - inLeft
                produced += outCapacity - outLeft
                if rc == -1 {
                    if err == E2BIG { continue }
                    failure = Failure(offset: consumed, incomplete: err == EINVAL)
                    return
                }
            }
        }
        if let failure { return .failure(failure) }
        output.removeSubrange(produced...)
        return .success(output)
    }

    static func openConverter(from: String, to: String) -> iconv_t? {
        let cd = iconv_open(to, from)
        if cd == iconv_t(bitPattern: -1) { return nil }
        return cd
    }
}
