import ArgumentParser
import Exams
import Localization
import Records

/// `academy exam bench …` (hidden): measurements used by Benchmarks/exam.sh (`ExamBench`).
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
            let assembler = try ExamCLI.assembler(blueprint, in: content, language)
            print(try ExamBench.papers(assembler, count: papers, json: json))
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
            try ExamBench.prepare(store, badge: badge, cycle: cycle, course: course, blueprint: blueprint, now: clock.now())
        }
    }

    /// Answer-save latency with durable commits, through the real store.
    struct Saves: LocalizedCommand {
        @Option var db: String
        @Option var saves: Int = 1000

        func run(in language: Language, clock: AcademyClock) throws {
            print(try ExamBench.saves(try openEducationStore(db), count: saves, clock: clock.wall))
        }
    }
}
