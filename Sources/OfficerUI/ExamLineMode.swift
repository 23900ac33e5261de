import Courseware
import ExamAssembly
import Exams
import Foundation
import Grading
import Localization
import TerminalUI
import TextViews

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the line protocol reads the officer's input: one line at a time, giving up at a
/// deadline so the exam submits on time even while waiting.
public protocol LineSource: AnyObject {
    func readLine(until deadline: Date, now: () -> Date) -> LineInput
}

public enum LineInput: Equatable, Sendable { case line(String), timeout, eof }

/// The local adapter: lines from a file descriptor (poll + read).
public final class DeadlineLineReader: LineSource {
    let fd: Int32
    var buffer: [UInt8] = []
    var eof = false

    public init(fd: Int32 = 0) { self.fd = fd }

    public func readLine(until deadline: Date, now: () -> Date) -> LineInput {
        while true {
            if let nl = buffer.firstIndex(of: 0x0A) {
                var lineBytes = Array(buffer[..<nl])
                buffer.removeSubrange(...nl)
                if lineBytes.last == 0x0D { lineBytes.removeLast() }
                return .line(String(decoding: lineBytes, as: UTF8.self))
            }
            if eof {
                if buffer.isEmpty { return .eof }
                let rest = buffer
                buffer.removeAll()
                return .line(String(decoding: rest, as: UTF8.self))
            }
            let ms = deadline.timeIntervalSince(now()) * 1000
            if ms <= 0 { return .timeout }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&pfd, 1, Int32(min(ms.rounded(.up), 60_000)))
            if r < 0 {
                if errno == EINTR { continue }
                eof = true
                continue
            }
            if r == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                eof = true
            } else if n == 0 {
                eof = true
            } else {
                buffer.append(contentsOf: chunk[..<n])
            }
        }
    }
}

/// The line protocol of `exam take --plain` (docs/officer-guide.md) over any line source and
/// text sink, in one language and on one clock.
public struct ExamLineMode {
    let exam: OpenExam
    let language: Language
    let text: ExamText
    let clock: WallClock
    let out: (String) -> Void

    var session: ExamSession { exam.session }

    public enum Ending: Sendable { case submitted(GradeReport), quit }

    /// - Parameter out: receives the text in the order written (prompts have no newline).
    public init(exam: OpenExam, language: Language, clock: WallClock, out: @escaping (String) -> Void) {
        self.exam = exam
        self.language = language
        self.text = ExamText(language: language)
        self.clock = clock
        self.out = out
    }

    func now() -> Date { clock.now() }

    func say(_ s: String) { out(s + "\n") }

    /// The first line: a new attempt's size and limit, or where a resumed one stands.
    public func greet() {
        let s = session
        let left = ExamText.clock(s.remainingSeconds(now: now()))
        say(
            exam.resumed
                ? language.pick(
                    zh: "继续第 \(exam.attempt.number) 次考试：\(exam.blueprint.title)（已答 \(s.answeredCount)/\(s.count)，剩余 \(left)）",
                    en: "Resuming attempt \(exam.attempt.number): \(exam.blueprint.title) (\(s.answeredCount)/\(s.count) answered, \(left) left)")
                : language.pick(
                    zh:
                        "第 \(exam.attempt.number) 次考试：\(exam.blueprint.title)，共 \(s.count) 题，满分 \(ExamText.points(s.paper.totalPoints))，限时 \(exam.blueprint.minutes) 分钟。输入 h 查看命令。",
                    en:
                        "Attempt \(exam.attempt.number): \(exam.blueprint.title), \(s.count) questions, \(ExamText.points(s.paper.totalPoints)) points, \(exam.blueprint.minutes) minutes. Type h for help."
                ))
    }

    func prompt() {
        out("[\(ExamText.clock(session.remainingSeconds(now: now())))] > ")
    }

    func showCurrent() { say(text.block(session.view())) }

    func help() {
        say(
            language.pick(
                zh:
                    "命令：A/AC 作答选项；T 或 对、F 或 错 作答判断题；= 答案1 | 答案2 作答填空；c 清除本题答案；n 下一题；p 上一题；g 12 跳到第 12 题；f 标记/取消标记；o 总览；r 重显本题；s 交卷；q 暂停退出（下次运行同一命令继续）；h 帮助",
                en:
                    "Commands: A/AC answer options; T or 对, F or 错 for true/false; = text1 | text2 for blanks; c clear this answer; n next; p previous; g 12 go to 12; f flag/unflag; o overview; r repeat; s submit; q quit and resume later; h help"
            ))
    }

    func overview() {
        let o = session.overview()
        func list(_ a: [Int]) -> String { a.isEmpty ? "-" : a.map(String.init).joined(separator: " ") }
        say("已答 answered (\(o.answered.count)): \(list(o.answered))")
        say("未答 unanswered (\(o.unanswered.count)): \(list(o.unanswered))")
        say("标记 flagged (\(o.flagged.count)): \(list(o.flagged))")
    }

    func error(_ zh: String, _ en: String) { say("错误 error: " + language.pick(zh: zh, en: en)) }

    func timeUp() -> Ending {
        say("时间到 time is up — " + language.pick(zh: "已按已保存的答案自动交卷", en: "submitted automatically with the saved answers"))
        return finish()
    }

    func finish() -> Ending {
        do {
            let report = try session.submit(now: now())
            say(
                text.report(
                    report, reviewVisible: exam.reviewVisible(now: now()),
                    reviewNote: text.reviewNote(exam.blueprint.review), provisionLabel: exam.provisionLabel))
            return .submitted(report)
        } catch {
            say(
                "错误 error: "
                    + language.pick(zh: "交卷失败，答案仍已保存，请重新运行本命令：", en: "submitting failed; answers are saved, run the command again: ")
                    + "\(error)")
            return .quit
        }
    }

    /// Runs until submitted, timed out or quit. Throws nothing: every failure is reported on a line.
    public func run(reader: any LineSource) -> Ending {
        if session.isTimeUp(now: now()) { return timeUp() }
        showCurrent()
        var confirming = false
        while true {
            prompt()
            let input = reader.readLine(until: session.deadline, now: now)
            let line: String
            switch input {
            case .timeout:
                out("\n")
                return timeUp()
            case .eof:
                out("\n")
                say(
                    language.pick(
                        zh: "输入结束，答案均已保存；再次运行同一命令即可继续（计时不停）",
                        en: "end of input; every answer is saved. Run the same command to resume (the clock keeps running)"))
                return .quit
            case .line(let l): line = l
            }
            if session.isTimeUp(now: now()) { return timeUp() }
            if confirming {
                // After `s`, only `yes` submits; any other line cancels (and is then handled normally).
                confirming = false
                let word = line.trimmingCharacters(in: .whitespaces)
                if ["yes", "YES", "Yes", "确认"].contains(word) { return finish() }
                say(language.pick(zh: "已取消交卷 submission cancelled", en: "submission cancelled"))
                if word.isEmpty || word.lowercased() == "no" || word == "否" { continue }
            }
            let v = session.view()
            let parsed = PlainCommand.parse(line, type: v.type, optionCount: v.options.count)
            let command: PlainCommand
            switch parsed {
            case .success(let c): command = c
            case .failure(.goNeedsNumber):
                error("g 后面需要题号，如 g 12", "g needs a question number, e.g. g 12")
                continue
            case .failure(.unknown(let s)):
                error("无法识别“\(s)”；输入 h 查看命令", "cannot read \"\(s)\"; type h for help")
                continue
            }
            switch command {
            case .empty:
                continue
            case .answer(let a):
                do {
                    let n = try session.answer(a, now: now())
                    say("已保存 saved \(n)/\(session.count)")
                    if session.next() {
                        showCurrent()
                    } else {
                        say(
                            language.pick(
                                zh: "这是最后一题。输入 o 查看总览，s 交卷。",
                                en: "This is the last question. Type o for the overview, s to submit."))
                    }
                } catch let e as ExamSession.SessionError {
                    if e == .timeUp { return timeUp() }
                    say("错误 error: " + e.message(in: language))
                } catch {
                    say(
                        "错误 error: " + language.pick(zh: "保存失败，本题答案未保存：", en: "saving failed; this answer is NOT saved: ")
                            + "\(error)")
                }
            case .clear:
                do {
                    let n = try session.clear(now: now())
                    say("已清除 cleared \(n)/\(session.count)")
                } catch {
                    say("错误 error: " + examErrorText(error))
                }
            case .next:
                if session.next() { showCurrent() } else { error("已是最后一题", "this is the last question") }
            case .previous:
                if session.previous() { showCurrent() } else { error("已是第一题", "this is the first question") }
            case .go(let n):
                do { try session.go(to: n); showCurrent() } catch { say("错误 error: " + examErrorText(error)) }
            case .flag:
                do {
                    let on = try session.toggleFlag(now: now())
                    say((on ? "已标记 flagged " : "取消标记 unflagged ") + "\(session.current + 1)")
                } catch {
                    say("错误 error: " + examErrorText(error))
                }
            case .overview:
                overview()
            case .show:
                showCurrent()
            case .help:
                help()
            case .submit:
                let left = session.count - session.answeredCount
                say(
                    "确认交卷 confirm: "
                        + language.pick(
                            zh: "还有 \(left) 题未答，\(session.overview().flagged.count) 题已标记。输入 yes 交卷，其他任意输入取消。",
                            en:
                                "\(left) unanswered, \(session.overview().flagged.count) flagged. Type yes to submit, anything else to cancel."
                        ))
                confirming = true
            case .confirm:
                error("请先输入 s 再输入 yes", "type s first, then yes")
            case .quit:
                say(
                    "已暂停 paused — "
                        + language.pick(
                            zh: "答案均已保存；再次运行同一命令继续，计时不会暂停",
                            en: "every answer is saved; run the same command to resume. The clock does not stop."))
                return .quit
            }
        }
    }
}

extension ExamLineMode {
    /// A failure as one line for the officer.
    func examErrorText(_ error: any Error) -> String {
        if let e = error as? ExamSession.SessionError { return e.message(in: language) }
        return String(describing: error)
    }
}
