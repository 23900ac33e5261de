import Foundation
import GRDB
import Localization

#if canImport(Glibc)
    import Glibc
#endif

/// The embedded SQLite store (GRDB). One connection per process; WAL lets readers run beside the
/// single writer; every write is a `BEGIN IMMEDIATE` transaction so concurrent processes queue on
/// the busy timeout instead of failing with "database is locked".
///
/// Durability: `synchronous = FULL`, so each commit (an answer save included) is fsynced to the
/// WAL before the call returns. NORMAL would be consistent under WAL but could lose the last
/// commits on power loss, and the exam promises that a saved answer is on disk.
public final class SQLiteEducationStore: EducationStore, @unchecked Sendable {
    public let path: String
    let queue: DatabaseQueue
    private var commits: GroupCommit<Database>!

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 120

    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    /// Refuses, without writing anything, an unreadable file, a file that is not a database, a
    /// corrupt database, another application's database, or one from a newer Academy.
    public init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        // Opening is coordinated through a lock file beside the database: a process that creates
        // or migrates the file holds it exclusively, everyone else shares it while looking, so
        // nobody inspects a half-created file. (Readers of a finished file never wait on each other.)
        let lock = OpenLock(path: path + ".migrate-lock")
        let size = (try? fm.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        lock.acquire(exclusive: !exists || size == 0)
        defer { lock.release() }
        if exists {
            if isDirectory.boolValue { throw StoreError.unreadable(path: path, detail: "is a directory") }
            try Self.checkHeader(path)
            try Self.inspectReadOnly(path)
        } else {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty, !fm.fileExists(atPath: dir) {
                throw StoreError.unreadable(path: path, detail: "directory \(dir) does not exist")
            }
            // Names, badges and every answer: created 0600 (SQLite gives its -wal and -shm files
            // the database file's mode). An empty file is an empty database.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) } else if errno != EEXIST {
                throw StoreError.unreadable(path: path, detail: String(cString: strerror(errno)))
            }
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "academy"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Large imports touch tens of megabytes; a page cache that does not spill mid-transaction
            // keeps each page written to the WAL once. Allocated only as used.
            try db.execute(sql: "PRAGMA cache_size = -131072")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw Self.map(error, path: path)
        }
        try Self.migrate(queue, path: path, lock: lock)
        commits = GroupCommit { [queue, path] jobs, run in Self.runBatch(queue, path: path, jobs, run) }
    }

    /// Readers and writers from this process.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw Self.map(error, path: path) }
    }

    /// Runs `body` as one job of the next group commit (`GroupCommit`): many threads' writes share
    /// one `BEGIN IMMEDIATE … COMMIT` and its fsync, each in its own savepoint; returns only after
    /// that commit.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try commits.perform(body)
    }

    /// Writes are batched (see `write`); `batches`/`jobs` count them for the benchmarks.
    public var groupCommitCounts: (batches: Int, jobs: Int) { commits.counts }
    var queuedWrites: Int { commits.queued }

    static func runBatch(
        _ queue: DatabaseQueue, path: String, _ jobs: [GroupCommit<Database>.Job],
        _ run: (GroupCommit<Database>.Job, Database) throws -> Void
    ) {
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for job in jobs {
                        do {
                            // A lone job needs no savepoint: its failure rolls the transaction back.
                            if jobs.count == 1 {
                                try run(job, db)
                            } else {
                                try db.inSavepoint {
                                    try run(job, db)
                                    return .commit
                                }
                            }
                        } catch {
                            job.error = map(error, path: path)
                            if jobs.count == 1 { throw error }
                            // Some errors (disk full, I/O) make SQLite roll back the whole
                            // transaction: the jobs before this one are gone with it.
                            if !db.isInsideTransaction { throw error }
                        }
                    }
                    return .commit
                }
            }
        } catch {
            let mapped = map(error, path: path)
            for job in jobs where job.error == nil { job.error = mapped }
        }
    }

    // MARK: Opening

    private static let sqliteMagic = Array("SQLite format 3\u{0}".utf8)

    private static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.unreadable(path: path, detail: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let head: Data
        do { head = try handle.read(upToCount: 100) ?? Data() } catch {
            throw StoreError.unreadable(path: path, detail: "\(error)")
        }
        if head.isEmpty { return }  // An empty file is an empty database.
        if head.count < 16 || Array(head.prefix(16)) != sqliteMagic { throw StoreError.notADatabase(path: path) }
        if head.count < 100 { throw StoreError.corrupt(path: path, detail: "file shorter than its header") }
    }

    /// Looks at an existing file through a read-only connection before anything writes to it.
    private static func inspectReadOnly(_ path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        do {
            let q = try DatabaseQueue(path: path, configuration: config)
            defer { try? q.close() }
            try q.read { db in
                let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                // Another process may be creating the file right now: GRDB makes its bookkeeping
                // table before the first migration's transaction commits.
                if tables.subtracting(["grdb_migrations"]).isEmpty { return }
                if appID != Migrations.applicationID {
                    throw StoreError.foreignDatabase(path: path)
                }
                if tables.contains("grdb_migrations") {
                    let known = Set(Migrations.migrator.migrations)
                    let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                    let unknown = applied.filter { !known.contains($0) }
                    if !unknown.isEmpty { throw StoreError.newerSchema(path: path, unknownMigrations: unknown) }
                }
                // Touch every table's root page so a truncated or scrambled file fails here.
                for table in tables.sorted() {
                    _ = try Row.fetchOne(db, sql: "SELECT * FROM \"\(table)\" LIMIT 1")
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw map(error, path: path)
        }
    }

    /// Migrations run under an exclusive file lock so that many processes opening a new file at
    /// once do not race to create the same tables.
    private static func migrate(_ queue: DatabaseQueue, path: String, lock: OpenLock) throws {
        let migrator = Migrations.migrator
        do {
            if try queue.read({ try migrator.hasCompletedMigrations($0) }) { return }
        } catch {
            throw map(error, path: path)
        }
        lock.acquire(exclusive: true)  // re-checked below by the migrator itself
        do {
            try queue.writeWithoutTransaction { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                if mode.lowercased() != "wal" {
                    _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                }
            }
            try migrator.migrate(queue)
        } catch {
            throw map(error, path: path)
        }
    }

    static func map(_ error: any Error, path: String) -> any Error {
        if error is StoreError || error is AttemptRefusal { return error }
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.resultCode {
        case .SQLITE_NOTADB: return StoreError.notADatabase(path: path)
        case .SQLITE_CORRUPT: return StoreError.corrupt(path: path, detail: dbError.message ?? "malformed")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH, .SQLITE_IOERR, .SQLITE_READONLY:
            return StoreError.unreadable(path: path, detail: dbError.message ?? "\(dbError.resultCode)")
        default: return StoreError.sqlite(detail: dbError.message ?? "\(dbError)")
        }
    }

    /// The permission bits of the database file when group or others can read it, else nil.
    public func exposedMode() -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let mode = Int(st.st_mode) & 0o777
        return mode & 0o044 != 0 ? mode : nil
    }

    /// The warning `audit verify` gives when group or others can read the database file.
    public var exposedWarning: BilingualText? {
        exposedMode().map { mode in
            let m = String(mode, radix: 8)
            return BilingualText(
                zh: "警告：数据库文件 \(path) 的权限为 \(m)，其他用户可以读取其中的姓名、证号和全部答案；请执行 chmod 600 \(path)",
                en: "warning: the database file \(path) has mode \(m): other users can read its names, badges and every answer; run chmod 600 \(path)")
        }
    }

    /// `PRAGMA integrity_check`: nil when the file is sound, otherwise SQLite's first complaint.
    public func integrityProblem() throws -> String? {
        try read { db in
            let result = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)")
            return result == ["ok"] ? nil : result.joined(separator: "; ")
        }
    }
}

/// An advisory lock (flock) on a file beside the database, used only while opening.
final class OpenLock {
    private let fd: Int32
    private var held: Int32 = 0

    init(path: String) {
        fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
    }

    deinit {
        release()
        if fd >= 0 { close(fd) }
    }

    /// Takes the lock shared or exclusive (upgrading by release-and-retake). Without a lock file
    /// (a read-only directory) this does nothing.
    func acquire(exclusive: Bool) {
        guard fd >= 0 else { return }
        let want = exclusive ? LOCK_EX : LOCK_SH
        if held == want || held == LOCK_EX { return }
        if held != 0 { flock(fd, LOCK_UN) }
        while flock(fd, want) != 0, errno == EINTR {}
        held = want
    }

    func release() {
        guard fd >= 0, held != 0 else { return }
        flock(fd, LOCK_UN)
        held = 0
    }
}
