import ArgumentParser
import Foundation
import Records

/// Hidden helpers for tests and benchmarks: `academy dev hammer`, `academy dev append-events`.
struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Test and benchmark helpers.",
        shouldDisplay: false,
        subcommands: [Hammer.self, AppendEvents.self]
    )

    /// Starts an attempt for BADGE in CYCLE (or resumes it) and then alternates lesson-finished
    /// and answer-saved writes, each its own durable transaction, `count` times.
    struct Hammer: ParsableCommand {
        @OptionGroup var database: DatabaseOptions
        @Option var badge: String
        @Option var cycle: String
        @Option var count: Int = 50

        func run() throws {
            let store = try database.open()
            RecordsCLI.run {
                let attempt = try store.openAttempt(badge: badge, cycleID: cycle) ?? store.startAttempt(AttemptRequest(
                    badge: badge, cycleID: cycle, maxAttempts: 1, blueprintID: "hammer", blueprintVersion: 1,
                    bankHash: "hammer", seed: 1, paper: Data("{}".utf8), questionIDs: [], timeLimitSeconds: 3600))
                for i in 0..<count {
                    try store.recordItemFinished(badge: badge, cycleID: cycle, itemID: "item-\(i)", at: Date())
                    try store.saveAnswer(attemptID: attempt.id, questionKey: "q-\(i)", response: Data("\"\(i)\"".utf8), at: Date())
                }
            }
            print("ok \(badge) \(count)")
        }
    }

    struct AppendEvents: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "append-events")
        @OptionGroup var database: DatabaseOptions
        @Argument var count: Int
        @Option var batch: Int = 10_000

        func run() throws {
            let store = try database.open()
            RecordsCLI.run { try store.appendBenchmarkEvents(count: count, batch: batch) }
        }
    }
}
