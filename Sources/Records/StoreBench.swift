import Courseware
import Foundation

/// The store benchmarks and crash-test writers behind the hidden `academy dev` commands: durable
/// writes from many threads (`hammer`), the roster query and the staff import timed alone.
public enum StoreBench {
    /// What `hammer` did: each answer save's latency in ms (answers-only runs), the group-commit
    /// counts of a shared store, and the first writer that failed.
    public struct HammerResult {
        public var latencies: [Double]
        public var groupCommit: (batches: Int, jobs: Int)?
        public var failure: (badge: String, error: any Error)?
    }

    /// One writer thread per badge, each on its own store from `open` or all on `shared` (one
    /// connection, as the exam hall has: their saves are group-committed); see `hammer(store:…)`.
    public static func hammer(
        badges: [String], shared: (any EducationStore)?, open: @escaping @Sendable () throws -> any EducationStore,
        cycle: String, count: Int, answersOnly: Bool, clock: WallClock, ack: (@Sendable (String, String) -> Void)? = nil
    ) -> HammerResult {
        let results = Results()
        let group = DispatchGroup()
        // Not Sendable as a type, but every writer only calls the store's thread-safe methods.
        let sharedStore = UncheckedBox(shared)
        for b in badges {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let ms = try hammer(
                        store: sharedStore.value ?? open(), badge: b, cycle: cycle, count: count, answersOnly: answersOnly,
                        clock: clock, ack: ack)
                    if answersOnly { results.latencies(ms) }
                } catch { results.add(b, error) }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let counts = (shared as? SQLiteEducationStore)?.groupCommitCounts ?? (shared as? PostgresEducationStore)?.groupCommitCounts
        return HammerResult(latencies: results.allLatencies, groupCommit: counts, failure: results.first)
    }

    /// Starts an attempt for `badge` in `cycle` (or resumes it) and then alternates lesson-finished
    /// and answer-saved writes, each its own durable transaction, `count` times; `ack` is called
    /// the moment each answer save returns. Returns each save's latency in ms.
    @discardableResult
    public static func hammer(
        store: any EducationStore, badge: String, cycle: String, count: Int, answersOnly: Bool = false,
        clock: WallClock = .system, ack: ((String, String) -> Void)? = nil
    ) throws -> [Double] {
        let attempt =
            try store.openAttempt(badge: badge, cycleID: cycle)
            ?? store.startAttempt(
                AttemptRequest(
                    badge: badge, cycleID: cycle, maxAttempts: 1, blueprintID: "hammer", blueprintVersion: 1,
                    bankHash: "hammer", seed: 1, paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 3600,
                    startedAt: clock.now()))
        var latencies: [Double] = []
        for i in 0..<count {
            if !answersOnly { try store.recordItemFinished(badge: badge, cycleID: cycle, itemID: "item-\(i)", at: clock.now()) }
            let t = DispatchTime.now().uptimeNanoseconds
            try store.saveAnswer(attemptID: attempt.id, questionKey: "q-\(i)", response: Data("\"\(i)\"".utf8), at: clock.now())
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            ack?(badge, "q-\(i)")
        }
        return latencies
    }

    /// `seedSynthetic`, then the table counts as `table=count …` sorted by table.
    public static func seed(
        _ store: any EducationStore, people: Int, attempts: Int, lessons: Int, seed: UInt64, cycle: String, at: Date
    ) throws -> String {
        _ = try store.seedSynthetic(people: people, attemptsPerPerson: attempts, lessons: lessons, seed: seed, cycleID: cycle, at: at)
        return try store.tableCounts().sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// Times the roster query (what `roster export` builds on) for `cycle` under the assumed rule:
    /// `rows=N seconds=S status=count …`.
    public static func rosterTime(_ store: any EducationStore, cycle: String, lessons: Int, maxAttempts: Int, now: Date) throws -> String {
        let rule = CompletionRule.assumed(lessons: max(1, lessons), maxAttempts: maxAttempts)
        let started = ContinuousClock.now
        let rows = try store.roster(cycleID: cycle, department: nil, rule: rule, now: now)
        let seconds = seconds(since: started)
        var counts: [String: Int] = [:]
        for r in rows { counts[r.status.key, default: 0] += 1 }
        return "rows=\(rows.count) seconds=\(String(format: "%.3f", seconds)) "
            + counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// `people` generated staff rows (the same on every run), for timing `importStaff` alone.
    public static func syntheticStaff(_ people: Int) -> [StaffInput] {
        (0..<people).map { i in
            StaffInput(
                badge: String(format: "SL%07d", i), name: "张\(i % 97)",
                department: "示例省\(i % 8)/示例市\(i % 10)/示例区\(i % 12)/城市管理综合行政执法大队/第\(i % 5 + 1)中队",
                role: i % 3 == 0 ? .assistant : .officer, status: .active, line: i + 2)
        }
    }

    /// Times `importStaff` alone on `people` generated rows (no file reading), for profiling:
    /// `added=N unchanged=M seconds=S`.
    public static func importTime(_ store: any EducationStore, people: Int, at: Date) throws -> String {
        let rows = syntheticStaff(people)
        let started = ContinuousClock.now
        let s = try store.importStaff(rows, markMissingInactive: false, source: "gen", at: at)
        return "added=\(s.added) unchanged=\(s.unchanged) seconds=\(String(format: "%.3f", seconds(since: started)))"
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double { (ContinuousClock.now - start).inSeconds }

    private struct UncheckedBox<T>: @unchecked Sendable { let value: T; init(_ v: T) { value = v } }

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [(String, any Error)] = []
        private var ms: [Double] = []
        func add(_ b: String, _ e: any Error) { lock.lock(); all.append((b, e)); lock.unlock() }
        func latencies(_ l: [Double]) { lock.lock(); ms += l; lock.unlock() }
        var allLatencies: [Double] { lock.lock(); defer { lock.unlock() }; return ms }
        var first: (badge: String, error: any Error)? { lock.lock(); defer { lock.unlock() }; return all.first.map { ($0.0, $0.1) } }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
