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
            let chinese = (language == .zhHans)
            func fail(_ e: any Error) -> CommandExit { RecordsCLI.failure(e, language) }
            let names: [String]
            do { names = try inspectors.map { try SpotCheckDraw.readInspectors(from: URL(fileURLWithPath: $0)) } ?? [] } catch {
                throw fail(error)
            }
            let store: any EducationStore
            do { store = try openEducationStore(database.path) } catch { throw fail(error) }
            let result: (SpotCheckDraw, SpotCheck, [String: StaffMember])
            do {
                result = try RosterService.drawSpotCheck(
                    store: store, cycleID: cycle, percent: percent, seed: seed,
                    inspectors: names, at: clock.now())
            } catch { throw fail(error) }
            let (draw, recorded, people) = result
            switch format {
            case .json:
                print(
                    TextFormat.json(
                        [
                            "schema_version": 1, "id": recorded.id, "cycle": cycle, "seed": String(seed), "percent": percent,
                            "population": draw.populationSize, "inspectors": draw.inspectors,
                            "selected": draw.selected.enumerated().map { i, b -> [String: Any] in
                                [
                                    "badge": b, "name": people[b]?.name ?? "", "department": people[b]?.department ?? "",
                                    "inspector": draw.inspector(forSelectionAt: i) ?? NSNull(),
                                ]
                            },
                        ] as [String: Any]))
            case .text:
                print(
                    chinese
                        ? "双随机抽查 #\(recorded.id)：培训周期 \(cycle)，种子 \(seed)，比例 \(TextFormat.score(percent))%，从 \(draw.populationSize) 人中抽取 \(draw.selected.count) 人"
                        : "Spot check #\(recorded.id): cycle \(cycle), seed \(seed), \(TextFormat.score(percent))%, \(draw.selected.count) of \(draw.populationSize) people"
                )
                var table = [
                    [
                        chinese ? "序号" : "#", chinese ? "执法证号" : "badge", chinese ? "姓名" : "name",
                        chinese ? "所属部门" : "department", chinese ? "检查人员" : "inspector",
                    ]
                ]
                for (i, b) in draw.selected.enumerated() {
                    table.append([
                        String(i + 1), b, people[b]?.name ?? "", people[b]?.department ?? "",
                        draw.inspector(forSelectionAt: i) ?? "-",
                    ])
                }
                print(TextFormat.table(table))
            }
        }
    }
}
