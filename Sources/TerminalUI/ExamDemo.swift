import Foundation
import Localization

/// A built-in sample paper held in memory, for `academy tui-demo` and the pty tests: the exam
/// screen without a database or an exam service.
public enum ExamDemo {
    public static func sample(_ lang: Language) -> [ExamItem] {
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

    /// One single-choice item per line of `text` (the line is the stem and the first option), for
    /// `academy tui-demo --stems`.
    public static func items(stems text: String) -> [ExamItem] {
        text.split(separator: "\n").map {
            ExamItem(
                sectionTitle: "测试", typeLabel: "单选", kind: .singleChoice, stem: String($0), options: [String($0), "第二个选项"],
                points: 1)
        }
    }

    /// Keeps demo answers in memory.
    public final class Controller: ExamController {
        public private(set) var saved: [Int: ExamResponse] = [:]
        public private(set) var flags: Set<Int> = []
        let deadline: Date
        let items: [ExamItem]

        public init(items: [ExamItem], seconds: Int) {
            self.items = items
            deadline = Date().addingTimeInterval(TimeInterval(seconds))
        }

        public func save(item: Int, response: ExamResponse) throws { saved[item] = response }
        public func setFlag(item: Int, flagged: Bool) throws { if flagged { flags.insert(item) } else { flags.remove(item) } }
        public func remainingSeconds() -> Int { max(0, Int(deadline.timeIntervalSinceNow.rounded(.down))) }
        public func submit(timedOut: Bool) throws -> ExamResultView {
            let answered = saved.values.filter(\.isAnswered).count
            return ExamResultView(
                score: Double(answered), total: Double(items.count), passPoints: 3,
                passed: answered >= 3, byTopic: [.init(label: "演示", earned: Double(answered), possible: Double(items.count))],
                byProvision: [], review: nil, note: "演示模式不评分 / demo mode does not grade")
        }
    }
}
