import Foundation
import NIOCore

/// Rows in the text format of `COPY … FROM STDIN` (tab between columns, a newline after each
/// row, `\N` for NULL; a backslash, tab, newline or carriage return inside a value written as
/// `\\`, `\t`, `\n`, `\r`), for `PostgresSession.copy`. The server reads back exactly the
/// bytes of each text and the digits of each integer, so a row copied holds the same values as
/// the same row bound as arrays (`CellColumn`).
///
/// Only integers, texts and NULLs are written: a row with any other cell (a real, a blob) goes
/// the array way, which encodes those exactly in binary.
struct CopyText {
    private(set) var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// The rows as COPY text for columns of `kinds` (an integer only into an int8 column, a
    /// text only into a text column), or nil if a cell cannot be written so.
    static func rows(_ rows: [[Cell]], kinds: [CellColumn.Kind]) -> ByteBuffer? {
        for row in rows {
            guard row.count == kinds.count else { return nil }
            for (cell, kind) in zip(row, kinds) where !fits(cell, kind) { return nil }
        }
        var out = CopyText(capacity: rows.count * 16 * max(kinds.count, 1))
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i > 0 { out.tab() }
                out.cell(cell)
            }
            out.newline()
        }
        return out.buffer
    }

    static func fits(_ cell: Cell, _ kind: CellColumn.Kind) -> Bool {
        switch (cell, kind) {
        case (.null, _), (.int, .int8), (.text, .text): true
        default: false
        }
    }

    /// An integer, a text or NULL (`fits` said which); anything else is a programming error.
    mutating func cell(_ cell: Cell) {
        switch cell {
        case .null: null()
        case let .int(i): int(i)
        case let .text(s): text(s)
        default: preconditionFailure("CopyText: \(cell) is written the array way")
        }
    }

    mutating func tab() { buffer.writeInteger(UInt8(ascii: "\t")) }
    mutating func newline() { buffer.writeInteger(UInt8(ascii: "\n")) }
    mutating func null() { buffer.writeStaticString("\\N") }

    mutating func int(_ value: Int64) {
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        var n = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
            } while n > 0
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: digits[i...])))
        }
    }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            var from = 0
            for i in bytes.indices {
                let escaped: UInt8
                switch bytes[i] {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                default: continue
                }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[from..<i])))
                buffer.writeInteger(UInt8(ascii: "\\"))
                buffer.writeInteger(escaped)
                from = i + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[from...])))
        }
    }
}
