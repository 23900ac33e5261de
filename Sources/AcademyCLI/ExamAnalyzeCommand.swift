import ArgumentParser
import Foundation
import ItemAnalysis
import Localization
import Spreadsheets

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
        let store = try database.open(language)
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
