import ArgumentParser
import Exams
import Foundation
import Localization
import OfficerUI
import TerminalUI

/// `academy study --officer BADGE [--cycle C]`: the cycle's lessons and case studies with the
/// officer's progress; opening one pages it, and reaching its end is recorded in the education
/// record. Without a terminal (or with `--plain`) it prints the list, and `--item ID` prints one
/// item whole (which counts as reaching its end).
struct StudyCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "学习本周期的课程与案例（读到末尾记为学完）/ Study the cycle's lessons and case studies (reaching the end records it).")

    @Option(help: "执法证号 / Badge number.") var officer: String
    @Option(help: "培训周期编号（只有一个进行中的周期时可省略）/ Training cycle id (optional when only one is open).") var cycle: String?
    @Option(help: "逐行模式下输出一个课程或案例的全文 / In line mode, print one lesson or case study.") var item: String?
    @Flag(help: "逐行模式（读屏软件、脚本）/ Line mode, for screen readers and scripts.") var plain = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run(in language: Language, clock: AcademyClock) throws {
        let content = try contentOptions.load(language).content
        let store = try database.open()
        let progress = try StudyService(store: store, content: content, clock: clock.officer).open(badge: officer, cycleID: cycle)
        let study = StudyContent(course: progress.course, content: content, language: language)

        if plain || !LocalTerminal.isInteractive() || item != nil {
            if let id = item {
                guard let doc = study.document(id: id) else {
                    throw CommandExit(language.pick(zh: "本课程中没有编号为 \(id) 的课时或案例", en: "no lesson or case study \(id) in this course"))
                }
                print(PlainDocument.render(doc, width: 80))
                try progress.recordFinished(id)
                print(language.pick(zh: "[已学完 \(id)]", en: "[finished \(id)]"))
                return
            }
            return StudyScreen.listing(progress, content: content, language: study.language).forEach { print($0) }
        }

        let terminal = LocalTerminal()
        try terminal.enter()
        defer { terminal.leave() }
        switch StudyScreen.run(progress, content: content, on: terminal, language: study.language) {
        case .quit(let summary):
            terminal.leave()
            print(summary)
        case .terminated(let sig): throw ExitCode(128 + sig)
        case .disconnected: throw ExitCode(1)
        case .failed(let message):
            terminal.leave()
            throw CommandExit(message)
        }
    }
}

