import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Localization
import TextViews

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
        let assembler = try ExamCLI.assembler(blueprint, in: content, language)
        let paper = try assembler.paper(seed: seed, excluding: Set(exclude))
        if json { return print(String(decoding: paper.canonicalJSON(), as: UTF8.self)) }
        print(PaperPreview.text(paper, blueprint: assembler.blueprint, assembler: assembler, language: language))
    }
}

enum ExamCLI {
    /// The assembler of blueprint `id` in `content`; an unknown blueprint is a usage error (exit 2).
    static func assembler(_ id: String, in content: ContentSet, _ language: Language) throws -> Assembler {
        guard let bp = content.blueprint(id) else {
            let known = content.blueprints.map(\.id).joined(separator: ", ")
            throw CommandExit(
                language.pick(
                    zh: "没有编号为 \(id) 的试卷蓝图（已有：\(known.isEmpty ? "无" : known)）",
                    en: "no blueprint with id \(id) (known: \(known.isEmpty ? "none" : known))"), code: 2)
        }
        return try Assembler(blueprint: bp, in: content)
    }
}
