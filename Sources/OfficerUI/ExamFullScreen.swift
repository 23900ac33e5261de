import Courseware
import Exams
import Foundation
import Grading
import Localization
import Records
import TerminalUI
import TextViews

/// The full-screen exam over any terminal device: the TerminalUI exam screen driven by an
/// `OpenExam`'s session. All attempt logic (paper, answers, flags, clock, grading, persistence)
/// stays in the session; this file only translates between the two.
public enum ExamFullScreen {
    /// How a full-screen exam ended, with the line to show the officer after the screen is gone.
    public enum Ending: Equatable, Sendable {
        /// Submitted (summary: the score) or left with the attempt open (summary: how to resume).
        case submitted(summary: String)
        case left(summary: String)
        /// Ended by a signal or by the server; a process exits with 128 + signal.
        case terminated(Int32)
        /// The terminal went away.
        case disconnected
        /// The terminal could not be used (message says why).
        case failed(String)
    }

    public static func run(
        _ launch: OpenExam, on terminal: any TerminalDevice, language lang: Language, clock wall: WallClock
    ) -> Ending {
        let clock = wall.now
        let session = launch.session
        let text = ExamText(language: lang)
        let items = (0..<session.count).map { item(session.view($0), text) }
        let vm = ExamViewModel(
            language: lang, title: launch.blueprint.title,
            subtitle: launch.cycle.title + (launch.resumed ? lang.pick(zh: " · 续考", en: " · resumed") : ""),
            items: items, remainingSeconds: session.remainingSeconds(now: clock()),
            current: session.current)
        let controller = SessionController(launch: launch, clock: clock, language: lang)
        let app = ExamApp(terminal: terminal, viewModel: vm, controller: controller)
        let outcome: ExamAppOutcome
        do {
            outcome = try app.run()
        } catch {
            return .failed(
                lang.pick(
                    zh: "无法使用终端：\(error)（可加 --plain 使用逐行模式）",
                    en: "cannot use the terminal: \(error) (use --plain for line mode)"))
        }
        let s = session
        switch outcome {
        case .submitted:
            guard let r = s.report else { return .submitted(summary: "") }
            return .submitted(
                summary: lang.pick(
                    zh: "已交卷：\(ExamText.points(r.score))/\(ExamText.points(r.maxScore)) 分，\(r.passed ? "合格" : "不合格")。",
                    en: "Submitted: \(ExamText.points(r.score))/\(ExamText.points(r.maxScore)), \(r.passed ? "passed" : "not passed")."
                ))
        case .left:
            let deadline = DateFormatter.localizedString(from: s.deadline, dateStyle: .none, timeStyle: .short)
            return .left(
                summary: lang.pick(
                    zh: "已离开考试，已答 \(s.answeredCount)/\(s.count) 题，答案均已保存。计时不暂停，截止时间 \(deadline)。再次运行同一命令即可继续。",
                    en:
                        "Left the exam with \(s.answeredCount)/\(s.count) answered; all answers are saved. The clock keeps running until \(deadline). Run the same command to resume."
                ))
        case .terminated(let sig):
            return .terminated(sig)
        case .disconnected:
            return .disconnected
        }
    }

    static func item(_ v: ExamSession.SlotView, _ text: ExamText) -> ExamItem {
        let kind: ExamItemKind
        switch v.type {
        case .singleChoice, .caseAnalysis: kind = .singleChoice
        case .multipleChoice: kind = .multipleChoice
        case .trueFalse: kind = .trueFalse
        case .fillIn: kind = .fillIn(blanks: max(v.blanks, 1))
        }
        var caseLabel: String?
        if let part = v.casePart, let parts = v.caseParts {
            caseLabel = text.language.pick(zh: "案例小题 \(part)/\(parts)", en: "case part \(part)/\(parts)")
        }
        var item = ExamItem(
            sectionTitle: v.sectionTitle, typeLabel: text.typeLabel(v.type), kind: kind,
            stem: v.stem, scenario: v.caseScenario ?? [], caseLabel: caseLabel, options: v.options,
            points: v.points, response: response(v.answer), flagged: v.flagged)
        if v.answer == nil { item.saveState = .empty }
        return item
    }

    static func response(_ a: ExamSession.Answer?) -> ExamResponse {
        switch a {
        case nil: .none
        case .options(let o)?: o.isEmpty ? .none : .choices(Set(o))
        case .trueFalse(let b)?: .trueFalse(b)
        case .blanks(let b)?: b.allSatisfy { $0.isEmpty } ? .none : .blanks(b)
        }
    }
}

/// A failure the screen can show as it is.
struct ScreenMessage: Error, CustomStringConvertible {
    var description: String
}

/// `ExamController` over an `ExamSession`. Each call returns after the session's store
/// committed the write; the screen marks an answer saved only then.
final class SessionController: ExamController {
    let launch: OpenExam
    let clock: () -> Date
    let language: Language

    init(launch: OpenExam, clock: @escaping () -> Date, language: Language) {
        self.launch = launch
        self.clock = clock
        self.language = language
    }

    var session: ExamSession { launch.session }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as any BilingualError {
            throw ScreenMessage(description: e.message(in: language))
        }
    }

    func save(item: Int, response: ExamResponse) throws {
        try wrap {
            try session.go(to: item + 1)
            switch response {
            case .none: try session.clear(now: clock())
            case .choices(let s): try session.answer(.options(s.sorted()), now: clock())
            case .trueFalse(let b): try session.answer(.trueFalse(b), now: clock())
            case .blanks(let b): try session.answer(.blanks(b), now: clock())
            }
        }
    }

    func setFlag(item: Int, flagged: Bool) throws {
        try wrap {
            try session.go(to: item + 1)
            try session.setFlag(flagged, now: clock())
        }
    }

    func remainingSeconds() -> Int { session.remainingSeconds(now: clock()) }

    func submit(timedOut: Bool) throws -> ExamResultView {
        let now = clock()
        let r = try wrap { try session.submit(now: now) }
        let visible = launch.reviewVisible(now: now)
        let text = ExamText(language: language)
        var review: [ExamResultView.Review]?
        if visible {
            review = r.missed.map { m in
                let v = m.number >= 1 && m.number <= session.count ? session.view(m.number - 1) : nil
                return ExamResultView.Review(
                    number: m.number, stem: v?.stem ?? m.questionID,
                    given: v?.answer.map(text.answerText) ?? "",
                    correct: m.key, explanation: m.explanation)
            }
        }
        func lines(_ b: [Breakdown], label: (String) -> String = { $0 }) -> [ExamResultView.Line] {
            b.map { ExamResultView.Line(label: label($0.key), earned: $0.score, possible: $0.max) }
        }
        return ExamResultView(
            score: r.score, total: r.maxScore, passPoints: r.passPoints, passed: r.passed,
            byTopic: lines(r.byTopic), byProvision: lines(r.byProvision, label: launch.provisionLabel),
            review: review,
            note: visible ? nil : text.reviewNote(launch.blueprint.review),
            timedOut: timedOut || session.isTimeUp(now: now))
    }
}
