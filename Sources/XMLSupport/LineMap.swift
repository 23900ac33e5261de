#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps byte offsets in a UTF-8 buffer to 1-based line and column (columns count Unicode
/// scalars). Exact for any number of lines. Queries in increasing order are cheap.
final class LineMap {
    let buffer: UnsafeBufferPointer<UInt8>
    private var lineStarts: [Int] = [0]
    private var cursorLine = 0
    private var cursorOffset = 0
    private var cursorColumn = 1

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        var offset = 0
        let count = buffer.count
        while offset < count {
            guard let hit = memchr(base + offset, 0x0A, count - offset) else { break }
            let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            lineStarts.append(at + 1)
            offset = at + 1
        }
    }

    /// A map of the same buffer with its own cursor (for use on another thread).
    init(sharing other: LineMap) {
        buffer = other.buffer
        lineStarts = other.lineStarts
    }

    /// The offset of the `<` that opens the tag containing `offset` (`<` cannot occur inside a tag).
    func startOfTag(before offset: Int) -> Int {
        guard !buffer.isEmpty else { return 0 }
        var i = min(max(offset, 0), buffer.count - 1)
        while i > 0 && buffer[i] != 0x3C { i -= 1 }
        return i
    }

    func position(ofOffset rawOffset: Int) -> XMLPosition {
        let offset = min(max(rawOffset, 0), buffer.count)
        let line: Int
        if lineStarts[cursorLine] <= offset && (cursorLine + 1 == lineStarts.count || lineStarts[cursorLine + 1] > offset) {
            line = cursorLine
        } else {
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            line = lo
        }
        var from = lineStarts[line]
        var column = 1
        if line == cursorLine && cursorOffset <= offset && cursorOffset >= from {
            from = cursorOffset
            column = cursorColumn
        }
        var i = from
        while i < offset {
            if buffer[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        cursorLine = line
        cursorOffset = offset
        cursorColumn = column
        return XMLPosition(line: line + 1, column: column)
    }
}
