import Courseware
import Exams
import Foundation
import Localization
import OfficerUI
import Records
import Testing

/// Lines from memory, one per read; then end of input.
final class ScriptedLines: LineSource {
    private var lines: [String]
    init(_ lines: [String]) { self.lines = lines }
    func readLine(until deadline: Date, now: () -> Date) -> LineInput { lines.isEmpty ? .eof : .line(lines.removeFirst()) }
}

/// The language is a value of each session, not of the process: line-mode sessions in zh-Hans
/// and in English run at the same time in one process, and each says everything — its own
/// prompts and the service's errors — in its own language.
@Suite struct LanguagePerSessionTests {
    @Test func chineseAndEnglishSessionsAtOnce() throws {
        let n = 20
        let f = try ServiceFixture(crowd: n)
        let clock = WallClock.fixed(f.clock.now)
        struct Sitting: @unchecked Sendable {
            var exam: OpenExam
            var language: Language
        }
        var sittings: [Sitting] = []
        for i in 0..<n {
            let exam = try ExamService(store: f.store, content: f.content, clock: clock, drawSeed: { UInt64(i) })
                .open(badge: String(format: "C%03d", i), cycleID: nil)
            sittings.append(Sitting(exam: exam, language: i % 2 == 0 ? .zhHans : .en))
        }
        let outputs = Locked<[Int: String]>([:])
        let group = DispatchGroup()
        for (i, s) in sittings.enumerated() {
            group.enter()
            let t = Thread {
                defer { group.leave() }
                var text = ""
                let mode = ExamLineMode(exam: s.exam, language: s.language, clock: clock) { text += $0 }
                mode.greet()
                // A question that does not exist: the session's error, in the session's language.
                _ = mode.run(reader: ScriptedLines(["g 99", "h", "q"]))
                outputs.mutate { $0[i] = text }
            }
            t.start()
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        for (i, s) in sittings.enumerated() {
            let text = try #require(outputs.value[i], "session \(i)")
            let count = s.exam.session.count
            switch s.language {
            case .zhHans:
                #expect(text.contains("没有第 99 题（共 \(count) 题）"), "session \(i):\n\(text)")
                #expect(text.contains("命令：A/AC 作答选项"), "session \(i):\n\(text)")
                #expect(!text.contains("there is no question") && !text.contains("Commands:"), "session \(i):\n\(text)")
            case .en:
                #expect(text.contains("there is no question 99 (1–\(count))"), "session \(i):\n\(text)")
                #expect(text.contains("Commands: A/AC answer options"), "session \(i):\n\(text)")
                #expect(!text.contains("没有第") && !text.contains("命令："), "session \(i):\n\(text)")
            }
        }
    }
}
