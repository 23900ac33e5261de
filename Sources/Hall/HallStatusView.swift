import Foundation
import Localization
import Records
import TextViews

/// The invigilator's view of the room (`hall status`), read from the store the server writes, so
/// it works from another shell: who is connected, from where, progress, time left, failed logins
/// and who finished.
public struct HallStatusView {
    public var cycleID: String?
    /// Failed logins are counted over this many minutes before `now`.
    public var failuresMinutes: Int

    public init(cycleID: String?, failuresMinutes: Int) {
        self.cycleID = cycleID
        self.failuresMinutes = failuresMinutes
    }

    /// The status at `now`: a table in `language`, or `json` (schema academy.hall.status/1).
    public func render(_ store: any EducationStore, json: Bool, now: Date, language: Language) throws -> String {
        let cycle = cycleID
        var sessions = try store.hallSessions()
        if let cycle { sessions = sessions.filter { $0.cycleID == nil || $0.cycleID == cycle } }
        let failures = try store.hallFailures(since: now.addingTimeInterval(-Double(failuresMinutes) * 60))
        var failuresByBadge: [String: Int] = [:]
        for f in failures { failuresByBadge[f.badge, default: 0] += 1 }
        var names: [String: String] = [:]
        for s in sessions { names[s.badge] = try store.staffMember(badge: s.badge)?.name ?? "" }
        var submitted = 0
        if let cycle { submitted = try store.attempts(cycleID: cycle).filter { $0.state == .submitted }.count }
        let connected = sessions.filter { $0.state == .connected }
        let finished = sessions.filter { $0.state == .finished }
        if json {
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
        var out = language.pick(zh: "考场状态 \(TextFormat.dateTime(now))　在线 \(connected.count)　已交卷 \(finished.count)\(cycle != nil ? "（本周期共 \(submitted) 份）" : "")　近 \(failuresMinutes) 分钟登录失败 \(failures.count) 次", en: "Hall status \(TextFormat.dateTime(now))  connected \(connected.count)  finished \(finished.count)\(cycle != nil ? " (\(submitted) submitted in the cycle)" : "")  failed logins in \(failuresMinutes) min: \(failures.count)") + "\n\n"
        let header =
            language == .zhHans
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
