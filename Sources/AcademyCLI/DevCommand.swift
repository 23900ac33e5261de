import ArgumentParser
import Foundation
import Localization
import Records

/// Hidden helpers for tests and benchmarks: `academy dev hammer`, `academy dev append-events`.
struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Test and benchmark helpers.",
        shouldDisplay: false,
        subcommands: [Hammer.self, AppendEvents.self, Seed.self, RosterTime.self, ImportTime.self]
    )

    /// Starts an attempt for BADGE in CYCLE (or resumes it) and then alternates lesson-finished
    /// and answer-saved writes, each its own durable transaction, `count` times.
    struct Hammer: LocalizedCommand {
        @OptionGroup var database: DatabaseOptions
        @Option(help: "One badge, or several separated by commas: one concurrent writer (own connection) each.")
        var badge: String
        @Option var cycle: String
        @Option var count: Int = 50
        @Flag(help: "Only answer saves (no study progress), each save's latency in ms on stdout (benchmark).")
        var answersOnly = false
        @Flag(help: "One store (one connection) shared by every writer thread, as the exam hall has: their saves are group-committed.")
        var shared = false
        @Flag(help: "Print `ack BADGE KEY` the moment each answer save returns (crash tests).")
        var acks = false

        func run(in language: Language, clock: AcademyClock) throws {
            let badges = badge.split(separator: ",").map(String.init)
            let spec = database.path
            let cycle = cycle, count = count, answersOnly = answersOnly, acks = acks
            let store: (any EducationStore)? = shared ? try RecordsCLI.run(language) { try openEducationStore(spec) } : nil
            let failures = Failures()
            let group = DispatchGroup()
            for b in badges {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    do {
                        let ms = try Self.hammer(
                            store: store ?? openEducationStore(spec), badge: b, cycle: cycle, count: count,
                            answersOnly: answersOnly, acks: acks)
                        if answersOnly { failures.latencies(ms) }
                    } catch { failures.add(b, error) }
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.wait()
            let counts = (store as? SQLiteEducationStore)?.groupCommitCounts ?? (store as? PostgresEducationStore)?.groupCommitCounts
            if let counts {
                Stderr.line("group commit: \(counts.jobs) writes in \(counts.batches) transactions")
            }
            if let (b, error) = failures.first { Stderr.line(b); throw RecordsCLI.failure(error, language) }
            if answersOnly {
                print(failures.allLatencies.map { String(format: "%.3f", $0) }.joined(separator: "\n"))
            } else {
                for b in badges { print("ok \(b) \(count)") }
            }
        }

        @discardableResult
        static func hammer(
            store: any EducationStore, badge: String, cycle: String, count: Int, answersOnly: Bool = false, acks: Bool = false
        ) throws -> [Double] {
            let attempt =
                try store.openAttempt(badge: badge, cycleID: cycle)
                ?? store.startAttempt(
                    AttemptRequest(
                        badge: badge, cycleID: cycle, maxAttempts: 1, blueprintID: "hammer", blueprintVersion: 1,
                        bankHash: "hammer", seed: 1, paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 3600))
            var latencies: [Double] = []
            for i in 0..<count {
                if !answersOnly { try store.recordItemFinished(badge: badge, cycleID: cycle, itemID: "item-\(i)", at: Date()) }
                let t = DispatchTime.now().uptimeNanoseconds
                try store.saveAnswer(attemptID: attempt.id, questionKey: "q-\(i)", response: Data("\"\(i)\"".utf8), at: Date())
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
                if acks { FileHandle.standardOutput.write(Data("ack \(badge) q-\(i)\n".utf8)) }
            }
            return latencies
        }

        final class Failures: @unchecked Sendable {
            private let lock = NSLock()
            private var all: [(String, any Error)] = []
            private var ms: [Double] = []
            func add(_ b: String, _ e: any Error) { lock.lock(); all.append((b, e)); lock.unlock() }
            func latencies(_ l: [Double]) { lock.lock(); ms += l; lock.unlock() }
            var allLatencies: [Double] { lock.lock(); defer { lock.unlock() }; return ms }
            var first: (String, any Error)? { lock.lock(); defer { lock.unlock() }; return all.first }
        }
    }

    struct AppendEvents: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "append-events")
        @OptionGroup var database: DatabaseOptions
        @Argument var count: Int
        @Option var batch: Int = 10_000

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            try RecordsCLI.run(language) { try store.appendBenchmarkEvents(count: count, batch: batch, badge: nil) }
        }
    }

    /// `academy dev seed --people 100000 --attempts 6 --lessons 8`: a synthetic population with
    /// on average attempts/2 graded attempts each (3 → ~300,000 attempts for 100,000 people with 6).
    struct Seed: LocalizedCommand {
        @OptionGroup var database: DatabaseOptions
        @Option var people: Int = 1000
        @Option(help: "Maximum attempts per person; each person gets a uniform 0...N.") var attempts: Int = 6
        @Option var lessons: Int = 8
        @Option var cycle: String = "synthetic"
        @Option var seed: UInt64 = 2018

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            _ = try RecordsCLI.run(language) {
                try store.seedSynthetic(
                    people: people, attemptsPerPerson: attempts, lessons: lessons, seed: seed, cycleID: cycle, at: clock.now())
            }
            let counts = try RecordsCLI.run(language) { try store.tableCounts() }
            print(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
    }

    /// Times the roster query (what `roster export` builds on) for a cycle.
    struct RosterTime: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "roster-time")
        @OptionGroup var database: DatabaseOptions
        @Option var cycle: String = "synthetic"
        @Option var lessons: Int = 8
        @Option var maxAttempts: Int = 6

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            let rule = CompletionRule(
                requiredItemIDs: (1...max(1, lessons)).map { "lesson-\($0)" }, maxAttempts: maxAttempts, counting: .highest)
            let t0 = Date()
            let rows = try RecordsCLI.run(language) { try store.roster(cycleID: cycle, department: nil, rule: rule, now: clock.now()) }
            let dt = Date().timeIntervalSince(t0)
            var counts: [String: Int] = [:]
            for r in rows { counts[r.status.key, default: 0] += 1 }
            print(
                "rows=\(rows.count) seconds=\(String(format: "%.3f", dt)) \(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
            )
        }
    }

    /// Times `importStaff` alone on N generated rows (no file reading), for profiling.
    struct ImportTime: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "import-time")
        @OptionGroup var database: DatabaseOptions
        @Option var people: Int = 100_000

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            let rows = (0..<people).map { i in
                StaffInput(
                    badge: String(format: "SL%07d", i), name: "张\(i % 97)",
                    department: "示例省\(i % 8)/示例市\(i % 10)/示例区\(i % 12)/城市管理综合行政执法大队/第\(i % 5 + 1)中队",
                    role: i % 3 == 0 ? .assistant : .officer, status: .active, line: i + 2)
            }
            let t0 = Date()
            let s = try RecordsCLI.run(language) { try store.importStaff(rows, markMissingInactive: false, source: "gen", at: clock.now()) }
            print("added=\(s.added) unchanged=\(s.unchanged) seconds=\(String(format: "%.3f", Date().timeIntervalSince(t0)))")
        }
    }
}
