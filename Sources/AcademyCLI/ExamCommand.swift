import ArgumentParser
import Courseware
import ExamAssembly
import Exams
import Foundation
import ItemAnalysis
import Localization
import OfficerUI
import Records
import Spreadsheets
import TerminalUI
import TextViews

#if canImport(Glibc)
    import Glibc
#endif

/// `academy exam …`: papers, statistics, taking the exam, regrading.
struct ExamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exam",
        abstract: "考试：预览试卷、抽题统计、参加考试、重新评分 / Exams: preview, statistics, take, regrade.",
        subcommands: [
            ExamTakeCommand.self, ExamPreviewCommand.self, ExamStatsCommand.self, ExamRegradeCommand.self,
            ExamBenchCommand.self, ExamAnalyzeCommand.self,
        ]
    )
}

/// `academy exam take --officer BADGE [--cycle C] [--plain]`.
///
/// The attempt logic lives in the `Exams` service (`ExamService.open`, `ExamSession`); this
/// command only picks the front end. Line mode (`--plain`, or whenever stdin/stdout is not a
/// terminal) is the documented line protocol; the full-screen front end is `ExamFullScreen.run(_:)`.
struct ExamTakeCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "take",
        abstract: "参加考试（断线、强制退出后再次运行即可继续）/ Sit the exam (run again to resume after a disconnect or kill).")

    @Option(help: "执法证号 / Badge number.") var officer: String
    @Option(help: "培训周期编号（只有一个进行中的周期时可省略）/ Training cycle id (optional when only one is open).") var cycle: String?
    @Flag(help: "逐行模式（读屏软件、脚本）/ Line mode, for screen readers and scripts.") var plain = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try ExamContentCache.load(content: contentOptions.content) {
            let l = try contentOptions.load(language)
            return (l.content, l.hasErrors)
        }
        let store = try database.open()
        let launch = try ExamService(store: store, content: content, clock: clock.officer, startClock: .system)
            .open(badge: officer, cycleID: cycle)
        if !plain, isatty(0) == 1 && isatty(1) == 1 {
            switch ExamFullScreen.run(launch, on: LocalTerminal(), language: language, clock: clock.officer) {
            case .submitted(let summary), .left(let summary): if !summary.isEmpty { print(summary) }
            case .terminated(let sig): throw ExitCode(128 + sig)
            case .disconnected: throw ExitCode(1)
            case .failed(let message): throw CommandExit(message)
            }
            return
        }
        // Unbuffered writes, so the order on a pipe is the order written.
        let mode = ExamLineMode(exam: launch, language: language, clock: clock.officer) {
            FileHandle.standardOutput.write(Data($0.utf8))
        }
        mode.greet()
        _ = mode.run(reader: DeadlineLineReader(fd: 0))
    }
}

/// `academy exam preview BLUEPRINT --seed N`: one paper with its key, for trainers.
struct ExamPreviewCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "按种子生成一份试卷并显示答案（供培训人员）/ Print the paper for a seed, with its key (for trainers).")

    @Argument(help: "试卷蓝图编号 / Blueprint id.") var blueprint: String
    @Option(help: "随机种子 / Seed.") var seed: UInt64
    @Option(name: .customLong("exclude"), help: "要避开的题目编号（可重复）/ Question ids to avoid (repeatable).") var exclude: [String] = []
    @Flag(help: "输出试卷 JSON（与考试记录中保存的相同）/ Print the paper JSON as stored with an attempt.") var json = false
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let assembler = try Assembler(blueprintID: blueprint, in: content)
        let paper = try assembler.paper(seed: seed, excluding: Set(exclude))
        if json { return print(String(decoding: paper.canonicalJSON(), as: UTF8.self)) }
        print(PaperPreview.text(paper, blueprint: assembler.blueprint, assembler: assembler, language: language))
    }
}

/// `academy exam stats BLUEPRINT --papers 10000`: simulate papers and report how fair they are.
struct ExamStatsCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "模拟抽卷并统计：抽中频率、正确选项位置、难度分布、从未抽到的题 / Simulate papers: draw frequency, key positions, difficulty spread, never-drawn questions."
    )

    @Argument(help: "试卷蓝图编号 / Blueprint id.") var blueprint: String
    @Option(help: "模拟的试卷份数 / Number of papers to simulate.") var papers: Int = 10_000
    @Option(help: "第一个种子（依次递增）/ First seed (then +1 per paper).") var firstSeed: UInt64 = 1
    @Option(help: "同一考生连续抽卷的份数，后一份避开前面各份的题（默认：允许次数 + 1 次“双随机”复查）/ Consecutive papers per officer, each avoiding the earlier ones' questions (default: attempts allowed + 1 双随机 re-examination).") var attempts: Int?
    @Option(help: "模拟连续抽卷的考生人数 / Officers simulated for consecutive papers.") var officers: Int = 200
    @OptionGroup var contentOptions: ContentOptions

    func validate() throws {
        let language = ParsingLanguage.value
        guard papers > 0 else { throw ValidationError(language.pick(zh: "--papers 必须大于 0", en: "--papers must be positive")) }
        guard officers > 0 else { throw ValidationError(language.pick(zh: "--officers 必须大于 0", en: "--officers must be positive")) }
        if let attempts, attempts < 1 {
            throw ValidationError(language.pick(zh: "--attempts 必须大于 0", en: "--attempts must be positive"))
        }
    }

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let assembler = try Assembler(blueprintID: blueprint, in: content)
        let bp = assembler.blueprint
        let started = ContinuousClock.now
        let stats = try PaperStatistics.simulate(assembler, papers: papers, firstSeed: firstSeed)
        let sequences = try AttemptSequences.simulate(
            assembler, officers: officers, attempts: attempts ?? bp.maxAttempts + 1, firstSeed: firstSeed)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        print(PaperStatisticsText.render(stats, blueprint: bp, seconds: seconds, language: language))
        print(PaperStatisticsText.render(sequences, blueprint: bp, language: language))
        print(PaperSize.line(assembler, seeds: firstSeed..<(firstSeed &+ UInt64(min(papers, 1000))), language: language))
    }
}

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
            let assembler = try Assembler(blueprintID: blueprint, in: content)
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

/// `academy exam analyze --cycle C`: item analysis of a finished cycle (`CycleAnalysis`).
struct ExamAnalyzeCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "考后分析：每题通过率、区分度、选项分布，按条款的掌握情况 / Item analysis after a cycle.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Option(help: "培训周期 / Cycle id.") var cycle: String
    @Option(help: "输出格式 / Output format: text | json | html.") var format: Format = .text
    @Option(name: .shortAndLong, help: "输出文件（默认标准输出）/ Output file (default: standard output).") var output: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let store = try database.open()
        let content = try contentOptions.load(language).content
        let (report, cycleTitle) = try CycleAnalysis.analyze(store, cycleID: cycle, content: content) {
            Stderr.line($0.text(in: language))
        }
        let title = language.pick(zh: "考后分析：\(cycleTitle)（\(cycle)）", en: "Item analysis: \(cycleTitle) (\(cycle))")
        let text: String
        switch format {
        case .text: text = ItemAnalysisRendering.text(report, title: title, language: language)
        case .json: text = ItemAnalysisRendering.json(report)
        case .html: text = ItemAnalysisRendering.html(report, title: title, language: language)
        }
        guard let output else { return FileHandle.standardOutput.write(Data(text.utf8)) }
        do { try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(text) } } catch {
            throw CommandExit("academy exam analyze: \(error)")
        }
    }
}

/// `academy exam regrade --cycle C [--dry-run]`: re-score every submitted attempt of the cycle from
/// its stored paper and responses against the current content (`ExamService.regrade`).
struct ExamRegradeCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "regrade",
        abstract: "按当前题库答案重新评分已交卷的考试 / Re-score submitted attempts against the current answer keys.")

    @Option(help: "培训周期编号 / Training cycle id.") var cycle: String
    @Flag(help: "只显示会改变的成绩，不写入 / Show what would change without writing.") var dryRun = false
    @Option(help: "写入记录的重新评分原因 / Reason written with each regrade.") var reason: String?
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let store = try database.open()
        let summary = try ExamService(store: store, content: ExamContent(content), clock: clock.wall)
            .regrade(cycleID: cycle, dryRun: dryRun, reason: reason ?? "answer key corrected")
        for c in summary.changes { print(RegradeText.change(c, language: language)) }
        for p in summary.problems { Stderr.line(p.text(in: language)) }
        print(RegradeText.summary(summary, dryRun: dryRun, language: language))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}
