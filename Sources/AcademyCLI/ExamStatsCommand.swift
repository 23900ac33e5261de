import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Localization
import TextViews

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
        let assembler = try ExamCLI.assembler(blueprint, in: content, language)
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
