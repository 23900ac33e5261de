import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Localization
import Records

/// `academy exam bench …` (hidden): measurements used by Benchmarks/exam.sh.
struct ExamBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (Benchmarks/exam.sh).", shouldDisplay: false,
        subcommands: [Papers.self, Saves.self, Setup.self])

    /// Papers per second on one thread from a blueprint of the loaded content.
    struct Papers: LocalizedCommand {
        @Argument var blueprint: String
        @Option var papers: Int = 200_000
        @Flag(help: "Also encode each paper to its canonical JSON.") var json = false
        @OptionGroup var contentOptions: ContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let content = try contentOptions.load(language).content
            let bp = try ExamCLI.blueprint(blueprint, in: content, language)
            let a = try ExamCLI.assembler(bp, content, language)
            var checksum = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for seed in 0..<UInt64(papers) {
                let p = try a.paper(seed: seed)
                checksum &+= p.sections.count
                if json { checksum &+= p.canonicalJSON().count }
            }
            let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(
                String(
                    format: "papers=%d seconds=%.3f papers_per_second=%.0f questions_per_paper=%d checksum=%d",
                    papers, s, Double(papers) / s, try a.paper(seed: 0).questionIDs.count, checksum))
        }
    }

    /// Prepares a database with one officer and one open cycle, for timing `exam take`.
    struct Setup: LocalizedCommand {
        @Option var db: String
        @Option var blueprint: String
        @Option var course: String
        @Option var badge: String = "BENCH1"
        @Option var cycle: String = "bench"

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try openEducationStore(db)
            try ExamBenchCommand.prepare(store, badge: badge, cycle: cycle, course: course, blueprint: blueprint, now: clock.now())
        }
    }

    static func prepare(
        _ store: any EducationStore, badge: String, cycle: String, course: String, blueprint: String, now: Date
    ) throws {
        _ = try store.importStaff(
            [
                StaffInput(
                    badge: badge, name: "基准", department: "基准/部门", role: .officer,
                    status: .active, line: 2)
            ], markMissingInactive: false, source: "bench", at: now)
        let y = Calendar(identifier: .gregorian).component(.year, from: now)
        try store.createCycle(
            TrainingCycle(
                id: cycle, title: cycle, courseID: course, blueprintID: blueprint, departments: [],
                roles: [], opens: CalendarDay(year: y - 1, month: 1, day: 1),
                due: CalendarDay(year: y + 1, month: 12, day: 31)))
    }

    /// Answer-save latency with durable commits, through the real store.
    struct Saves: LocalizedCommand {
        @Option var db: String
        @Option var saves: Int = 1000

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try openEducationStore(db)
            let now = clock.now()
            try ExamBenchCommand.prepare(store, badge: "BENCH1", cycle: "bench", course: "c", blueprint: "b", now: now)
            let attempt = try store.startAttempt(
                AttemptRequest(
                    badge: "BENCH1", cycleID: "bench", maxAttempts: 1, blueprintID: "b",
                    blueprintVersion: 1, bankHash: "x", seed: 1, paper: Data("{}".utf8),
                    questionIDs: (0..<50).map { "q\($0)" }, timeLimitSeconds: 3600, startedAt: now))
            var ns: [UInt64] = []
            ns.reserveCapacity(saves)
            for i in 0..<saves {
                let value = Data("{\"choice\":{\"_0\":[\(i % 4)]}}".utf8)
                let t0 = DispatchTime.now().uptimeNanoseconds
                try store.saveAnswer(attemptID: attempt.id, questionKey: "q\(i % 50)", response: value, at: clock.now())
                ns.append(DispatchTime.now().uptimeNanoseconds - t0)
            }
            ns.sort()
            func q(_ p: Double) -> Double { Double(ns[min(ns.count - 1, Int(Double(ns.count) * p))]) / 1e6 }
            print(
                String(
                    format: "saves=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f", saves, q(0.5), q(0.9), q(0.99),
                    Double(ns.last ?? 0) / 1e6))
        }
    }
}
