import GRDB
import GRDBSQLite

/// Binding and stepping a prepared GRDB statement through the SQLite C API, for the bulk paths
/// (event appends, staff import) where GRDB's argument boxing dominated the profile.
struct RawStatement {
    let statement: Statement
    let handle: OpaquePointer
    let db: Database

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
            let raw = UnsafeRawPointer(buf.baseAddress ?? UnsafePointer(Self.empty))
            sqlite3_bind_text(handle, index, raw.assumingMemoryBound(to: CChar.self), Int32(buf.count), Self.transient)
        }
    }

    /// Runs the statement once and resets it; throws GRDB's error on failure.
    func run() throws {
        let rc = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error(rc) }
    }

    func error(_ rc: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: statement.sql)
    }
}
