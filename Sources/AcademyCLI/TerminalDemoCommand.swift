import ArgumentParser
import Foundation
import Localization
import TerminalUI

/// `academy tui-demo` (hidden): the full-screen exam screen on a built-in sample paper held in
/// memory, or `--page FILE` to page a text file. It exercises the terminal layer (raw mode,
/// restore on signals, resize, paste, wide characters) without a database; the pty tests use it.
struct TerminalDemoCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui-demo",
        abstract: "终端界面演示（无数据库）/ Terminal UI demo without a database.",
        shouldDisplay: false)

    @Option(help: "限时秒数 / Time limit in seconds.") var seconds: Int = 1800
    @Option(help: "分页显示文本文件 / Page a text file instead of the exam.") var page: String?
    @Option(help: "题干文件：每行一题 / A file with one question stem per line.") var stems: String?

    func run(in language: Language, clock: AcademyClock) throws {
        guard LocalTerminal.isInteractive() else {
            throw CommandExit(language.pick(zh: "需要在终端中运行", en: "needs a terminal"), code: 2)
        }
        let terminal = LocalTerminal()
        if let page {
            let doc = PagerDocument(plainText: try String(contentsOfFile: page, encoding: .utf8))
            switch try PagerApp(terminal: terminal, title: page, document: doc, language: language).run() {
            case .quit(let end): print(end ? "END" : "QUIT")
            case .terminated(let sig): throw ExitCode(128 + sig)
            case .disconnected: throw ExitCode(1)
            }
            return
        }
        let items = try stems.map { ExamDemo.items(stems: try String(contentsOfFile: $0, encoding: .utf8)) }
            ?? ExamDemo.sample(language)
        let controller = ExamDemo.Controller(items: items, seconds: seconds)
        let vm = ExamViewModel(
            language: language, title: "演示考试 Demo", subtitle: "2026 年度", items: items, remainingSeconds: seconds)
        let app = ExamApp(terminal: terminal, viewModel: vm, controller: controller)
        switch try app.run() {
        case .submitted: print("SUBMITTED \(controller.saved.count)")
        case .left: print("LEFT \(controller.saved.count)")
        case .terminated(let sig): throw ExitCode(128 + sig)
        case .disconnected: throw ExitCode(1)
        }
    }
}
