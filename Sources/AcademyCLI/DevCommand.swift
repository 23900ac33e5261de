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
        @Option(help: "One badge, or several separated by commas: one concurrent writer (own connection) each.") var badge: String
        @Option var cycle: String
        @Option var count: Int = 50
        @Flag(help: "Only answer saves (no study progress), each save's latency in ms on stdout (benchmark).")
        var answersOnly = false
        @Flag(help: "One store (one connection) shared by every writer thread, as the exam hall has: their saves are group-committed.")
        var shared = false
        @Flag(help: "Print `ack BADGE KEY` the moment each answer save returns (crash tests).") var acks = false

        func run(in language: Language, clock: AcademyClock) throws {
            let spec = database.path
            let store: (any EducationStore)? = shared ? try openEducationStore(spec) : nil
            let open: @Sendable () throws -> any EducationStore = { try openEducationStore(spec) }
            let ack: (@Sendable (String, String) -> Void)? = acks ? Self.ack : nil
            let r = StoreBench.hammer(
                badges: badge.split(separator: ",").map(String.init), shared: store, open: open, cycle: cycle, count: count,
                answersOnly: answersOnly, clock: clock.wall, ack: ack)
            if let counts = r.groupCommit { Stderr.line("group commit: \(counts.jobs) writes in \(counts.batches) transactions") }
            if let (b, error) = r.failure { Stderr.line(b); throw error }
            if answersOnly {
                print(r.latencies.map { String(format: "%.3f", $0) }.joined(separator: "\n"))
            } else {
                for b in badge.split(separator: ",") { print("ok \(b) \(count)") }
            }
        }

        /// `ack BADGE KEY`, written the moment an answer save returns (unbuffered).
        @Sendable static func ack(_ badge: String, _ key: String) { FileHandle.standardOutput.write(Data("ack \(badge) \(key)\n".utf8)) }
    }

    struct AppendEvents: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "append-events")
        @OptionGroup var database: DatabaseOptions
        @Argument var count: Int
        @Option var batch: Int = 10_000

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            try store.appendBenchmarkEvents(count: count, batch: batch, badge: nil)
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
            let store = try database.open()
            print(try StoreBench.seed(store, people: people, attempts: attempts, lessons: lessons, seed: seed, cycle: cycle, at: clock.now()))
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
            let store = try database.open()
            print(try StoreBench.rosterTime(store, cycle: cycle, lessons: lessons, maxAttempts: maxAttempts, now: clock.now()))
        }
    }

    /// Times `importStaff` alone on N generated rows (no file reading), for profiling.
    struct ImportTime: LocalizedCommand {
        static let configuration = CommandConfiguration(commandName: "import-time")
        @OptionGroup var database: DatabaseOptions
        @Option var people: Int = 100_000

        func run(in language: Language, clock: AcademyClock) throws {
            print(try StoreBench.importTime(try database.open(), people: people, at: clock.now()))
        }
    }
}
