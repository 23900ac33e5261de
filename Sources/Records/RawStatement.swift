import GRDB
import GRDBSQLite

/// Binding and stepping a prepared GRDB statement through the SQLite C API, for the bulk paths
/// (event appends, staff import) where GRDB's argument boxing dominated the profile.
struct RawStatement {
    let statement: Statement
    let handle: OpaquePointer
    let db: Database
    /// The bytes of the text bound until the statement has run (see `BoundText`).
    private let text = BoundText()

    /// `cached`: kept in the connection's statement cache (statements run again and again);
    /// false for one-off text, such as a multi-row insert whose length varies.
    init(_ db: Database, sql: String, cached: Bool = true) throws {
        self.db = db
        statement = cached ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    static var emptyPointer: UnsafeMutablePointer<UInt8> { empty }
    static var transientDestructor: sqlite3_destructor_type { transient }

    nonisolated(unsafe) private static let empty: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return p
    }()

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { buf in
            let copy = text.copy(UnsafeRawBufferPointer(buf))
            sqlite3_bind_text(handle, index, copy.assumingMemoryBound(to: CChar.self), Int32(buf.count), nil)  // SQLITE_STATIC
        }
    }

    /// Runs the statement once and resets it; throws GRDB's error on failure.
    func run() throws {
        let rc = sqlite3_step(handle)
        reset()
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    /// Resets the statement and clears its bindings (the text they point at is then reused).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        text.reset()
    }

    func error(_ rc: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: statement.sql)
    }
}

/// Copies of the text bound to one statement, kept until it has run: SQLite reads them in place
/// (`SQLITE_STATIC`) instead of copying each value into a buffer of its own (`SQLITE_TRANSIENT`
/// cost a malloc, a copy and a free per value, a tenth of a bulk import's writing thread). The
/// statement clears its bindings before the copies are reused (`RawStatement.reset`).
final class BoundText {
    private var blocks: [UnsafeMutableRawBufferPointer] = []
    /// The block being filled, and how much of it is used.
    private var current = 0
    private var used = 0
    static let blockSize = 4096

    /// A copy of `bytes` that stays where it is until `reset()`.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let n = max(bytes.count, 1)
        if blocks.isEmpty || used + n > blocks[current].count {
            // The next block that holds it, else a new one (so a round of bindings never needs
            // more blocks than its largest round did).
            let from = blocks.isEmpty ? 0 : current + 1
            if let next = blocks.indices.dropFirst(from).first(where: { blocks[$0].count >= n }) {
                current = next
            } else {
                blocks.append(UnsafeMutableRawBufferPointer.allocate(byteCount: max(Self.blockSize, n), alignment: 1))
                current = blocks.count - 1
            }
            used = 0
        }
        let p = blocks[current].baseAddress! + used
        if let source = bytes.baseAddress { p.copyMemory(from: source, byteCount: bytes.count) }
        used += n
        return UnsafeRawPointer(p)
    }

    /// Blocks allocated so far (they are kept and reused).
    var blockCount: Int { blocks.count }

    /// No binding points at a copy any more: the blocks are filled again from the first.
    func reset() {
        current = 0
        used = 0
    }

    deinit { for b in blocks { b.deallocate() } }
}
