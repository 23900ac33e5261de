import Foundation
import Localization
import Records

/// A completion certificate (结业证明): what it shows and the verification code that ties it
/// to the event chain. The code is the first 80 bits of the hash of the event that completed
/// the person's cycle, in five groups of four hex digits.
public struct Certificate: Sendable, Equatable {
    public var name: String
    public var badge: String
    public var unit: String
    public var cycleID: String
    public var course: String
    public var hours: String
    /// "86.5 / 100", or "—" when the cycle counts no score.
    public var score: String
    /// Completion day in the cycle's zone, YYYY-MM-DD.
    public var date: String
    public var code: String

    /// The fields a reader compares, in print order (key, Chinese label, English label, value).
    public func fields() -> [(key: String, zh: String, en: String, value: String)] {
        [
            ("name", "姓名", "Name", name), ("badge", "执法证号", "Badge", badge), ("unit", "单位", "Unit", unit),
            ("course", "培训课程", "Course", course), ("hours", "学时", "Hours", hours), ("score", "考试成绩", "Score", score),
            ("date", "完成日期", "Completed", date),
        ]
    }

    public static func code(fromHash hash: String) -> String {
        let hex = Array(hash.lowercased().prefix(20))
        return stride(from: 0, to: hex.count, by: 4).map { String(hex[$0..<min($0 + 4, hex.count)]) }.joined(separator: "-")
    }

    /// A typed or scanned code as a lowercase hex prefix: dashes and spaces dropped; nil unless
    /// 16–64 hex digits remain.
    public static func normalize(code: String) -> String? {
        let hex = code.lowercased().filter { $0 != "-" && $0 != " " }
        guard (16...64).contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
        return hex
    }
}

/// Builds certificates from the store and checks one against it.
public enum CertificateService {
    /// What the content says about the cycle's course: its title and hours.
    public struct CourseFacts: Sendable {
        public var title: String
        public var hours: Double?
        public init(title: String, hours: Double?) {
            self.title = title
            self.hours = hours
        }
    }

    /// One certificate per person of `loaded` who completed the cycle, in department order.
    public static func certificates(
        _ loaded: RosterService.Loaded, store: any EducationStore, course: CourseFacts
    ) throws -> [Certificate] {
        // One pass over the roster, keeping only those who completed (in roster order).
        var completed: [(row: RosterRow, at: Date)] = []
        var done: [String: Date] = [:]
        try loaded.source.forEach { r in
            guard case .completed = r.status, let at = r.completedAt else { return }
            completed.append((r, at))
            done[r.badge] = at
        }
        let events = try store.completionEvents(cycleID: loaded.context.cycle.id, completedAt: done)
        let day = dayFormatter(loaded.context.timeZone)
        return completed.compactMap { r, at in
            events[r.badge].map { certificate(r, completedAt: at, event: $0, context: loaded.context, course: course, day: day) }
        }
    }

    private static func dayFormatter(_ timeZone: TimeZone) -> DateFormatter {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = timeZone
        day.dateFormat = "yyyy-MM-dd"
        return day
    }

    static func certificate(
        _ r: RosterRow, completedAt: Date, event: ChainEvent, context: RosterContext, course: CourseFacts,
        day: DateFormatter? = nil
    ) -> Certificate {
        let day = day ?? dayFormatter(context.timeZone)
        let score = r.countingScore.map { s in
            String(format: "%.1f", s) + (r.maxScore.map { " / " + String(format: "%g", $0) } ?? "")
        }
        return Certificate(
            name: r.name, badge: r.badge, unit: r.department, cycleID: context.cycle.id, course: course.title,
            hours: course.hours.map { String(format: "%g", ($0 * 10).rounded() / 10) } ?? "—", score: score ?? "—",
            date: day.string(from: completedAt), code: Certificate.code(fromHash: event.hash))
    }

    public enum Verdict: Sendable, Equatable {
        /// The code names a completion in the store; the certificate should read as this.
        case valid(Certificate)
        case unknownCode
        /// The event exists but its hash does not recompute or link: the store was altered.
        case brokenChain(seq: Int64)
        /// The event exists but is not (or no longer) the person's completion.
        case notACompletion(badge: String?, cycleID: String?)
    }

    /// Looks up `code` in the chain and rebuilds the certificate from the store.
    /// `course(cycle)` gives the course facts; `rule(cycle)` the completion rule.
    public static func verify(
        code: String, store: any EducationStore, now: Date, language: Language,
        rule: (TrainingCycle) -> CompletionRule, course: (TrainingCycle) -> CourseFacts
    ) throws -> Verdict {
        guard let prefix = Certificate.normalize(code: code) else { return .unknownCode }
        let matches = try store.events(hashPrefix: prefix)
        guard matches.count == 1, let event = matches.first else { return .unknownCode }
        guard event.linked else { return .brokenChain(seq: event.seq) }
        guard let badge = event.badge, let cycleID = event.cycleID, let cycle = try store.cycle(id: cycleID),
            let person = try store.staffMember(badge: badge)
        else { return .notACompletion(badge: event.badge, cycleID: event.cycleID) }
        let loaded = try RosterService.load(
            store: store, cycleID: cycleID, department: person.department, rule: rule(cycle), now: now, language: language)
        guard let row = try loaded.rows().first(where: { $0.badge == badge }), case .completed = row.status,
            let at = row.completedAt,
            let completion = try store.completionEvents(cycleID: cycleID, completedAt: [badge: at])[badge],
            completion.hash == event.hash
        else { return .notACompletion(badge: badge, cycleID: cycleID) }
        return .valid(certificate(row, completedAt: at, event: event, context: loaded.context, course: course(cycle)))
    }
}
