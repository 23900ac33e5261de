import Courseware
import Exams
import Foundation
import Localization
import OfficerUI
import Records
import TerminalUI

/// What an officer gets in the hall, through the exam service and the officer screens:
/// with a pty, a full-screen menu (study, exam, my record, leave) and the same full-screen exam
/// as `exam take`; without one (`ssh -T`), the documented line protocol; `record` prints their
/// own record. Nothing here is specific to SSH: the hall hands over a `HallSession`.
public final class OfficerFrontEnd: HallFrontEnd, @unchecked Sendable {
    let exams: ExamService
    let studyContent: ContentSet
    let cycleID: String?
    /// The officer's own record as text or JSON (the command line's `record show` renderer).
    let recordText: @Sendable (_ record: EducationRecord, _ json: Bool, _ language: Language) -> String
    let rules: [String: CompletionRule]

    public init(
        exams: ExamService, studyContent: ContentSet, cycleID: String?, rules: [String: CompletionRule],
        recordText: @escaping @Sendable (EducationRecord, Bool, Language) -> String
    ) {
        self.exams = exams
        self.studyContent = studyContent
        self.cycleID = cycleID
        self.rules = rules
        self.recordText = recordText
    }

    public func admits(badge: String) -> HallAdmission {
        switch exams.admission(badge: badge, cycleID: cycleID) {
        case .admitted: .admitted
        case .refused(let why): .refused(why.rawValue)
        }
    }

    public func record(badge: String, json: Bool, language: Language) -> String {
        do {
            let record = try exams.store.educationRecord(badge: badge, rules: rules, now: exams.clock.now())
            return recordText(record, json, language)
        } catch {
            return language.pick(zh: "无法读取档案：\(error)", en: "cannot read the record: \(error)")
        }
    }

    public func runShell(_ session: HallSession) {
        if session.interactive {
            runMenu(session)
        } else {
            runLines(session)
        }
    }

    // MARK: Line protocol (no pty)

    func runLines(_ session: HallSession) {
        let exam: OpenExam
        do { exam = try exams.open(badge: session.badge, cycleID: cycleID) } catch {
            session.write(Self.message(error, session.language) + "\n")
            return
        }
        Self.logStart(session, exam, screen: "line")
        let mode = ExamLineMode(exam: exam, language: session.language, clock: exams.clock) { session.write($0) }
        let source = HallLineSource(session: session) { [clock = exams.clock] in
            Self.progress(exam, now: clock.now())
        }
        mode.greet()
        _ = mode.run(reader: source)
        Self.logEnd(session, exam)
        session.report(Self.progress(exam, now: exams.clock.now()))
    }

    static func logStart(_ session: HallSession, _ exam: OpenExam, screen: String) {
        session.log(
            "exam_start",
            [
                "cycle": exam.cycle.id, "attempt": exam.attempt.number, "resumed": exam.resumed,
                "answered": exam.session.answeredCount, "questions": exam.session.count, "screen": screen,
            ])
    }

    static func logEnd(_ session: HallSession, _ exam: OpenExam) {
        if let r = exam.session.report {
            session.log(
                "submit",
                ["cycle": exam.cycle.id, "attempt": exam.attempt.number, "score": r.score, "max": r.maxScore, "passed": r.passed])
        }
    }

    static func progress(_ exam: OpenExam, now: Date) -> HallProgress {
        let s = exam.session
        return HallProgress(
            cycleID: exam.cycle.id, question: s.current + 1, questionCount: s.count, answered: s.answeredCount,
            deadline: s.deadline, finished: s.report != nil)
    }

    static func message(_ error: Error, _ language: Language) -> String {
        if let e = error as? any BilingualError { return e.message(in: language) }
        return "\(error)"
    }

    // MARK: Full screen (pty)

    enum Choice: Int, CaseIterable { case exam, study, record, leave }

    func runMenu(_ session: HallSession) {
        let lang = session.language
        let terminal = HallTerminal(session: session)
        do { try terminal.enter() } catch { return }
        defer { terminal.leave() }
        let member = try? exams.store.staffMember(badge: session.badge)
        let who = member.map { lang.pick(zh: "\($0.name)（\($0.badge)）", en: "\($0.name) (\($0.badge))") } ?? session.badge
        let menuApp = MenuApp(
            terminal: terminal, title: lang.pick(zh: "考场", en: "Exam hall"), subtitle: who, menu: Menu(entries: []),
            language: lang)
        var note = ""
        var selected = 0
        while true {
            menuApp.subtitle = note.isEmpty ? who : "\(who) · \(note)"
            menuApp.menu = Menu(
                entries: [
                    Menu.Entry(title: lang.pick(zh: "考试", en: "Exam"), detail: lang.pick(zh: "开始或继续考试", en: "start or resume")),
                    Menu.Entry(title: lang.pick(zh: "学习", en: "Study"), detail: lang.pick(zh: "课程与案例", en: "lessons and cases")),
                    Menu.Entry(title: lang.pick(zh: "我的档案", en: "My record"), detail: ""),
                    Menu.Entry(title: lang.pick(zh: "离开", en: "Leave"), detail: lang.pick(zh: "答案均已保存", en: "answers are saved")),
                ], selected: selected)
            switch menuApp.choose() {
            case .quit, .terminated, .disconnected:
                return
            case .open(let row):
                selected = row
                switch Choice(rawValue: row) ?? .leave {
                case .leave:
                    return
                case .exam:
                    guard let ending = exam(session, terminal) else { return }
                    note = ending
                case .study:
                    guard let ending = study(session, terminal) else { return }
                    note = ending
                case .record:
                    var doc = PagerDocument()
                    for line in record(badge: session.badge, json: false, language: lang).split(
                        separator: "\n", omittingEmptySubsequences: false)
                    {
                        doc.add(line.isEmpty ? .blank : .paragraph(String(line)))
                    }
                    let pager = PagerApp(terminal: terminal, title: lang.pick(zh: "我的档案", en: "My record"), document: doc, language: lang)
                    switch pager.show() {
                    case .quit: continue
                    case .terminated, .disconnected: return
                    }
                }
            }
        }
    }

    /// The full-screen exam; nil when the session must end, else the line for the menu.
    func exam(_ session: HallSession, _ terminal: HallTerminal) -> String? {
        let exam: OpenExam
        do { exam = try exams.open(badge: session.badge, cycleID: cycleID) } catch {
            return Self.message(error, session.language)
        }
        Self.logStart(session, exam, screen: "full")
        terminal.onEvent = { [clock = exams.clock] in session.report(Self.progress(exam, now: clock.now())) }
        defer {
            terminal.onEvent = {}
            Self.logEnd(session, exam)
            session.report(Self.progress(exam, now: exams.clock.now()))
        }
        switch ExamFullScreen.run(exam, on: terminal, language: session.language, clock: exams.clock) {
        case .submitted(let summary), .left(let summary): return summary
        case .failed(let message): return message
        case .terminated, .disconnected: return nil
        }
    }

    func study(_ session: HallSession, _ terminal: HallTerminal) -> String? {
        let progress: StudyProgress
        do {
            progress = try StudyService(store: exams.store, content: studyContent, clock: exams.clock)
                .open(badge: session.badge, cycleID: cycleID)
        } catch {
            return Self.message(error, session.language)
        }
        switch StudyScreen.run(progress, content: studyContent, on: terminal, language: session.language) {
        case .quit(let summary): return summary
        case .failed(let message): return message
        case .terminated, .disconnected: return nil
        }
    }
}

/// Lines for the line protocol from a hall session (no pty: the client's terminal edits the line).
final class HallLineSource: LineSource {
    let session: HallSession
    let progress: () -> HallProgress
    private var buffer: [UInt8] = []
    private var ended = false

    init(session: HallSession, progress: @escaping () -> HallProgress) {
        self.session = session
        self.progress = progress
    }

    func readLine(until deadline: Date, now: () -> Date) -> LineInput {
        // Called once per command: the previous one is handled, so this is the moment to report.
        session.report(progress())
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                var line = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                if line.last == 0x0D { line.removeLast() }
                return .line(String(decoding: line, as: UTF8.self))
            }
            if ended {
                if buffer.isEmpty { return .eof }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            let ms = deadline.timeIntervalSince(now()) * 1000
            if ms <= 0 { return .timeout }
            switch session.next(timeoutMilliseconds: Int(min(ms.rounded(.up), 1000))) {
            case .bytes(let b):
                buffer += b
                // One line never grows without bound: past the session's input limit it is cut.
                if buffer.count > session.limits.maxBufferedInput, buffer.firstIndex(of: 0x0A) == nil {
                    buffer = Array(buffer.prefix(session.limits.maxBufferedInput)) + [0x0A]
                }
            case .notice(let text):
                session.write("\n" + text + "\n")
            case .resize, .timeout:
                continue
            case .closed:
                ended = true
            }
        }
    }
}
