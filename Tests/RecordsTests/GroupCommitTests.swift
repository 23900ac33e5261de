import Foundation
import TestSupport
import XCTest

@testable import Records

#if canImport(Glibc)
    import Glibc
#endif

/// Group commit (`GroupCommit`, used by every store write): many threads' writes share one
/// transaction; each is acknowledged only after the commit; a failing write fails alone.
/// The store tests run on the selected backend (SQLite, or PostgreSQL with
/// `ACADEMY_TEST_BACKEND=postgres`) from the same code.
final class GroupCommitTests: XCTestCase {
    // MARK: The batcher alone

    /// Jobs queued while a batch runs go together into the next batch, in submission order, and
    /// each caller gets its own result.
    func testJobsQueuedDuringABatchShareTheNext() throws {
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let log = Log()
        let commits = GroupCommit<Log> { jobs, run in
            log.batch(jobs.count)
            for job in jobs {
                do { try run(job, log) } catch { job.error = error }
            }
        }
        let group = DispatchGroup()
        func submit(_ i: Int) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                let value = try? commits.perform { log in
                    if i == 0 {
                        entered.signal()
                        gate.wait()
                    }
                    log.ran(i)
                    return i * 10
                }
                log.note("\(i)=\(value.map(String.init) ?? "nil")")
            }
        }
        submit(0)
        entered.wait()
        for i in 1...20 {
            submit(i)
            waitUntil { commits.queued == i }
        }
        gate.signal()
        group.wait()
        XCTAssertEqual(log.batches, [1, 20])
        XCTAssertEqual(log.order, Array(0...20))
        XCTAssertEqual(Set(log.notes), Set((0...20).map { "\($0)=\($0 * 10)" }))
        XCTAssertEqual(commits.counts.batches, 2)
        XCTAssertEqual(commits.counts.jobs, 21)
    }

    /// When the commit fails, every job of the batch that had not failed on its own gets the
    /// commit's error: nothing is acknowledged that was not committed.
    func testAFailedCommitFailsEveryJobOfTheBatch() throws {
        struct CommitFailed: Error {}
        struct Own: Error {}
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let commits = GroupCommit<Int> { jobs, run in
            for job in jobs {
                do { try run(job, 0) } catch { job.error = error }
            }
            if jobs.count > 1 { for job in jobs where job.error == nil { job.error = CommitFailed() } }
        }
        let group = DispatchGroup()
        let outcomes = Log()
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            _ = try? commits.perform { _ in
                entered.signal()
                gate.wait()
            }
        }
        entered.wait()
        for i in 1...6 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try commits.perform { _ in if i == 3 { throw Own() } }
                    outcomes.note("acknowledged")
                } catch is Own {
                    outcomes.note("own")
                } catch is CommitFailed {
                    outcomes.note("commit")
                } catch {
                    outcomes.note("other")
                }
            }
            waitUntil { commits.queued == i }
        }
        gate.signal()
        group.wait()
        XCTAssertEqual(outcomes.notes.sorted(), ["commit", "commit", "commit", "commit", "commit", "own"])
    }

    // MARK: The stores

    func prepared(people: Int) throws -> (StoreFixture, [String: Int64]) {
        let f = try StoreFixture()
        try f.store.importStaff(
            (0..<people).map { StoreFixture.staff(String(format: "G%03d", $0), "人员\($0)", line: $0 + 2) },
            markMissingInactive: false, source: "x", at: Date())
        try f.store.createCycle(
            TrainingCycle(
                id: "c", title: "t", courseID: "c", blueprintID: "b", departments: [], roles: [],
                opens: CalendarDay("2020-01-01")!, due: CalendarDay("2099-12-31")!, timeZoneID: "UTC"))
        var attempts: [String: Int64] = [:]
        for i in 0..<people {
            let badge = String(format: "G%03d", i)
            attempts[badge] = try f.store.startAttempt(
                AttemptRequest(
                    badge: badge, cycleID: "c", maxAttempts: 1, blueprintID: "b", blueprintVersion: 1, bankHash: "h",
                    seed: 1, paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 3600)
            ).id
        }
        return (f, attempts)
    }

    /// 50 threads save 12 answers each through one store at once: every save is stored, the chain
    /// is intact and replays to the same tables, and the saves shared transactions.
    func testConcurrentSavesFromManyThreadsAreAllDurableAndChained() throws {
        let (f, attempts) = try prepared(people: 50)
        let before = try f.store.chainHead().seq
        let batchesBefore = counts(f.store).batches
        let errors = Log()
        let store = f.store
        DispatchQueue.concurrentPerform(iterations: attempts.count) { i in
            let badge = String(format: "G%03d", i)
            for q in 0..<12 {
                do {
                    try store.saveAnswer(
                        attemptID: attempts[badge]!, questionKey: "q\(q)", response: Data("\"\(badge)-\(q)\"".utf8), at: Date())
                } catch { errors.note("\(badge) q\(q): \(error)") }
            }
        }
        XCTAssertEqual(errors.notes, [])
        for (badge, id) in attempts {
            let saved = try f.store.answers(attemptID: id)
            XCTAssertEqual(saved.count, 12, badge)
            XCTAssertEqual(saved["q11"].map { String(decoding: $0.response, as: UTF8.self) }, "\"\(badge)-11\"")
        }
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        XCTAssertEqual(v.eventCount, before + 600)
        // Reopened (a new connection), the same.
        let reopened = try f.url.map { try PostgresEducationStore(url: $0) as any EducationStore } ?? SQLiteEducationStore(path: f.path)
        XCTAssertEqual(try reopened.chainHead(), try f.store.chainHead())
        XCTAssertLessThanOrEqual(counts(f.store).batches - batchesBefore, 600)
    }

    /// In one batch: saves to open attempts, saves to a submitted attempt (refused), a save past
    /// the deadline (refused) and a write that appends an event and then fails. Each refused job
    /// gets its own error and leaves nothing behind; every other job is stored and chained.
    func testAFailingWriteFailsAloneInItsBatch() throws {
        let (f, attempts) = try prepared(people: 6)
        let closed = attempts["G005"]!
        try f.store.submitAttempt(
            attemptID: closed, report: Data("{}".utf8), score: 0, maxScore: 1, passed: false, submittedAt: Date(),
            reason: .submitted)
        let head = try f.store.chainHead().seq
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let store = f.store
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            try? Self.blockingWrite(store) {
                entered.signal()
                gate.wait()
            }
        }
        entered.wait()
        let outcomes = Log()
        var submitted = 0
        func submit(_ name: String, _ body: @escaping @Sendable () throws -> Void) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try body()
                    outcomes.note("\(name): ok")
                } catch let e as StoreError {
                    outcomes.note("\(name): \(Self.kind(e))")
                } catch {
                    outcomes.note("\(name): \(error)")
                }
            }
            submitted += 1
            waitUntil { Self.queued(store) == submitted }
        }
        for badge in ["G000", "G001", "G002"] {
            submit("\(badge) save") {
                try store.saveAnswer(attemptID: attempts[badge]!, questionKey: "q", response: Data("\"a\"".utf8), at: Date())
            }
        }
        submit("closed save") {
            try store.saveAnswer(attemptID: closed, questionKey: "q", response: Data("\"a\"".utf8), at: Date())
        }
        submit("late save") {
            try store.saveAnswer(
                attemptID: attempts["G003"]!, questionKey: "q", response: Data("\"a\"".utf8), at: Date().addingTimeInterval(7200))
        }
        submit("half write") { try Self.appendThenFail(store, badge: "G004") }
        submit("G004 save") {
            try store.saveAnswer(attemptID: attempts["G004"]!, questionKey: "q", response: Data("\"b\"".utf8), at: Date())
        }
        let batches = counts(f.store).batches
        gate.signal()
        group.wait()
        XCTAssertEqual(counts(f.store).batches, batches + 2, "the blocking write's batch, then one for the rest")
        XCTAssertEqual(
            outcomes.notes.sorted(),
            [
                "G000 save: ok", "G001 save: ok", "G002 save: ok", "G004 save: ok", "closed save: not open",
                "half write: injected", "late save: time up",
            ])
        for badge in ["G000", "G001", "G002", "G004"] {
            XCTAssertEqual(try f.store.answers(attemptID: attempts[badge]!).count, 1, badge)
        }
        XCTAssertEqual(try f.store.answers(attemptID: attempts["G003"]!).count, 0)
        XCTAssertEqual(try f.store.answers(attemptID: closed).count, 0)
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        XCTAssertEqual(v.eventCount, head + 4, "four saves; the refused and the rolled-back write left no event")
    }

    /// A batch of answer saves alone (on PostgreSQL one `academy_save_answers` call, its own
    /// transaction): the closed, unknown, late and non-UTF-8 saves are refused each with its own
    /// error and leave nothing; the others land, a repeated question counts two revisions.
    func testABatchOfSavesRefusesOnlyItsBadSaves() throws {
        let (f, attempts) = try prepared(people: 4)
        let closed = attempts["G003"]!
        try f.store.submitAttempt(
            attemptID: closed, report: Data("{}".utf8), score: 0, maxScore: 1, passed: false, submittedAt: Date(),
            reason: .submitted)
        let head = try f.store.chainHead().seq
        let batches = counts(f.store).batches
        let trips = (f.store as? PostgresEducationStore)?.session.roundTrips
        let now = Date()
        let outcomes = try Self.oneBatchOfSaves(
            f.store,
            [
                ("G000 q1", attempts["G000"]!, "q1", Data("\"a\"".utf8), now),
                ("G001 q1", attempts["G001"]!, "q1", Data("\"a\"".utf8), now),
                ("closed", closed, "q1", Data("\"a\"".utf8), now),
                ("unknown", 999_999, "q1", Data("\"a\"".utf8), now),
                ("late", attempts["G002"]!, "q1", Data("\"a\"".utf8), now.addingTimeInterval(7200)),
                ("not UTF-8", attempts["G001"]!, "q2", Data([0xFF, 0xFE]), now),
                ("G000 q1 again", attempts["G000"]!, "q1", Data("\"b\"".utf8), now),
                ("G002 q2", attempts["G002"]!, "q2", Data("\"c\"".utf8), now),
            ])
        XCTAssertEqual(
            outcomes,
            [
                "G000 q1: ok", "G001 q1: ok", "closed: not open", "unknown: unknown attempt", "late: time up", "not UTF-8: not UTF-8",
                "G000 q1 again: ok", "G002 q2: ok",
            ])
        XCTAssertEqual(counts(f.store).batches, batches + 2, "the blocking write's batch, then one for the saves")
        if let trips, let store = f.store as? PostgresEducationStore {
            XCTAssertEqual(store.session.roundTrips - trips, 3 + 1, "BEGIN, lock and COMMIT of the blocking write; one call for the saves")
        }
        let g000 = try f.store.answers(attemptID: attempts["G000"]!)
        XCTAssertEqual(g000["q1"].map { String(decoding: $0.response, as: UTF8.self) }, "\"b\"")
        XCTAssertEqual(g000["q1"]?.revision, 2)
        XCTAssertEqual(try f.store.answers(attemptID: attempts["G001"]!).keys.sorted(), ["q1"])
        XCTAssertEqual(try f.store.answers(attemptID: attempts["G002"]!).keys.sorted(), ["q2"])
        XCTAssertEqual(try f.store.answers(attemptID: closed), [:])
        let v = try f.store.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
        XCTAssertEqual(v.eventCount, head + 4, "four saves stored; the refused left no event")
    }

    /// A process saving from 40 threads through one store is killed (SIGKILL) mid-run, with
    /// batches in flight: every save it acknowledged is in the store, and the chain verifies.
    func testKillMidBatchLosesNothingAcknowledged() throws {
        let (f, attempts) = try prepared(people: 40)
        let badges = attempts.keys.sorted()
        let p = Process()
        p.executableURL = try AcademyProcess.binaryURL()
        p.arguments = [
            "dev", "hammer", "--shared", "--acks", "--answers-only", "--badge", badges.joined(separator: ","), "--cycle", "c",
            "--count", "100000", "--db", f.url ?? f.path,
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var text = ""
        var acked = 0
        let deadline = Date().addingTimeInterval(60)
        let reader = out.fileHandleForReading
        while acked < 400, Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            acked = text.split(separator: "\n").count
        }
        XCTAssertGreaterThanOrEqual(acked, 400, "the writer never got going")
        kill(p.processIdentifier, SIGKILL)
        text += String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)

        let reopened = try f.url.map { try PostgresEducationStore(url: $0) as any EducationStore } ?? SQLiteEducationStore(path: f.path)
        var stored: [String: Set<String>] = [:]
        for (badge, id) in attempts { stored[badge] = Set(try reopened.answers(attemptID: id).keys) }
        var lost: [String] = []
        var count = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "ack" else { continue }  // a line cut by the kill
            count += 1
            if stored[String(parts[1])]?.contains(String(parts[2])) != true { lost.append(String(line)) }
        }
        XCTAssertGreaterThanOrEqual(count, 400)
        XCTAssertEqual(lost, [], "acknowledged but not stored")
        let v = try reopened.verifyChain()
        XCTAssertTrue(v.isIntact, v.message.description)
    }

    // MARK: Helpers

    static func kind(_ e: StoreError) -> String {
        switch e {
        case .attemptNotOpen: "not open"
        case .attemptTimeUp: "time up"
        case .unknownAttempt: "unknown attempt"
        case .invalid(let field, _) where field == "response": "not UTF-8"
        case .invalid(let field, _) where field == "injected": "injected"
        default: "\(e)"
        }
    }

    /// A write that holds the store's writer until `body` returns.
    static func blockingWrite(_ store: any EducationStore, _ body: @escaping @Sendable () -> Void) throws {
        if let s = store as? SQLiteEducationStore {
            try s.write { _ in body() }
        } else if let s = store as? PostgresEducationStore {
            try s.write { _, _ in body() }
        }
    }

    /// Holds the store's writer with a blocking write, queues `saves` behind it in this order
    /// (so that they go as one batch), releases it and returns each save's outcome in order.
    static func oneBatchOfSaves(
        _ store: any EducationStore, _ saves: [(name: String, attempt: Int64, key: String, response: Data, at: Date)]
    ) throws -> [String] {
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            try? blockingWrite(store) {
                entered.signal()
                gate.wait()
            }
        }
        entered.wait()
        let outcomes = Log()
        for (i, save) in saves.enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try store.saveAnswer(attemptID: save.attempt, questionKey: save.key, response: save.response, at: save.at)
                    outcomes.note("\(i)|\(save.name): ok")
                } catch let e as StoreError {
                    outcomes.note("\(i)|\(save.name): \(kind(e))")
                } catch {
                    outcomes.note("\(i)|\(save.name): \(error)")
                }
            }
            let deadline = Date().addingTimeInterval(30)
            while queued(store) < i + 1, Date() < deadline { usleep(1_000) }
        }
        gate.signal()
        group.wait()
        return outcomes.notes.sorted { Int($0.prefix { $0 != "|" })! < Int($1.prefix { $0 != "|" })! }
            .map { String($0.drop { $0 != "|" }.dropFirst()) }
    }

    /// A write that appends an event (and its projection) and then fails.
    static func appendThenFail(_ store: any EducationStore, badge: String) throws {
        let failure = StoreError.invalid(field: "injected", detail: "after appending")
        let payload = CanonicalJSON.object(["item": .string("half-written")])
        if let s = store as? SQLiteEducationStore {
            try s.write { db in
                var records = try RecordWriter(db)
                try records.record(.itemFinished, at: Date(), badge: badge, cycleID: "c", payload: payload)
                try records.finish()
                throw failure
            }
        } else if let s = store as? PostgresEducationStore {
            try s.write { _, records in
                try records.record(.itemFinished, at: Date(), badge: badge, cycleID: "c", payload: payload)
                try records.finish()
                throw failure
            }
        }
    }

    func counts(_ store: any EducationStore) -> (batches: Int, jobs: Int) {
        (store as? SQLiteEducationStore)?.groupCommitCounts ?? (store as! PostgresEducationStore).groupCommitCounts
    }

    static func queued(_ store: any EducationStore) -> Int {
        (store as? SQLiteEducationStore)?.queuedWrites ?? (store as! PostgresEducationStore).queuedWrites
    }

    func waitUntil(_ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(30)
        while !condition() {
            if Date() > deadline {
                XCTFail("timed out waiting", file: file, line: line)
                return
            }
            usleep(1_000)
        }
    }

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var _batches: [Int] = []
        private var _order: [Int] = []
        private var _notes: [String] = []
        func batch(_ n: Int) { lock.lock(); _batches.append(n); lock.unlock() }
        func ran(_ i: Int) { lock.lock(); _order.append(i); lock.unlock() }
        func note(_ s: String) { lock.lock(); _notes.append(s); lock.unlock() }
        var batches: [Int] { lock.lock(); defer { lock.unlock() }; return _batches }
        var order: [Int] { lock.lock(); defer { lock.unlock() }; return _order }
        var notes: [String] { lock.lock(); defer { lock.unlock() }; return _notes }
    }
}
