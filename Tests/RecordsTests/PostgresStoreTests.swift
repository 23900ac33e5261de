import Foundation
import TestSupport
import XCTest

@testable import Records

/// What only the PostgreSQL backend has: opening errors, the schema-version check, TLS, the same
/// chain as SQLite, appends from many processes, and `db copy`. These always run against the
/// test server (`ACADEMY_TEST_PG`, or a cluster the run starts); without one they fail.
final class PostgresStoreTests: XCTestCase {
    // MARK: Opening

    func testPasswordComesFromURLThenPGPASSWORDThenPgpass() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pgpass = dir.appendingPathComponent("pgpass").path
        try "# comment\nother:5432:*:u:nope\ndb.example:6543:academy:u:from\\:pgpass\n*:*:*:*:fallback\n".write(
            toFile: pgpass, atomically: true, encoding: .utf8)
        let url = "postgres://u@db.example:6543/academy"
        XCTAssertEqual(try PostgresTarget(url: "postgres://u:p%40ss@db.example:6543/academy", environment: ["PGPASSWORD": "env"]).password, "p@ss")
        XCTAssertEqual(try PostgresTarget(url: url, environment: ["PGPASSWORD": "env", "PGPASSFILE": pgpass]).password, "env")
        XCTAssertEqual(try PostgresTarget(url: url, environment: ["PGPASSFILE": pgpass]).password, "from:pgpass")
        XCTAssertEqual(try PostgresTarget(url: "postgres://v@h/d", environment: ["PGPASSFILE": pgpass]).password, "fallback")
        XCTAssertNil(try PostgresTarget(url: url, environment: ["HOME": dir.path]).password)
        let t = try PostgresTarget(url: "postgresql://u@h:1/d?sslmode=require&connect_timeout=3", environment: [:])
        XCTAssertEqual(t.sslMode, .require)
        XCTAssertEqual(t.connectTimeoutSeconds, 3)
        XCTAssertThrowsError(try PostgresTarget(url: "postgres://u@h/d?sslmode=sometimes", environment: [:]))
        XCTAssertEqual(PostgresTarget.redacted("postgres://u:secret@h/d"), "postgres://u:***@h/d")
    }

    func testWrongPasswordUnreachableServerAndMissingDatabaseAreOneLineErrors() throws {
        let admin = try TestPostgres.adminURL()
        var bad = URLComponents(string: admin)!
        bad.password = "wrong"
        assertServerError(try PostgresEducationStore(url: bad.string!), contains: "28P01")
        assertServerError(try PostgresEducationStore(url: TestPostgres.url(admin, database: "no_such_db")), contains: "3D000")
        // A closed port on loopback: refused at once.
        assertServerError(try PostgresEducationStore(url: "postgres://u:p@127.0.0.1:1/d"), contains: "connection refused")
        // A server that accepts the connection and never answers: the connect timeout ends it.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
        XCTAssertEqual(listen(listener, 16), 0)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let started = Date()
        assertServerError(
            try PostgresEducationStore(url: "postgres://u:p@127.0.0.1:\(port)/d?connect_timeout=2"), contains: "connect timeout after 2 s")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    /// The education record with its dictionaries in a fixed order, for comparison.
    static func normalized(_ r: EducationRecord) -> String {
        var lines = ["\(r.staff)"]
        for c in r.staffChanges {
            lines.append("\(c.eventSeq) \(c.kind) \(c.source) \(c.at) " + c.changes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
        }
        for h in r.cycles {
            lines.append("\(h.cycle) \(h.inPopulation) \(h.finished) \(h.attempts) \(String(describing: h.exemption)) \(h.spotChecks) \(String(describing: h.standing))")
        }
        return lines.joined(separator: "\n")
    }

    private func assertServerError(
        _ body: @autoclosure () throws -> PostgresEducationStore, contains: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case let StoreError.server(_, detail) = error else {
                return XCTFail("not a server error: \(error)", file: file, line: line)
            }
            XCTAssertTrue(detail.contains(contains), detail, file: file, line: line)
            let text = (error as! StoreError).message.en
            XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            XCTAssertFalse(text.contains("wrong"), "the password must not be echoed: \(text)", file: file, line: line)
        }
    }

    func testSSLModeRequireEncrypts() throws {
        let url = try TestPostgres.freshDatabase(prefix: "ssl")
        let store = try PostgresEducationStore(url: url + "?sslmode=require")
        XCTAssertEqual(try store.session.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), .int(1))
        let plain = try PostgresEducationStore(url: url + "?sslmode=disable")
        XCTAssertEqual(try plain.session.scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), .int(0))
    }

    func testNewerSchemaIsRefusedWithoutWriting() throws {
        let url = try TestPostgres.freshDatabase(prefix: "newer")
        let store = try PostgresEducationStore(url: url)
        _ = try store.importStaff([StoreFixture.staff("A001", "张三")], markMissingInactive: false, source: "x", at: Date())
        try TestPostgres.psql(url, "INSERT INTO academy_schema (version) VALUES ('pg-v99-from-the-future')")
        let before = try TestPostgres.psql(url, "SELECT count(*) || ':' || (SELECT hash FROM chain_head) FROM events")
        XCTAssertThrowsError(try PostgresEducationStore(url: url)) { error in
            guard case let StoreError.newerSchema(_, unknown) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(unknown, ["pg-v99-from-the-future"])
        }
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) || ':' || (SELECT hash FROM chain_head) FROM events"), before)
    }

    func testAnotherApplicationsDatabaseIsRefused() throws {
        let url = try TestPostgres.freshDatabase(prefix: "foreign")
        try TestPostgres.psql(url, "CREATE TABLE invoices (id int)")
        XCTAssertThrowsError(try PostgresEducationStore(url: url)) { error in
            guard case StoreError.foreignDatabase = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1")
    }

    func testEventsAreAppendOnlyOnTheServer() throws {
        let url = try TestPostgres.freshDatabase(prefix: "appendonly")
        let store = try PostgresEducationStore(url: url)
        _ = try store.importStaff([StoreFixture.staff("A001", "张三")], markMissingInactive: false, source: "x", at: Date())
        XCTAssertThrowsError(try TestPostgres.psql(url, "UPDATE events SET payload = '{}' WHERE seq = 1"))
        XCTAssertThrowsError(try TestPostgres.psql(url, "DELETE FROM events"))
        XCTAssertThrowsError(try TestPostgres.psql(url, "TRUNCATE events"))
    }

    /// The bulk append recomputes every hash: a batch with one forged hash (or a forged link)
    /// is refused whole and nothing is written.
    func testArrayAppendRefusesAForgedHashWhole() throws {
        let url = try TestPostgres.freshDatabase(prefix: "forged")
        _ = try PostgresEducationStore(url: url)
        let h1 = EventHash.compute(seq: 1, prevHash: EventHash.genesis, type: "dev.benchmark", atMillis: 1, badge: nil, cycleID: nil, payload: "{}")
        let h2 = EventHash.compute(seq: 2, prevHash: h1, type: "dev.benchmark", atMillis: 2, badge: nil, cycleID: nil, payload: "{}")
        func append(_ hashes: [String]) throws -> String {
            try TestPostgres.psql(
                url,
                "SELECT o_seq FROM academy_append_arrays(ARRAY[1,2]::bigint[], ARRAY['dev.benchmark','dev.benchmark'], ARRAY[NULL,NULL]::text[], "
                    + "ARRAY[NULL,NULL]::text[], ARRAY['{}','{}'], ARRAY['\(hashes[0])','\(hashes[1])'])")
        }
        XCTAssertThrowsError(try append([h1, String(repeating: "0", count: 64)]))
        XCTAssertThrowsError(try append([h2, h1]), "the links are checked too")
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM events").trimmingCharacters(in: .whitespacesAndNewlines), "0")
        XCTAssertEqual(try append([h1, h2]).trimmingCharacters(in: .whitespacesAndNewlines), "2")
        let store = try PostgresEducationStore(url: url)
        XCTAssertNil(try store.verifyChain().problem)
        XCTAssertEqual(try store.chainHead().hash, h2)
    }

    /// A bulk import larger than one batch of events and of rows: the same head as SQLite, and
    /// the replay matches the tables.
    func testBulkImportAcrossBatchesMatchesSQLite() throws {
        let people = (0..<(PostgresChainBatch.limit + 1_234)).map { i in
            StoreFixture.staff(String(format: "B%06d", i), "人员\(i)", dept: StoreFixture.department + "/中队\(i % 7)")
        }
        let at = StoreFixture.date("2026-01-01T00:00:00Z")
        let sqlite = try StoreFixture(backend: .sqlite)
        let pg = try StoreFixture(backend: .postgres)
        _ = try sqlite.store.importStaff(people, markMissingInactive: false, source: "big.csv", at: at)
        _ = try pg.store.importStaff(people, markMissingInactive: false, source: "big.csv", at: at)
        let v = try pg.store.verifyChain()
        XCTAssertNil(v.problem, "\(v.message)")
        XCTAssertEqual(try pg.store.chainHead().hash, try sqlite.store.chainHead().hash)
        XCTAssertEqual(try pg.store.staffList(department: nil).count, people.count)
    }

    /// The city's login writes a bulk import's staff rows and events with `COPY … FROM STDIN`
    /// (`copyMinimumRows`); a login that may not COPY binds them as arrays. Both store the same
    /// bytes: every event column by column, every staff and department row, and the same head as
    /// SQLite. Names carry what COPY's text format escapes (backslash, tab, newline, `\N`).
    func testCopiedImportStoresTheSameRowsAndEventsAsTheArrayWay() throws {
        let odd = ["反\\斜杠", "制表\t符", "换\n行", "回\r车", "\\N", "\\.", "引\"号"]
        let people = (0..<(PostgresChainBatch.limit + 1_234)).map { i in
            StoreFixture.staff(
                String(format: "C%06d", i), i % 100 == 0 ? odd[(i / 100) % odd.count] + "\(i)" : "人员\(i)",
                dept: StoreFixture.department + "/中队\(i % 7)" + (i % 7 == 3 ? "/反\\斜\t" : ""), line: i + 2)
        }
        let at = StoreFixture.date("2026-01-01T00:00:00Z")
        let copied = try StoreFixture(backend: .postgres), arrays = try StoreFixture(backend: .postgres)
        let sqlite = try StoreFixture(backend: .sqlite)
        let byCopy = try XCTUnwrap(copied.store as? PostgresEducationStore)
        let byArrays = try XCTUnwrap(arrays.store as? PostgresEducationStore)
        XCTAssertNotNil(byCopy.session.copyMinimumRows, "the test server's login owns the tables")
        byArrays.session.copyMinimumRows = nil
        for f in [copied, arrays, sqlite] {
            _ = try f.store.importStaff(people, markMissingInactive: false, source: "big.csv", at: at)
        }
        // Two batches, each its staff rows and its events.
        XCTAssertGreaterThanOrEqual(byCopy.session.copies, 4)
        XCTAssertEqual(byArrays.session.copies, 0)
        func dump(_ url: String?) throws -> String {
            let url = try XCTUnwrap(url)
            return try ["events ORDER BY seq", "staff ORDER BY badge", "departments ORDER BY path", "chain_head"].map {
                try TestPostgres.psql(url, "COPY (SELECT * FROM \($0)) TO STDOUT")
            }.joined(separator: "\n--\n")
        }
        let a = try dump(copied.url), b = try dump(arrays.url)
        XCTAssertEqual(a.count, b.count)
        XCTAssertTrue(a == b, "the copied store differs from the one written as arrays")
        XCTAssertTrue(a.contains("\\\\N"), "a name that reads as COPY's NULL marker is stored as text")
        let v = try byCopy.verifyChain()
        XCTAssertNil(v.problem, "\(v.message)")
        XCTAssertEqual(try byCopy.chainHead(), try sqlite.store.chainHead())
        XCTAssertEqual(try byCopy.staffList(department: nil), try sqlite.store.staffList(department: nil))
    }

    /// Copied events move the head only through `academy_append_copied`, which recomputes every
    /// hash and link on the server and counts them: a forged hash, a broken link, a gap, one
    /// event more or fewer than announced, or a last hash that is not the client's refuses the
    /// transaction, and nothing is stored.
    func testCopiedEventsAreCheckedBeforeTheHeadMoves() throws {
        let url = try TestPostgres.freshDatabase(prefix: "copied")
        _ = try PostgresEducationStore(url: url)
        let g = EventHash.genesis
        let h1 = EventHash.compute(seq: 1, prevHash: g, type: "dev.benchmark", atMillis: 1, badge: nil, cycleID: nil, payload: "{}")
        let h2 = EventHash.compute(seq: 2, prevHash: h1, type: "dev.benchmark", atMillis: 2, badge: "A1", cycleID: nil, payload: "{}")
        let forged = String(repeating: "0", count: 64)
        func append(_ rows: [(seq: Int, prev: String, hash: String)], count: Int, last: String) throws -> String {
            let values = rows.map { r in
                "(\(r.seq), \(r.seq), 'dev.benchmark', \(r.seq == 2 ? "'A1'" : "NULL"), NULL, '{}', '\(r.prev)', '\(r.hash)')"
            }
            return try TestPostgres.psql(
                url,
                "BEGIN; INSERT INTO events VALUES \(values.joined(separator: ", ")); "
                    + "SELECT o_seq FROM academy_append_copied(\(count), '\(last)'); COMMIT;")
        }
        XCTAssertThrowsError(try append([(1, g, h1), (2, h1, forged)], count: 2, last: forged), "a forged hash")
        XCTAssertThrowsError(try append([(1, g, h1), (2, forged, h2)], count: 2, last: h2), "a broken link")
        XCTAssertThrowsError(try append([(1, g, h1), (3, h1, h2)], count: 2, last: h2), "a gap")
        XCTAssertThrowsError(try append([(1, g, h1), (2, h1, h2)], count: 1, last: h1), "one more than announced")
        XCTAssertThrowsError(try append([(1, g, h1)], count: 2, last: h2), "one fewer than announced")
        XCTAssertThrowsError(try append([(1, g, h1), (2, h1, h2)], count: 2, last: h1), "not the client's head")
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) || ':' || (SELECT seq FROM chain_head) FROM events"), "0:0")
        XCTAssertEqual(try append([(1, g, h1), (2, h1, h2)], count: 2, last: h2), "2")
        let store = try PostgresEducationStore(url: url)
        XCTAssertNil(try store.verifyChain().problem)
        XCTAssertEqual(try store.chainHead().hash, h2)
    }

    /// A city import whose second COPY fails on the server while the client goes on (COPY and
    /// the head check are sent without waiting): the failure is the import's error, nothing of
    /// it is stored, and the connection goes on working.
    func testAFailedCopyFailsTheWholeImport() throws {
        let f = try StoreFixture(backend: .postgres)
        let url = try XCTUnwrap(f.url)
        let store = try XCTUnwrap(f.store as? PostgresEducationStore)
        try TestPostgres.psql(
            url,
            """
            CREATE FUNCTION refuse_x() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.badge = 'X001' THEN RAISE EXCEPTION 'refused in the test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_x BEFORE INSERT ON staff FOR EACH ROW EXECUTE FUNCTION refuse_x();
            """)
        var people = (0..<(PostgresChainBatch.limit * 2 + 10)).map { i in
            StoreFixture.staff(String(format: "P%06d", i), "人员\(i)", dept: StoreFixture.department + "/中队\(i % 3)")
        }
        people[PostgresChainBatch.limit + 5] = StoreFixture.staff("X001", "拒绝")
        XCTAssertThrowsError(
            _ = try store.importStaff(people, markMissingInactive: false, source: "big.csv", at: Date())
        ) { error in XCTAssertTrue("\(error)".contains("refused in the test"), "\(error)") }
        XCTAssertGreaterThanOrEqual(store.session.copies, 3, "the rows went by COPY")
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) || ':' || (SELECT seq FROM chain_head) FROM events"), "0:0")
        XCTAssertEqual(try store.staffList(department: nil).count, 0)
        let summary = try store.importStaff([StoreFixture.staff("A009", "孙八")], markMissingInactive: false, source: "a.csv", at: Date())
        XCTAssertEqual(summary.added, 1)
        XCTAssertNil(try store.verifyChain().problem)
    }

    // MARK: One history, provably the same

    /// Every kind of event, at fixed times, on both backends.
    /// The roster's attempts come as a binary `float8[][]`: read back exactly, in attempt order,
    /// NULL for what an open attempt lacks; no attempts read as none, and any other shape is refused.
    func testTheRosterReadsEachPersonsAttemptsFromABinaryArray() throws {
        let store = try PostgresEducationStore(url: TestPostgres.freshDatabase(prefix: "attempts"))
        let row = try XCTUnwrap(
            try store.read { s in
                try s.query(
                    """
                    SELECT ARRAY[[2, 1700000000123, NULL, NULL, NULL, NULL], [1, 1600000000000, 1600000001999, 83.33333333333333, 0, 100.25],
                      [3, 1700000009000, 1700000009500, 100, 1, 100]]::float8[], NULL::float8[], '{}'::float8[], ARRAY[1.5]::float8[]
                    """)
            }.first)
        let ms = { (m: Int64) in Date(timeIntervalSince1970: Double(m) / 1000) }
        XCTAssertEqual(
            try PostgresEducationStore.attemptOutcomes(row[0]),
            [
                AttemptOutcome(
                    number: 1, startedAt: ms(1_600_000_000_000), submittedAt: ms(1_600_000_001_999), score: 83.33333333333333,
                    passed: false, maxScore: 100.25),
                AttemptOutcome(number: 2, startedAt: ms(1_700_000_000_123), submittedAt: nil, score: nil, passed: nil, maxScore: nil),
                AttemptOutcome(
                    number: 3, startedAt: ms(1_700_000_009_000), submittedAt: ms(1_700_000_009_500), score: 100, passed: true,
                    maxScore: 100),
            ])
        for none in row[1...2] { XCTAssertEqual(try PostgresEducationStore.attemptOutcomes(none), [], "\(none)") }
        guard case .bytes(let bytes) = row[0] else { return XCTFail("\(row[0])") }
        for bad in [row[3], .bytes(bytes.dropLast()), .bytes(bytes + Data([0])), .text("1,2,3,4,5,6")] {
            XCTAssertThrowsError(try PostgresEducationStore.attemptOutcomes(bad), "\(bad)")
        }
    }

    static func writeHistory(_ store: any EducationStore) throws {
        let d = StoreFixture.date
        _ = try store.importStaff(
            [
                StoreFixture.staff("A001", "张三"), StoreFixture.staff("A002", "李四", dept: StoreFixture.department + "/一中队"),
                StoreFixture.staff("A003", "王五", role: .assistant), StoreFixture.staff("B001", "赵六", dept: "示例省/示例市/另一区/执法大队"),
            ], markMissingInactive: false, source: "staff.csv", at: d("2026-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "2026-spring", title: "2026年春节前全员培训", courseID: "course-1", blueprintID: "bp-1",
                departments: [StoreFixture.department], roles: [.officer], opens: CalendarDay("2026-01-10")!,
                due: CalendarDay("2026-02-10")!, timeZoneID: "Asia/Shanghai", createdAt: d("2026-01-05T00:00:00Z")))
        try store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: d("2026-01-11T00:00:00Z"))
        let a = try store.startAttempt(
            AttemptRequest(
                badge: "A001", cycleID: "2026-spring", maxAttempts: 3, blueprintID: "bp-1", blueprintVersion: 1,
                bankHash: "bankhash", seed: 42, paper: Data("{\"paper\":true}".utf8), questionIDs: ["q1", "q2"],
                timeLimitSeconds: 1800, startedAt: d("2026-01-15T02:00:00Z")))
        try store.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data("{\"choice\":[1]}".utf8), at: d("2026-01-15T02:01:00Z"))
        try store.saveAnswer(attemptID: a.id, questionKey: "q1", response: Data("{\"choice\":[2]}".utf8), at: d("2026-01-15T02:02:00Z"))
        try store.submitAttempt(
            attemptID: a.id, report: Data("report".utf8), score: 87.5, maxScore: 100, passed: true,
            submittedAt: d("2026-01-15T02:10:00Z"), reason: .submitted)
        try store.regradeAttempt(
            attemptID: a.id, report: Data("report2".utf8), score: 90, maxScore: 100, passed: true, reason: "key fixed",
            at: d("2026-01-16T00:00:00Z"))
        try store.exempt(cycleID: "2026-spring", badge: "A002", reason: "病假", grantedBy: "王科长", at: d("2026-01-12T00:00:00Z"))
        try store.revokeExemption(cycleID: "2026-spring", badge: "A002", reason: "返岗", revokedBy: "王科长", at: d("2026-01-13T00:00:00Z"))
        try store.recordSpotCheck(
            cycleID: "2026-spring", seed: 7, percent: 50, selected: ["A002", "A001"], inspectors: ["检查员甲"],
            at: d("2026-01-20T00:00:00Z"))
        _ = try store.importStaff(
            [StoreFixture.staff("A001", "张三丰"), StoreFixture.staff("A002", "李四")], markMissingInactive: true, source: "staff2.csv",
            at: d("2026-01-21T00:00:00Z"))
        // The exam hall: codes issued, reissued and revoked, and a key, as events on both backends.
        func code(_ badge: String, _ byte: UInt8) -> HallCodeHash {
            HallCodeHash(
                cycleID: "2026-spring", badge: badge, salt: Data(repeating: byte, count: 16), hash: Data(repeating: ~byte, count: 32),
                rounds: 1000, issuedAt: d("2026-01-22T00:00:00Z"))
        }
        try store.issueHallCodes([code("A001", 1), code("A002", 2)], reissue: false, at: d("2026-01-22T00:00:00Z"))
        try store.issueHallCodes([code("A001", 3)], reissue: true, at: d("2026-01-22T01:00:00Z"))
        try store.revokeHallCodes(cycleID: "2026-spring", badges: ["A002"], at: d("2026-01-22T02:00:00Z"))
        try store.addHallKey(
            HallKey(
                badge: "A001", fingerprint: "SHA256:testfingerprint", publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest",
                addedAt: d("2026-01-22T03:00:00Z")))
    }

    func testTheSameHistoryHasTheSameHeadOnSQLiteAndPostgreSQL() throws {
        let sqlite = try StoreFixture(backend: .sqlite)
        let pg = try StoreFixture(backend: .postgres)
        try Self.writeHistory(sqlite.store)
        try Self.writeHistory(pg.store)
        let a = try sqlite.store.verifyChain(), b = try pg.store.verifyChain()
        XCTAssertTrue(a.isIntact, a.message.en)
        XCTAssertTrue(b.isIntact, b.message.en)
        XCTAssertGreaterThan(a.eventCount, 15)
        XCTAssertEqual(a.eventCount, b.eventCount)
        XCTAssertEqual(a.head.hash, b.head.hash)
        XCTAssertEqual(try sqlite.store.chainHead().hash, try pg.store.chainHead().hash)
        // Event by event, the stored bytes are the same.
        let sqliteEvents = try sqlite.sqlite("SELECT seq || '|' || hash || '|' || payload FROM events ORDER BY seq")
        let pgEvents = try TestPostgres.psql(pg.url!, "SELECT seq || '|' || hash || '|' || payload FROM events ORDER BY seq")
        XCTAssertEqual(sqliteEvents, pgEvents)
        // And what the stores answer is the same.
        let rule = CompletionRule(requiredItemIDs: ["l1", "l2"], maxAttempts: 3, counting: .highest)
        let now = StoreFixture.date("2026-03-01T00:00:00Z")
        XCTAssertEqual(
            try sqlite.store.roster(cycleID: "2026-spring", department: nil, rule: rule, now: now),
            try pg.store.roster(cycleID: "2026-spring", department: nil, rule: rule, now: now))
        XCTAssertEqual(
            Self.normalized(try sqlite.store.educationRecord(badge: "A001", rules: ["2026-spring": rule], now: now)),
            Self.normalized(try pg.store.educationRecord(badge: "A001", rules: ["2026-spring": rule], now: now)))
        XCTAssertEqual(try sqlite.store.staffList(department: nil), try pg.store.staffList(department: nil))
        XCTAssertEqual(try sqlite.store.spotChecks(cycleID: "2026-spring"), try pg.store.spotChecks(cycleID: "2026-spring"))
        XCTAssertEqual(try sqlite.store.hallCodes(badge: "A001"), try pg.store.hallCodes(badge: "A001"))
        XCTAssertEqual(try pg.store.hallCodes(badge: "A001").map(\.salt), [Data(repeating: 3, count: 16)], "the reissued code")
        XCTAssertEqual(try pg.store.hallCodes(badge: "A002"), [])
        XCTAssertEqual(try sqlite.store.hallKeys(badge: "A001"), try pg.store.hallKeys(badge: "A001"))
        // Certificates cite the same events on both.
        let done = ["A001": StoreFixture.date("2026-01-16T00:00:00Z")]
        XCTAssertEqual(
            try sqlite.store.completionEvents(cycleID: "2026-spring", completedAt: done),
            try pg.store.completionEvents(cycleID: "2026-spring", completedAt: done))
        let head = try pg.store.chainHead().hash
        XCTAssertEqual(try pg.store.events(hashPrefix: String(head.prefix(12))).map(\.linked), [true])
        XCTAssertEqual(try sqlite.store.events(hashPrefix: String(head.prefix(12))), try pg.store.events(hashPrefix: String(head.prefix(12))))
    }

    /// Answer saves that went as one batch (on PostgreSQL one `academy_save_answers` call, which
    /// hashes on the server), with a refused save among them: the same events, the same head and
    /// the same answers as SQLite.
    func testABatchOfSavesHasTheSameHeadAsSQLite() throws {
        let d = StoreFixture.date
        func run(_ backend: StoreFixture.Backend) throws -> (StoreFixture, [String]) {
            let f = try StoreFixture(backend: backend)
            try f.seedStaff()
            try f.seedCycle()
            var ids: [Int64] = []
            for badge in ["A001", "A002"] { ids.append(try f.store.startAttempt(f.request(badge, at: "2026-01-15T02:00:00Z")).id) }
            let outcomes = try GroupCommitTests.oneBatchOfSaves(
                f.store,
                [
                    ("A001 q1", ids[0], "q1", Data("{\"choice\":[1]}".utf8), d("2026-01-15T02:01:00Z")),
                    ("A002 q1", ids[1], "q1", Data("\"中文 答案\"".utf8), d("2026-01-15T02:01:01Z")),
                    ("late", ids[1], "q2", Data("\"x\"".utf8), d("2026-01-16T02:01:01Z")),
                    ("A001 q1 again", ids[0], "q1", Data("{\"choice\":[2]}".utf8), d("2026-01-15T02:01:02Z")),
                    ("A001 q2", ids[0], "q2", Data("\"\\u0000\\n\"".utf8), d("2026-01-15T02:01:03Z")),
                ])
            return (f, outcomes)
        }
        let (sqlite, a) = try run(.sqlite)
        let (pg, b) = try run(.postgres)
        XCTAssertEqual(a, ["A001 q1: ok", "A002 q1: ok", "late: time up", "A001 q1 again: ok", "A001 q2: ok"])
        XCTAssertEqual(a, b)
        let va = try sqlite.store.verifyChain(), vb = try pg.store.verifyChain()
        XCTAssertTrue(va.isIntact, va.message.en)
        XCTAssertTrue(vb.isIntact, vb.message.en)
        XCTAssertEqual(va.head, vb.head)
        let sqliteEvents = try sqlite.sqlite("SELECT seq || '|' || hash || '|' || payload FROM events ORDER BY seq")
        let pgEvents = try TestPostgres.psql(pg.url!, "SELECT seq || '|' || hash || '|' || payload FROM events ORDER BY seq")
        XCTAssertEqual(sqliteEvents, pgEvents)
        for id in [Int64(1), 2] { XCTAssertEqual(try sqlite.store.answers(attemptID: id), try pg.store.answers(attemptID: id)) }
    }

    func testATableEditOnTheServerFailsVerify() throws {
        let pg = try StoreFixture(backend: .postgres)
        try Self.writeHistory(pg.store)
        try TestPostgres.psql(pg.url!, "UPDATE attempts SET score = 100 WHERE id = 1")
        let v = try pg.store.verifyChain()
        guard case let .projection(.cell(table, _, column, _, _))? = v.problem else { return XCTFail(v.message.en) }
        XCTAssertEqual(table, "attempts")
        XCTAssertEqual(column, "score")
        XCTAssertThrowsError(try pg.store.requireVerified())
    }

    /// Through the binary: a bad password is one line on stderr and exit 1; `db copy` both ways
    /// and `db grant` work from the command line.
    func testCommandLine() throws {
        let binary = try ConcurrencyTests.binary
        func run(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String, String) {
            let p = Process()
            p.executableURL = binary
            p.arguments = args
            var e = ProcessInfo.processInfo.environment
            e["ACADEMY_LANG"] = "en"
            for (k, v) in env { e[k] = v }
            p.environment = e
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let r = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, o, r)
        }
        let url = try TestPostgres.freshDatabase(prefix: "cli")
        var bad = URLComponents(string: url)!
        bad.password = "not-the-password"
        let (status, _, err) = try run(["staff", "list"], env: ["ACADEMY_DB": bad.string!])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(err.split(separator: "\n").count, 1, err)
        XCTAssertTrue(err.contains("password authentication failed"), err)
        XCTAssertFalse(err.contains("not-the-password"), err)
        // The password from ~/.pgpass instead of the URL.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var c = URLComponents(string: url)!
        try "*:*:*:\(c.user!):\(c.password!)\n".write(to: home.appendingPathComponent(".pgpass"), atomically: true, encoding: .utf8)
        c.password = nil
        let sqlite = try StoreFixture(backend: .sqlite)
        try Self.writeHistory(sqlite.store)
        let (copied, out, copyErr) = try run(["db", "copy", "--from", sqlite.path, "--to", c.string!], env: ["HOME": home.path])
        XCTAssertEqual(copied, 0, copyErr)
        XCTAssertTrue(out.contains(try sqlite.store.chainHead().hash), out)
        XCTAssertTrue(copyErr.contains("copied"), copyErr)
        let (verified, vout, _) = try run(["audit", "verify", "--db", c.string!], env: ["HOME": home.path])
        XCTAssertEqual(verified, 0, vout)
        let (again, _, againErr) = try run(["db", "copy", "--from", sqlite.path, "--to", url])
        XCTAssertEqual(again, 1)
        XCTAssertTrue(againErr.contains("already holds"), againErr)
        let (granted, gout, gerr) = try run(
            ["db", "grant", "--department", "示例省/示例市/另一区", "--role", "cli_\(UUID().uuidString.prefix(8).lowercased())", "--db", url])
        XCTAssertEqual(granted, 0, gerr)
        XCTAssertTrue(gout.contains("password (shown once)"), gout)
    }

    // MARK: Appends under concurrency

    /// 500 writers (50 threads with their own connection in each of 10 processes) append to the
    /// one chain at once: nothing is lost, the chain never forks, every table matches its replay.
    func testFiveHundredConcurrentWritersInTenProcessesLoseNothing() throws {
        let binary = try ConcurrencyTests.binary
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: binary.path), "build the academy binary first: \(binary.path)")
        let url = try TestPostgres.freshDatabase(prefix: "hammer")
        let store = try PostgresEducationStore(url: url)
        let people = 500, processes = 10, count = 3
        _ = try store.importStaff(
            (0..<people).map { StoreFixture.staff(String(format: "P%03d", $0), "人员\($0)", line: $0 + 2) },
            markMissingInactive: false, source: "x", at: Date())
        try store.createCycle(
            TrainingCycle(
                id: "c", title: "t", courseID: "c", blueprintID: "b", departments: [], roles: [],
                opens: CalendarDay("2020-01-01")!, due: CalendarDay("2099-12-31")!, timeZoneID: "UTC"))
        let before = try store.chainHead().seq
        let perProcess = people / processes
        // 500 connections open at once, each with SCRAM on both sides: on a loaded 2-core machine
        // some take longer than the default 10 s connect timeout. The test is about what the
        // chain keeps, not how fast a login is, so the writers wait longer to connect.
        let writerURL = url + (url.contains("?") ? "&" : "?") + "connect_timeout=120"
        let procs = try (0..<processes).map { p -> (Process, Pipe, Pipe) in
            let badges = (0..<perProcess).map { String(format: "P%03d", p * perProcess + $0) }.joined(separator: ",")
            let proc = Process()
            proc.executableURL = binary
            proc.arguments = ["dev", "hammer", "--badge", badges, "--cycle", "c", "--count", String(count), "--db", writerURL]
            let out = Pipe(), err = Pipe()
            proc.standardOutput = out
            proc.standardError = err
            try proc.run()
            return (proc, out, err)
        }
        for (proc, out, err) in procs {
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            proc.waitUntilExit()
            XCTAssertEqual(proc.terminationStatus, 0, e)
            XCTAssertEqual(o.split(separator: "\n").count, perProcess, o)
        }
        let v = try store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.en)
        // One attempt.started, then count × (item.finished + answer.saved) per writer.
        XCTAssertEqual(v.eventCount, before + Int64(people * (1 + 2 * count)))
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM answers"), String(people * count))
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM progress"), String(people * count))
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(DISTINCT prev_hash) = count(*) FROM events"), "t")
    }

    // MARK: db copy

    func testCopyBothWaysKeepsTheHeadAndRefusesANonEmptyTarget() throws {
        let sqlite = try StoreFixture(backend: .sqlite)
        try Self.writeHistory(sqlite.store)
        let head = try sqlite.store.chainHead()
        // SQLite → PostgreSQL
        let pg = try PostgresEducationStore(url: TestPostgres.freshDatabase(prefix: "copy"))
        var reports: [StoreCopy.Progress] = []
        let copied = try StoreCopy.copy(from: sqlite.store, to: pg, every: 5) { reports.append($0) }
        XCTAssertEqual(copied.hash, head.hash)
        XCTAssertTrue(try pg.verifyChain().isIntact)
        XCTAssertEqual(reports.last?.events, head.seq)
        XCTAssertGreaterThan(reports.count, 1)
        // PostgreSQL → SQLite
        let back = try StoreFixture(backend: .sqlite)
        XCTAssertEqual(try StoreCopy.copy(from: pg, to: back.store).hash, head.hash)
        XCTAssertTrue(try back.store.verifyChain().isIntact)
        XCTAssertEqual(try back.sqlite("SELECT count(*) FROM answers"), "1")
        // The hall's codes and keys travel as the projection of their events, both ways.
        XCTAssertEqual(try pg.hallCodes(badge: "A001"), try sqlite.store.hallCodes(badge: "A001"))
        XCTAssertEqual(try back.store.hallKeys(badge: "A001").count, 1)
        // A non-empty target is refused and left as it was.
        XCTAssertThrowsError(try StoreCopy.copy(from: sqlite.store, to: pg)) { error in
            guard case StoreError.targetNotEmpty = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try pg.chainHead().hash, head.hash)
    }

    /// A store large enough that the city's login copies its batches with COPY (names that COPY's
    /// text format must escape among them): the target's every row replays from its events, the
    /// head is the source's, and the copy back to SQLite is the same again.
    func testALargeCopyGoesThroughCOPYAndKeepsEveryRow() throws {
        let sqlite = try StoreFixture(backend: .sqlite)
        try Self.writeHistory(sqlite.store)
        let odd = ["反\\斜杠", "制表\t符", "换\n行", "\\N", "引\"号"]
        let people = (0..<3_000).map { i in
            StoreFixture.staff(String(format: "C%05d", i), i % 100 == 0 ? odd[(i / 100) % odd.count] + "\(i)" : "人员\(i)",
                dept: StoreFixture.department + "/中队\(i % 7)", line: i + 2)
        }
        try sqlite.store.importStaff(people, markMissingInactive: false, source: "large.csv", at: StoreFixture.date("2026-03-01T00:00:00Z"))
        let head = try sqlite.store.chainHead()
        let pg = try PostgresEducationStore(url: TestPostgres.freshDatabase(prefix: "copylarge"))
        XCTAssertEqual(try StoreCopy.copy(from: sqlite.store, to: pg).hash, head.hash)
        XCTAssertGreaterThan(pg.session.copies, 0, "the batches went through COPY")
        XCTAssertTrue(try pg.verifyChain().isIntact)
        XCTAssertEqual(try pg.staffList(department: nil), try sqlite.store.staffList(department: nil))
        let back = try StoreFixture(backend: .sqlite)
        XCTAssertEqual(try StoreCopy.copy(from: pg, to: back.store).hash, head.hash)
        XCTAssertTrue(try back.store.verifyChain().isIntact)
    }

    func testCopyOfATamperedSourceWritesNothing() throws {
        let sqlite = try StoreFixture(backend: .sqlite)
        try Self.writeHistory(sqlite.store)
        _ = try sqlite.sqlite("UPDATE attempts SET score = 100 WHERE id = 1")
        let url = try TestPostgres.freshDatabase(prefix: "copybad")
        let pg = try PostgresEducationStore(url: url)
        XCTAssertThrowsError(try StoreCopy.copy(from: sqlite.store, to: pg))
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM events"), "0")
        XCTAssertEqual(try TestPostgres.psql(url, "SELECT count(*) FROM staff"), "0")
    }
}
