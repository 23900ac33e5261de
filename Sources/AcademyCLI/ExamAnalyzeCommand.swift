import ArgumentParser
import Courseware
import Foundation
import Grading
import ItemAnalysis
import Localization
import Records
import Spreadsheets

/// `academy exam analyze --cycle C`: item analysis of a finished cycle. Reads the attempts that
/// count (the blueprint's first/last/best rule), each by the grade report in force, as stored;
/// the statistics are in ItemAnalysis.
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
        let chinese = (language == .zhHans)
        let (attempts, cycleTitle) = try RecordsCLI.run(language) { () throws -> ([AttemptObservation], String) in
            guard let c = try store.cycle(id: cycle) else {
                throw ExitCodeMessage(
                    language.pick(zh: "没有编号为 \(cycle) 的培训周期", en: "no cycle with id \(cycle)"))
            }
            let rule = content.blueprint(c.blueprintID)?.counting ?? .highest
            if content.blueprint(c.blueprintID) == nil {
                Stderr.line(
                    language.pick(
                        zh: "注意：内容中没有试卷蓝图 \(c.blueprintID)，按“最高分”选取计入的考试",
                        en: "note: the content has no blueprint \(c.blueprintID); the highest-scoring attempt counts"))
            }
            return (try ExamAnalysisInput.observations(try store.attempts(cycleID: cycle), rule: rule, language), c.title)
        }
        var titles: [String: String] = [:]
        for ps in content.provisionSets {
            for s in ps.sections {
                titles[s.id] = s.title
                for p in s.provisions { titles[p.id] = p.title }
            }
        }
        let report = ItemAnalysis.analyze(attempts, keys: ItemKey.keys(content.allQuestions), provisionTitles: titles)
        let title = language.pick(zh: "考后分析：\(cycleTitle)（\(cycle)）", en: "Item analysis: \(cycleTitle) (\(cycle))")
        let text: String
        switch format {
        case .text: text = ItemAnalysisRendering.text(report, title: title, language: language)
        case .json: text = ItemAnalysisRendering.json(report)
        case .html: text = ItemAnalysisRendering.html(report, title: title, language: language)
        }
        if let output {
            do { try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(text) } } catch {
                Stderr.line("academy exam analyze: \(error)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

struct ExitCodeMessage: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Stored attempts → observations: the counting attempt of each officer, its grade report in
/// force decoded as stored (choice answers are original option indices; nothing is re-shuffled).
enum ExamAnalysisInput {
    static func observations(_ attempts: [Attempt], rule: ExamBlueprint.CountingRule, _ language: Language) throws -> [AttemptObservation] {
        var byBadge: [String: [Attempt]] = [:]
        for a in attempts where a.state == .submitted && a.currentGrade != nil { byBadge[a.badge, default: []].append(a) }
        var out: [AttemptObservation] = []
        for badge in byBadge.keys.sorted() {
            let list = byBadge[badge]!.sorted { $0.number < $1.number }
            let outcomes = list.map {
                AttemptOutcome(
                    number: $0.number, startedAt: $0.startedAt, submittedAt: $0.submittedAt, score: $0.currentGrade?.score,
                    passed: $0.currentGrade?.passed, maxScore: $0.currentGrade?.maxScore)
            }
            guard let counted = CycleStatusRules.countingAttempt(outcomes, rule: rule),
                let attempt = list.first(where: { $0.number == counted.number }), let grade = attempt.currentGrade
            else { continue }
            let report: GradeReport
            do { report = try JSONDecoder().decode(GradeReport.self, from: grade.report) } catch {
                throw ExitCodeMessage(
                    language.pick(
                        zh: "无法读取 \(badge) 第 \(attempt.number) 次考试的评分报告：\(error)",
                        en: "cannot read the grade report of \(badge)'s attempt \(attempt.number): \(error)"))
            }
            out.append(
                AttemptObservation(
                    person: badge,
                    items: report.items.map { item in
                        var chosen: [Int]? = nil
                        if case .choice(let c) = item.response { chosen = c }
                        if item.response == nil, item.type == .singleChoice || item.type == .multipleChoice { chosen = [] }
                        return ItemObservation(
                            slot: item.number, questionID: item.questionID, score: item.score, points: item.points, chosen: chosen)
                    }))
        }
        return out
    }
}
