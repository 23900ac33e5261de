import Crypto
import Foundation

/// The shared-server store: the same education record as `SQLiteEducationStore`, in one
/// PostgreSQL database that many counties write to.
///
/// The chain is the single source of truth here too. Every write transaction first locks the
/// chain's head row (`SELECT … FOR UPDATE`), so appends from any number of processes and machines
/// are serialized and the chain never forks; the events and their projection (`Projector`, the
/// same pure Swift the SQLite store and `audit verify` use) are written in that transaction.
/// Checks that precede an event (is the attempt open? attempts left?) run after the lock, so they
/// see every earlier commit (READ COMMITTED takes a fresh snapshot per statement).
///
/// One connection per store; calls from several threads of one process queue on it.
public final class PostgresEducationStore: EducationStore, @unchecked Sendable {
    public let target: PostgresTarget
    let session: PostgresSession
    let serial = NSRecursiveLock()
    private(set) var commits: GroupCommit<PostgresChainBatch>!

    /// Connects (within the target's connect timeout), checks the schema version and migrates.
    /// Refuses, without writing, a database from a newer Academy or another application.
    public convenience init(url: String) throws {
        try self.init(target: PostgresTarget(url: url))
    }

    public init(target: PostgresTarget) throws {
        self.target = target
        session = try PostgresSession(target)
        try PostgresSchema.migrate(session)
        // The city's login (the tables' owner, or a superuser) is not under row-level security,
        // so it may COPY (the server's test is academy_append_arrays's), in a UTF8 database
        // (academy_append_copied counts bytes so).
        let mayCopy = try session.scalar(
            """
            SELECT (coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                OR session_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'))
                AND current_setting('server_encoding') = 'UTF8'
            """)
        session.copyMinimumRows = mayCopy == .int(1) ? PostgresSession.copyRows : nil
        commits = GroupCommit { [session, serial] jobs, run in Self.runBatch(session, serial, jobs, run) }
    }

    // MARK: Transactions

    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        serial.lock()
        defer { serial.unlock() }
        return try session.transaction(readOnly: true) { try body(session) }
    }

    /// A write, as one job of the next group commit (`GroupCommit`): the writes of many threads
    /// share one transaction, one acquisition of the chain's head lock, one append of their events
    /// and one commit. Returns only after that commit.
    func write<T>(_ body: (PostgresSession, inout PostgresRecordWriter) throws -> T) throws -> T {
        try commits.perform { batch in
            try batch.begin()
            batch.nesting += 1
            defer { batch.nesting -= 1 }
            var records = PostgresRecordWriter(batch)
            let value = try body(batch.session, &records)
            try records.finish()
            // What the job sent without waiting fails as the job's own error, not the batch's.
            try batch.session.drain()
            return value
        }
    }

    /// Writes are batched (see `write`); `batches`/`jobs` count them for the benchmarks.
    public var groupCommitCounts: (batches: Int, jobs: Int) { commits.counts }
    var queuedWrites: Int { commits.queued }

    /// Runs a batch optimistically first: every job in one transaction without savepoints (a
    /// savepoint costs two round trips per job, and jobs rarely fail), its answer saves gathered
    /// into one `academy_save_answers` call (which refuses a save without failing the others; a
    /// batch of saves alone is that one call, its own transaction). If a job fails, or a call
    /// carrying saves does, the whole transaction is rolled back, a failed job keeps its error,
    /// and the others run again from the start, each in its own savepoint, each save its own call,
    /// so a second failure costs only itself.
    static func runBatch(
        _ session: PostgresSession, _ serial: NSRecursiveLock, _ jobs: [GroupCommit<PostgresChainBatch>.Job],
        _ run: (GroupCommit<PostgresChainBatch>.Job, PostgresChainBatch) throws -> Void
    ) {
        serial.lock()
        defer { serial.unlock() }
        let first = PostgresChainBatch(session, defersSaves: true)
        var again = false
        do {
            for job in jobs {
                do { try run(job, first) } catch {
                    // A failed call with the batch's saves in it is no job's own failure.
                    if !first.savesFailed { job.error = error }
                    again = true
                    throw error
                }
            }
            do { try first.commit() } catch {
                again = first.savesFailed
                throw error
            }
            return
        } catch {
            first.rollback()
            if !again {
                // The lock, the append or the commit failed: nothing of the batch is stored.
                for job in jobs where job.error == nil { job.error = error }
                return
            }
        }
        let rest = jobs.filter { $0.error == nil }
        guard !rest.isEmpty else { return }
        let batch = PostgresChainBatch(session, defersSaves: false)
        do {
            try batch.begin()
            for job in rest {
                let mark = batch.mark
                try session.execute("SAVEPOINT academy_job")
                do {
                    try run(job, batch)
                    try session.execute("RELEASE SAVEPOINT academy_job")
                } catch {
                    job.error = error
                    // Undone with its savepoint: its rows and any events it sent; its
                    // unsent events are dropped here. The chain lock is the batch's.
                    session.discardInFlight()
                    try session.execute("ROLLBACK TO SAVEPOINT academy_job")
                    try session.execute("RELEASE SAVEPOINT academy_job")
                    batch.mark = mark
                }
            }
            try batch.commit()
        } catch {
            batch.rollback()
            for job in rest where job.error == nil { job.error = error }
        }
    }
}

/// One group-commit batch's hold on the chain. A job that writes through `write` opens the
/// transaction and takes the head lock (`academy_lock_chain`, held to the commit); the head as
/// the jobs so far left it and their events not yet sent are kept here. Events go to
/// `academy_append_arrays` one array per column, which recomputes every hash on the server,
/// checks a county role's events against its subtree, inserts them in one statement and moves
/// the head: once per batch (or per `flushAt` events: 2,500, then doubling up to 20,000), so a
/// staff import of 100,000 people costs eight calls; the city's login copies large batches
/// instead (`copyEvents`, checked by `academy_append_copied`). Answer saves go to `academy_save_answers` (`AnswerSave`), which hashes and appends
/// them on the server: in the first pass they wait and go together, after the events before them.
final class PostgresChainBatch {
    let session: PostgresSession
    /// Saves wait for one call (first pass), or each is sent at once (the careful pass, where
    /// each job has its savepoint, and a save made inside another write).
    let defersSaves: Bool
    private(set) var seq: Int64 = 0
    private(set) var hash = EventHash.genesis
    /// A transaction is open and holds the chain lock; `seq`/`hash` are the head.
    private var locked = false
    private var pending = EventColumns()
    private var saves: [AnswerSave] = []
    /// A call carrying saves failed: no job is to blame; the batch runs again, carefully.
    private(set) var savesFailed = false
    /// `write` bodies running (a save made inside one is sent at once).
    var nesting = 0
    static let limit = 20_000
    /// Events held before they are sent: 2,500 for the first call, doubling up to `limit`, so
    /// that the server starts on a bulk write while the client builds the rest.
    private(set) var flushAt = 2_500

    /// The pending events, column by column.
    struct EventColumns {
        var at = CellColumn(.int8), type = CellColumn(.text), badge = CellColumn(.text), cycle = CellColumn(.text)
        var payload = CellColumn(.text), hash = CellColumn(.text)
        /// The head the first of them follows.
        var after: (seq: Int64, hash: String) = (0, EventHash.genesis)
        var count: Int { hash.cells.count }
        var all: [CellColumn] { [at, type, badge, cycle, payload, hash] }
    }

    init(_ session: PostgresSession, defersSaves: Bool) {
        self.session = session
        self.defersSaves = defersSaves
    }

    /// Opens the transaction and takes the chain lock (once), then sends the saves gathered so
    /// far, so that the job about to run comes after them in the chain and sees their rows.
    func begin() throws {
        if !locked {
            try session.execute("BEGIN")
            locked = true
            guard let row = try session.one("SELECT o_seq, o_hash FROM academy_lock_chain()"),
                let seq = row[0].intValue, let hash = row[1].textValue
            else {
                throw StoreError.corrupt(path: session.target.description, detail: "chain_head row missing")
            }
            self.seq = seq
            self.hash = hash
        }
        try sendSaves()
    }

    /// Ends the batch: sends what is left and commits. Saves with no transaction open (a batch of
    /// saves alone) go as one call that is its own transaction: one round trip for the batch.
    func commit() throws {
        try sendSaves()
        guard locked else { return }
        try sendEvents()
        try session.execute("COMMIT")
        locked = false
    }

    func rollback() {
        guard locked else { return }
        locked = false
        session.discardInFlight()
        _ = try? session.execute("ROLLBACK")
    }

    /// An answer save, in chain order after every job before it. Its refusal is in `save.refusal`
    /// once the batch's call returned (and thrown here when it was sent at once).
    func save(_ save: AnswerSave) throws {
        save.refusal = nil
        saves.append(save)
        guard !defersSaves || nesting > 0 else { return }
        try begin()
        if let refusal = save.refusal { throw refusal }
    }

    private func sendSaves() throws {
        guard !saves.isEmpty else { return }
        let saves = self.saves
        self.saves = []
        do {
            if locked { try sendEvents() }  // the events before them, so that theirs chain after
            let head = try AnswerSave.send(saves, session)
            if locked { (seq, hash) = head }
        } catch {
            savesFailed = true
            throw error
        }
    }

    /// The state before a job, restored when its savepoint is rolled back (which also undoes
    /// whatever it sent, so the server's head is back at the mark's unsent events too).
    var mark: (seq: Int64, hash: String, pending: EventColumns) {
        get { (seq, hash, pending) }
        set { (seq, hash, pending) = newValue }
    }

    var pendingCount: Int { pending.count }

    func append(_ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String) -> Int64 {
        let next = seq + 1
        let newHash = EventHash.compute(
            seq: next, prevHash: hash, type: type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload)
        hold(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload, hash: newHash)
        return next
    }

    /// Holds an event whose text and hash were computed ahead (`EventPipeline`), if it follows
    /// this head (the server checks every hash again).
    func append(prepared e: PreparedEvent, atMillis: Int64) throws {
        guard e.seq == seq + 1, e.prevHash == hash else {
            throw StoreError.sqlite(detail: "a prepared event #\(e.seq) does not follow the head #\(seq)")
        }
        hold(e.type.rawValue, atMillis: atMillis, badge: e.badge, cycleID: nil, payload: e.text, hash: e.hash)
    }

    private func hold(_ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String, hash newHash: String) {
        precondition(locked, "an event outside a locked transaction")
        let next = seq + 1
        if pending.count == 0 { pending.after = (seq, hash) }
        pending.at.cells.append(.int(atMillis))
        pending.type.cells.append(.text(type))
        pending.badge.cells.append(badge.map(Cell.text) ?? .null)
        pending.cycle.cells.append(cycleID.map(Cell.text) ?? .null)
        pending.payload.cells.append(.text(payload))
        pending.hash.cells.append(.text(newHash))
        seq = next
        hash = newHash
    }

    /// Sends the events held so far (their rows must already be sent), without waiting: the
    /// server's head after the call is checked against the client's when it completes, before
    /// any later statement (`PostgresSession.send`).
    func sendEvents() throws {
        guard pending.count > 0 else { return }
        let (seq, hash) = (self.seq, self.hash)
        if let minimum = session.copyMinimumRows, pending.count >= minimum {
            try copyEvents()
            flushAt = min(flushAt * 2, Self.limit)
            return
        }
        try session.send("SELECT o_seq, o_hash FROM academy_append_arrays($1, $2, $3, $4, $5, $6)", arrays: pending.all) {
            let row = $0.first
            guard row?[0].intValue == seq, row?[1].textValue == hash else {
                throw StoreError.sqlite(detail: "the server's head after appending differs from the client's")
            }
        }
        pending = EventColumns()
        flushAt = min(flushAt * 2, Self.limit)
    }

    /// The city's way for many events: `COPY events FROM STDIN` of the rows as they are to be
    /// stored (seq and prev_hash as the chain runs from `pending.after`), then
    /// `academy_append_copied`, which checks every link and hash on the server before it moves
    /// the head (a difference fails the transaction, and the copied rows with it). Both are sent
    /// without waiting; the head the server reports is checked as `sendEvents` checks it.
    private func copyEvents() throws {
        let (seq, hash, n) = (self.seq, self.hash, pending.count)
        var text = CopyText(capacity: n * 320)
        var (s, prev) = pending.after
        for i in 0..<n {
            s += 1
            guard case let .text(h) = pending.hash.cells[i] else { preconditionFailure("an event without its hash") }
            text.int(s)
            text.tab()
            text.cell(pending.at.cells[i])
            text.tab()
            text.cell(pending.type.cells[i])
            text.tab()
            text.cell(pending.badge.cells[i])
            text.tab()
            text.cell(pending.cycle.cells[i])
            text.tab()
            text.cell(pending.payload.cells[i])
            text.tab()
            text.text(prev)
            text.tab()
            text.text(h)
            text.newline()
            prev = h
        }
        precondition(s == seq && prev == hash, "the pending events do not end at the head")
        try session.copy("events", columns: Self.copiedColumns, data: text.buffer)
        try session.send("SELECT o_seq, o_hash FROM academy_append_copied($1, $2)", [.int(Int64(n)), .text(hash)]) {
            let row = $0.first
            guard row?[0].intValue == seq, row?[1].textValue == hash else {
                throw StoreError.sqlite(detail: "the server's head after appending differs from the client's")
            }
        }
        pending = EventColumns()
    }

    static let copiedColumns = ["seq", "at_ms", "type", "badge", "cycle_id", "payload", "prev_hash", "hash"]

    /// The head was moved by other means (a store copy wrote events and the head directly).
    func adopt(seq: Int64, hash: String) {
        precondition(pending.count == 0)
        self.seq = seq
        self.hash = hash
    }
}

/// Appends events and applies their projection inside a write job: each event's hash computed
/// as SQLite does (`EventHash`) and held in the batch; its rows written before any event is sent.
struct PostgresRecordWriter {
    let batch: PostgresChainBatch
    let state: PostgresProjection

    init(_ batch: PostgresChainBatch) {
        self.batch = batch
        state = PostgresProjection(batch.session)
    }

    @discardableResult
    mutating func record(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data] = []
    ) throws -> Int64 {
        let seq = try appendRaw(
            type.rawValue, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload.text, flushWhenFull: false)
        let event = RecordedEvent(seq: seq, atMillis: atMillis, type: type.rawValue, badge: badge, cycleID: cycleID, payload: payload)
        let p = try Projector.project(event, state: state, legacy: false)
        var byHash: [String: Data] = [:]
        for b in blobs { byHash[RecordWriter.sha256(b)] = b }
        try state.apply(p.changes, blobs: byHash)
        // The rows go first: the server checks a county's events against the rows they wrote.
        if batch.pendingCount >= batch.flushAt { try sendAll() }
        return seq
    }

    /// Records an event prepared from the batch's head (`EventPipeline`), as `record` does.
    mutating func record(prepared e: PreparedEvent, atMillis: Int64) throws {
        try batch.append(prepared: e, atMillis: atMillis)
        let event = RecordedEvent(seq: e.seq, atMillis: atMillis, type: e.type.rawValue, badge: e.badge, cycleID: nil, payload: e.payload)
        let p = try Projector.project(event, state: state, legacy: false)
        try state.apply(p.changes, blobs: [:])
        if batch.pendingCount >= batch.flushAt { try sendAll() }
    }

    /// Appends one event exactly as given (hash computed from the same canonical bytes as SQLite).
    @discardableResult
    mutating func appendRaw(
        _ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String, flushWhenFull: Bool = true
    ) throws -> Int64 {
        let seq = batch.append(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload)
        if flushWhenFull, batch.pendingCount >= batch.flushAt { try sendAll() }
        return seq
    }

    /// Writes the held-back rows (so they can be read back); the events follow with the batch.
    mutating func finish() throws {
        try state.flush()
    }

    /// Writes the rows and sends every event held so far.
    mutating func sendAll() throws {
        try state.flush()
        try batch.sendEvents()
    }
}

/// The projection's state over the server's tables, inside the write transaction.
///
/// New rows (`insert`, `insertIfAbsent`) are held back and written as multi-row INSERTs, so a
/// bulk import costs a few statements rather than one round trip per row; anything that reads
/// or changes existing rows writes them first, so every lookup sees every earlier event.
final class PostgresProjection: ProjectionState {
    private let s: PostgresSession
    private var staffIDs: Int64?
    private var present = Set<[Cell]>()
    private var pending: [(table: ProjectedTable, ignore: Bool, rows: [[Cell]], blobs: [String: Data])] = []
    private var pendingRows = 0
    private let departments = DepartmentRowsCache()

    init(_ s: PostgresSession) { self.s = s }

    /// Each path's rows once per write job (a bulk import repeats a few hundred paths).
    func departmentRows(_ department: Cell) -> [RowChange] { departments.unwritten(department) }

    private static func keyWhere(_ t: ProjectedTable, from: Int) -> String {
        t.keyColumns.enumerated().map { "\($1) = $\(from + $0)" }.joined(separator: " AND ")
    }

    func row(_ table: ProjectedTable, key: [Cell]) throws -> [Cell]? {
        try flush()
        return try s.one(
            "SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) WHERE \(Self.keyWhere(table, from: 1))", key)
    }

    func nextStaffID() throws -> Int64 {
        if staffIDs == nil { staffIDs = try s.scalar("SELECT academy_max_id('staff')").intValue ?? 0 }
        return staffIDs! + 1
    }

    func nextGradeOrdinal(attemptID: Int64) throws -> Int64 {
        try flush()
        return (try s.scalar("SELECT coalesce(max(ordinal), 0) FROM grades WHERE attempt_id = $1", [.int(attemptID)]).intValue ?? 0) + 1
    }

    func apply(_ changes: [RowChange], blobs: [String: Data]) throws {
        for change in changes {
            switch change {
            case let .insert(t, row):
                hold(t, ignore: false, row, blobs)
                if t.ordinal == ProjectedTable.staff.ordinal { staffIDs = try nextStaffID() }
            case let .insertIfAbsent(t, row):
                let marker = [Cell.text(t.name)] + row[..<t.keyCount]
                if present.contains(marker) { continue }
                hold(t, ignore: true, row, blobs)
                present.insert(marker)
            case let .upsert(t, row):
                try flush()
                let values = t.columns[t.keyCount...].map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
                try s.execute(
                    Self.insertSQL(t, rows: 1) + " ON CONFLICT (\(t.keyColumns.joined(separator: ", "))) DO UPDATE SET \(values)", row,
                    blobs: blobs)
            case let .update(t, key, set):
                try flush()
                let sets = set.enumerated().map { "\(t.columns[$1.column]) = $\($0 + 1)" }.joined(separator: ", ")
                let n = try s.execute(
                    "UPDATE \(t.name) SET \(sets) WHERE \(Self.keyWhere(t, from: set.count + 1))", set.map(\.value) + key,
                    blobs: blobs)
                if n != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to update") }
            case let .delete(t, key):
                try flush()
                let n = try s.execute("DELETE FROM \(t.name) WHERE \(Self.keyWhere(t, from: 1))", key, blobs: blobs)
                if n != 1 { throw StoreError.sqlite(detail: "\(t.name): no row to delete") }
            }
        }
    }

    private func hold(_ t: ProjectedTable, ignore: Bool, _ row: [Cell], _ blobs: [String: Data]) {
        // A department row depends on no other row, and none on its absence: it joins the job's
        // first batch of them. Otherwise an import that meets new paths as it goes alternates
        // staff and department batches of a row or two, each a statement of its own (the first
        // few hundred people of 100,000 took 0.7 s that way).
        if ignore, t.ordinal == ProjectedTable.departments.ordinal,
            let first = pending.firstIndex(where: { $0.table == t && $0.ignore && $0.blobs.isEmpty }), blobs.isEmpty
        {
            pending[first].rows.append(row)
            pendingRows += 1
            return
        }
        if let last = pending.indices.last, pending[last].table == t, pending[last].ignore == ignore,
            pending[last].rows.count < 20_000
        {
            pending[last].rows.append(row)
            pending[last].blobs.merge(blobs) { a, _ in a }
        } else {
            pending.append((t, ignore, [row], blobs))
        }
        pendingRows += 1
    }

    /// Writes the held-back rows, in the order the events produced them.
    func flush() throws {
        guard pendingRows > 0 else { return }
        let batches = pending
        pending.removeAll()
        pendingRows = 0
        for b in batches {
            try s.insertRows(b.table.name, columns: b.table.columns, rows: b.rows, blobs: b.blobs, ignoringConflicts: b.ignore)
        }
    }

    private static func insertSQL(_ t: ProjectedTable, rows: Int) -> String {
        let n = t.columns.count
        let values = (0..<rows).map { r in "(" + (1...n).map { "$\(r * n + $0)" }.joined(separator: ", ") + ")" }
        return "INSERT INTO \(t.name) (\(t.columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", ")
    }
}
