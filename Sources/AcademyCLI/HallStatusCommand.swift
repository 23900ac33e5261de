import ArgumentParser
import Foundation
import Hall
import Localization
import OfficerUI
import Records
import TextViews

#if canImport(Glibc)
    import Glibc
#endif

extension HallCommand {
    /// `academy hall status [--cycle C] [--watch] [--format json]`: the invigilator's view of the
    /// room, read from the store the server writes (so it works from another shell).
    struct Status: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "考场实时状态 / Live status of the exam hall.",
            discussion: "显示在线考生、来源地址、进度、剩余时间、登录失败与已交卷人数。Shows who is connected, from where, progress, time left, failed logins and who finished.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "培训周期编号 / Cycle id.") var cycle: String?
        @Flag(help: "每 2 秒原地刷新，Ctrl-C 退出 / Refresh in place every 2 s.") var watch = false
        @Option(help: "text | json") var format: OutputFormat = .text
        @Option(help: "统计登录失败的时间范围（分钟）/ Count failed logins over the last N minutes.") var failuresMinutes = 60

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            if !watch {
                print(try render(store, now: clock.now(), language))
                return
            }
            signal(SIGINT, SIG_DFL)
            while true {
                let text = try render(store, now: clock.now(), language)
                // Home, draw, clear what is left of the previous frame.
                print("\u{1B}[H" + text.replacingOccurrences(of: "\n", with: "\u{1B}[K\n") + "\u{1B}[K\u{1B}[J", terminator: "")
                fflush(nil)
                Thread.sleep(forTimeInterval: 2)
            }
        }

        struct Line {
            var row: HallSessionRow
            var name: String
            var failures: Int
        }

        func render(_ store: any EducationStore, now: Date, _ language: Language) throws -> String {
            var sessions = try RecordsCLI.run(language) { try store.hallSessions() }
            if let cycle { sessions = sessions.filter { $0.cycleID == nil || $0.cycleID == cycle } }
            let failures = try RecordsCLI.run(language) { try store.hallFailures(since: now.addingTimeInterval(-Double(failuresMinutes) * 60)) }
            var failuresByBadge: [String: Int] = [:]
            for f in failures { failuresByBadge[f.badge, default: 0] += 1 }
            var names: [String: String] = [:]
            for s in sessions { names[s.badge] = try RecordsCLI.run(language) { try store.staffMember(badge: s.badge) }?.name ?? "" }
            var submitted = 0
            if let cycle {
                submitted = try RecordsCLI.run(language) { try store.attempts(cycleID: cycle) }.filter { $0.state == .submitted }.count
            }
            let connected = sessions.filter { $0.state == .connected }
            let finished = sessions.filter { $0.state == .finished }
            if format == .json {
                return TextFormat.json([
                    "schema": "academy.hall.status/1",
                    "at": TextFormat.iso(now),
                    "cycle": cycle.map { $0 as Any } ?? NSNull(),
                    "totals": [
                        "connected": connected.count, "finished": finished.count, "failedLogins": failures.count,
                        "submittedAttempts": submitted,
                    ],
                    "sessions": sessions.map { s -> [String: Any] in
                        [
                            "badge": s.badge, "name": names[s.badge] ?? "", "state": s.state.rawValue, "source": s.source,
                            "cycle": s.cycleID.map { $0 as Any } ?? NSNull(), "question": s.question.map { $0 as Any } ?? NSNull(),
                            "questionCount": s.questionCount.map { $0 as Any } ?? NSNull(), "answered": s.answered.map { $0 as Any } ?? NSNull(),
                            "secondsLeft": s.deadline.map { max(0, Int($0.timeIntervalSince(now))) as Any } ?? NSNull(),
                            "connectedAt": TextFormat.iso(s.connectedAt), "updatedAt": TextFormat.iso(s.updatedAt),
                            "failedLogins": failuresByBadge[s.badge] ?? 0,
                        ]
                    },
                    "failedLogins": failuresByBadge.keys.sorted().map { ["badge": $0, "count": failuresByBadge[$0]!] },
                ])
            }
            let zh = (language == .zhHans)
            var out = language.pick(zh: "考场状态 \(TextFormat.dateTime(now))　在线 \(connected.count)　已交卷 \(finished.count)\(cycle != nil ? "（本周期共 \(submitted) 份）" : "")　近 \(failuresMinutes) 分钟登录失败 \(failures.count) 次", en: "Hall status \(TextFormat.dateTime(now))  connected \(connected.count)  finished \(finished.count)\(cycle != nil ? " (\(submitted) submitted in the cycle)" : "")  failed logins in \(failuresMinutes) min: \(failures.count)") + "\n\n"
            let header =
                zh
                ? ["执法证号", "姓名", "状态", "来源", "进度", "已答", "剩余", "失败"]
                : ["badge", "name", "state", "from", "question", "answered", "left", "failed"]
            func state(_ s: HallSessionRow.State) -> String {
                switch s {
                case .connected: language.pick(zh: "在线", en: "connected")
                case .disconnected: language.pick(zh: "已断开", en: "disconnected")
                case .finished: language.pick(zh: "已交卷", en: "finished")
                case .kicked: language.pick(zh: "已请出", en: "kicked")
                }
            }
            let order: [HallSessionRow.State: Int] = [.connected: 0, .disconnected: 1, .kicked: 2, .finished: 3]
            let rows = sessions.sorted { (order[$0.state] ?? 9, $0.badge) < (order[$1.state] ?? 9, $1.badge) }.map { s in
                [
                    s.badge, names[s.badge] ?? "", state(s.state), s.source,
                    s.question.map { q in "\(q)/\(s.questionCount ?? 0)" } ?? "-",
                    s.answered.map(String.init) ?? "-",
                    s.deadline.map { ExamText.clock(max(0, Int($0.timeIntervalSince(now)))) } ?? "-",
                    String(failuresByBadge[s.badge] ?? 0),
                ]
            }
            out += TextFormat.table([header] + rows) + "\n"
            let strangers = failuresByBadge.keys.filter { b in !sessions.contains { $0.badge == b } }.sorted()
            if !strangers.isEmpty {
                out += "\n" + language.pick(zh: "登录失败（未进入考场）：", en: "Failed logins (never entered): ")
                out += strangers.map { "\($0)×\(failuresByBadge[$0]!)" }.joined(separator: "  ") + "\n"
            }
            return out
        }
    }
}
