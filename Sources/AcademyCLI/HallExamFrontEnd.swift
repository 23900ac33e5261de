import Exams
import Foundation
import Grading
import Hall
import Records

/// The exam hall's front end: connects a `HallSession` (an officer's SSH channel) to the exam
/// (`ExamLaunch`, `ExamSession`) and the line protocol. The hall module owns the network and the
/// session's lifetime; this adapter only translates.
final class HallExamFrontEnd: HallFrontEnd, @unchecked Sendable {
    let service: ExamService
    let cycleID: String?
    let rules: [String: CompletionRule]

    init(service: ExamService, cycleID: String?, rules: [String: CompletionRule]) {
        self.service = service
        self.cycleID = cycleID
        self.rules = rules
    }

    func admits(badge: String) -> HallAdmission {
        switch service.admission(badge: badge, cycleID: cycleID) {
        case .admitted: .admitted
        case .refused(let why): .refused(why.rawValue)
        }
    }

    func record(badge: String, json: Bool, language: HallLanguage) -> String {
        do {
            let record = try service.store.educationRecord(badge: badge, rules: rules, now: service.clock.now())
            return json ? RecordsCLI.json(RecordView.json(record)) : RecordView.text(record, chinese: language == .chinese)
        } catch {
            return language.pick(zh: "无法读取档案：\(error)", en: "cannot read the record: \(error)")
        }
    }

    func runShell(_ session: HallSession) {
        let exam: OpenExam
        do {
            exam = try service.open(badge: session.badge, cycleID: cycleID)
        } catch let e as any BilingualError {
            session.write(e.message.pick(chinese: session.language == .chinese) + "\r\n")
            return
        } catch {
            session.write("\(error)\r\n")
            return
        }
        HallLineMode(session: session, launch: exam, clock: service.clock.now).run()
    }
}

/// The documented line protocol over a hall session (`ssh -T`, and with a pty until the
/// full-screen exam runs over a byte stream). With a pty the client's terminal is raw, so this
/// echoes what is typed and handles backspace itself.
struct HallLineMode {
    let session: HallSession
    let launch: OpenExam
    let clock: () -> Date

    func run() {
        let s = launch.session
        let nl = session.interactive ? "\r\n" : "\n"
        var mode = ExamPlainMode(
            session: s, reviewVisible: launch.reviewVisible(now:),
            reviewNote: ExamText.reviewNote(launch.blueprint.review))
        mode.now = clock
        mode.provisionLabel = launch.provisionLabel
        mode.out = { text in
            session.write(nl == "\n" ? text : text.replacingOccurrences(of: "\n", with: "\r\n"))
        }
        let progress = {
            session.report(
                HallProgress(
                    cycleID: launch.cycle.id, question: s.current + 1, questionCount: s.count, answered: s.answeredCount,
                    deadline: s.deadline, finished: s.report != nil))
        }
        mode.afterCommand = progress
        progress()
        mode.say(
            launch.resumed
                ? L10n.pick(
                    zh: "继续第 \(launch.attempt.number) 次考试：\(launch.blueprint.title)（已答 \(s.answeredCount)/\(s.count)）",
                    en: "Resuming attempt \(launch.attempt.number): \(launch.blueprint.title) (\(s.answeredCount)/\(s.count) answered)")
                : L10n.pick(
                    zh: "第 \(launch.attempt.number) 次考试：\(launch.blueprint.title)，共 \(s.count) 题，限时 \(launch.blueprint.minutes) 分钟。输入 h 查看命令。",
                    en: "Attempt \(launch.attempt.number): \(launch.blueprint.title), \(s.count) questions, \(launch.blueprint.minutes) minutes. Type h for help."
                ))
        let reader = DeadlineLineReader(source: HallLineSource(session: session))
        _ = mode.run(reader: reader)
        progress()
    }
}

/// Feeds `DeadlineLineReader` from a hall session; echoes and edits lines when the client has a pty.
final class HallLineSource: LineByteSource {
    let session: HallSession
    var line: [UInt8] = []

    init(session: HallSession) { self.session = session }

    func read(timeoutMilliseconds: Int) -> LineByteRead {
        switch session.next(timeoutMilliseconds: timeoutMilliseconds) {
        case .bytes(let bytes):
            guard session.interactive else { return .bytes(bytes) }
            var out: [UInt8] = []
            var echo: [UInt8] = []
            for b in bytes {
                switch b {
                case 0x0D, 0x0A:
                    out += line + [0x0A]
                    line.removeAll()
                    echo += [0x0D, 0x0A]
                case 0x7F, 0x08:
                    if !line.isEmpty {
                        // Drop one UTF-8 scalar; a wide character takes two columns.
                        var cut = line.count - 1
                        while cut > 0, line[cut] & 0xC0 == 0x80 { cut -= 1 }
                        let scalar = String(decoding: line[cut...], as: UTF8.self)
                        line.removeSubrange(cut...)
                        let wide = scalar.unicodeScalars.first.map { $0.value >= 0x1100 } ?? false
                        echo += wide ? Array("\u{8}\u{8}  \u{8}\u{8}".utf8) : Array("\u{8} \u{8}".utf8)
                    }
                case 0x03, 0x04:
                    // Ctrl-C / Ctrl-D on a pty: leave (answers are saved).
                    out += line + [0x0A] + Array("q\n".utf8)
                    line.removeAll()
                    echo += [0x0D, 0x0A]
                case 0x1B:
                    continue
                default:
                    if b >= 0x20 || b == 0x09 {
                        line.append(b)
                        echo.append(b)
                    }
                }
            }
            if !echo.isEmpty { session.write(echo) }
            return out.isEmpty ? .timeout : .bytes(out)
        case .resize, .timeout:
            return .timeout
        case .notice(let text):
            session.write((session.interactive ? "\r\n" : "\n") + text + (session.interactive ? "\r\n" : "\n"))
            return .timeout
        case .closed:
            return .eof
        }
    }
}
