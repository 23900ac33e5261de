import ArgumentParser
import Foundation
import TerminalUI

/// `academy tui-demo` (hidden): the full-screen exam screen on a built-in sample paper held in
/// memory, or `--page FILE` to page a text file. It exercises the terminal layer (raw mode,
/// restore on signals, resize, paste, wide characters) without a database; the pty tests use it.
struct TerminalDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui-demo",
        abstract: "终端界面演示（无数据库）/ Terminal UI demo without a database.",
        shouldDisplay: false)

    @Option(help: "限时秒数 / Time limit in seconds.") var seconds: Int = 1800
    @Option(help: "分页显示文本文件 / Page a text file instead of the exam.") var page: String?
    @Option(help: "题干文件：每行一题 / A file with one question stem per line.") var stems: String?

    func run() throws {
        let lang = TerminalLanguage.current
        guard LocalTerminal.isInteractive() else {
            FileHandle.standardError.write(Data(lang.pick(zh: "需要在终端中运行\n", en: "needs a terminal\n").utf8))
            throw ExitCode(2)
        }
        let terminal = LocalTerminal()
        if let page {
            let text = try String(contentsOfFile: page, encoding: .utf8)
            var doc = PagerDocument()
            for p in text.split(separator: "\n", omittingEmptySubsequences: false) {
                doc.add(p.isEmpty ? .blank : .item(marker: "", text: String(p)))
            }
            let outcome = try PagerApp(terminal: terminal, title: page, document: doc, language: lang).run()
            switch outcome {
            case .quit(let end): print(end ? "END" : "QUIT")
            case .terminated(let sig): throw ExitCode(128 + sig)
            case .disconnected: throw ExitCode(1)
            }
            return
        }
        var items = Self.sample(lang)
        if let stems {
            let lines = try String(contentsOfFile: stems, encoding: .utf8).split(separator: "\n")
            items = lines.map {
                ExamItem(
                    sectionTitle: "测试", typeLabel: "单选", kind: .singleChoice,
                    stem: String($0), options: [String($0), "第二个选项"], points: 1)
            }
        }
        let controller = DemoController(items: items, seconds: seconds)
        let vm = ExamViewModel(
            language: lang, title: "演示考试 Demo", subtitle: "2026 年度", items: items,
            remainingSeconds: seconds)
        let app = ExamApp(terminal: terminal, viewModel: vm, controller: controller)
        let outcome = try app.run()
        switch outcome {
        case .submitted: print("SUBMITTED \(controller.saved.count)")
        case .left: print("LEFT \(controller.saved.count)")
        case .terminated(let sig): throw ExitCode(128 + sig)
        case .disconnected: throw ExitCode(1)
        }
    }

    static func sample(_ lang: UILanguage) -> [ExamItem] {
        [
            ExamItem(
                sectionTitle: "一、单项选择题", typeLabel: "单选", kind: .singleChoice,
                stem: "城市管理执法人员在执法时应当出示什么证件？", options: ["执法证件", "工作证", "身份证", "无需出示"], points: 2),
            ExamItem(
                sectionTitle: "二、多项选择题", typeLabel: "多选", kind: .multipleChoice,
                stem: "下列哪些行为属于执法人员的禁止行为？", options: ["粗暴执法", "选择性执法", "文明执法", "吃拿卡要"], points: 4),
            ExamItem(
                sectionTitle: "三、判断题", typeLabel: "判断", kind: .trueFalse,
                stem: "执法人员可以在非工作时间着制式服装出入娱乐场所。", points: 1),
            ExamItem(
                sectionTitle: "四、填空题", typeLabel: "填空", kind: .fillIn(blanks: 2),
                stem: "执法人员应当（ 1 ）、（ 2 ）执法。", points: 2),
            ExamItem(
                sectionTitle: "五、案例分析题", typeLabel: "单选", kind: .singleChoice,
                stem: "该执法队员的做法是否正确？",
                scenario: ["某市（虚构）城管执法队员在查处占道经营时，未表明身份即扣押物品。"],
                caseLabel: "案例一（1/1）", options: ["正确", "错误"], points: 3),
        ]
    }
}

/// Keeps demo answers in memory.
final class DemoController: ExamController {
    var saved: [Int: ExamResponse] = [:]
    var flags: Set<Int> = []
    let deadline: Date
    let items: [ExamItem]

    init(items: [ExamItem], seconds: Int) {
        self.items = items
        deadline = Date().addingTimeInterval(TimeInterval(seconds))
    }

    func save(item: Int, response: ExamResponse) throws { saved[item] = response }
    func setFlag(item: Int, flagged: Bool) throws { if flagged { flags.insert(item) } else { flags.remove(item) } }
    func remainingSeconds() -> Int { max(0, Int(deadline.timeIntervalSinceNow.rounded(.down))) }
    func submit(timedOut: Bool) throws -> ExamResultView {
        let answered = saved.values.filter(\.isAnswered).count
        return ExamResultView(
            score: Double(answered), total: Double(items.count), passPoints: 3,
            passed: answered >= 3, byTopic: [.init(label: "演示", earned: Double(answered), possible: Double(items.count))],
            byProvision: [], review: nil, note: "演示模式不评分 / demo mode does not grade")
    }
}

/// The interface language for the terminal screens: ACADEMY_LANG, else LC_ALL/LC_MESSAGES/LANG
/// (zh* → Chinese, else English); Chinese when nothing is set.
enum TerminalLanguage {
    static var current: UILanguage {
        let env = ProcessInfo.processInfo.environment
        for key in ["ACADEMY_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty {
                return v.lowercased().hasPrefix("zh") ? .chinese : (v == "C" || v == "POSIX" ? .chinese : .english)
            }
        }
        return .chinese
    }
}
