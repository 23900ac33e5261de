import ArgumentParser
import Courseware
import ExamAssembly
import Foundation
import Grading
import Localization
import OfficerUI
import TextViews

/// `academy exam preview BLUEPRINT --seed N`: one paper with its key, for trainers.
struct ExamPreviewCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "按种子生成一份试卷并显示答案（供培训人员）/ Print the paper for a seed, with its key (for trainers).")

    @Argument(help: "试卷蓝图编号 / Blueprint id.") var blueprint: String
    @Option(help: "随机种子 / Seed.") var seed: UInt64
    @Option(name: .customLong("exclude"), help: "要避开的题目编号（可重复）/ Question ids to avoid (repeatable).")
    var exclude: [String] = []
    @Flag(help: "输出试卷 JSON（与考试记录中保存的相同）/ Print the paper JSON as stored with an attempt.") var json = false
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let bp = try ExamCLI.blueprint(blueprint, in: content, language)
        let assembler = try ExamCLI.assembler(bp, content, language)
        let paper: Paper
        do { paper = try assembler.paper(seed: seed, excluding: Set(exclude)) } catch {
            Stderr.line(error.message(in: language))
            throw ExitCode(1)
        }
        if json {
            print(String(decoding: paper.canonicalJSON(), as: UTF8.self))
            return
        }
        print(PaperPreview.text(paper, blueprint: bp, assembler: assembler, language: language))
    }
}

enum ExamCLI {
    static func blueprint(_ id: String, in content: ContentSet, _ language: Language) throws -> ExamBlueprint {
        guard let bp = content.blueprint(id) else {
            let known = content.blueprints.map(\.id).joined(separator: ", ")
            Stderr.line(
                language.pick(
                    zh: "没有编号为 \(id) 的试卷蓝图（已有：\(known.isEmpty ? "无" : known)）",
                    en: "no blueprint with id \(id) (known: \(known.isEmpty ? "none" : known))"))
            throw ExitCode(2)
        }
        return bp
    }

    static func assembler(_ bp: ExamBlueprint, _ content: ContentSet, _ language: Language) throws -> Assembler {
        do { return try Assembler(blueprint: bp, pool: content.pool(for: bp)) } catch {
            Stderr.line(error.message(in: language))
            throw ExitCode(1)
        }
    }
}
