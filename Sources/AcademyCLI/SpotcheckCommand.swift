import ArgumentParser
import Foundation
import Localization
import Records
import Rosters
import TextViews

/// `academy spotcheck draw`: a reproducible 双随机 draw (people for re-examination, each paired
/// with a randomly assigned inspector), recorded as an event.
struct SpotcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotcheck",
        abstract: "双随机抽查 / Random spot checks.",
        subcommands: [Draw.self]
    )

    struct Draw: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "抽取复查人员并随机分配检查人员，记入档案 / Draw people for re-examination, assign inspectors, record it.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "培训周期编号 / Cycle id.") var cycle: String
        @Option(help: "抽取比例（百分比，0–100）/ Share to draw, in percent (0–100).") var percent: Double
        @Option(help: "随机种子（同一人员范围与种子得到同一结果）/ Seed (same population and seed → same draw).") var seed: UInt64
        @Option(help: "检查人员名单文件（每行一人）/ Inspector list file (one per line).") var inspectors: String?
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            let names = try inspectors.map { try SpotCheckDraw.readInspectors(from: URL(fileURLWithPath: $0)) } ?? []
            let (draw, recorded, people) = try RosterService.drawSpotCheck(
                store: try openEducationStore(database.path), cycleID: cycle, percent: percent, seed: seed, inspectors: names,
                at: clock.now())
            print(
                AdminViews.spotCheck(
                    draw, recorded: recorded, people: people, cycle: cycle, seed: seed, percent: percent, json: format == .json,
                    language: language))
        }
    }
}
