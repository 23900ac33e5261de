import Foundation
import Localization

/// One person's whole history (教育培训档案), across cycles.
public struct EducationRecord: Sendable {
    public var staff: StaffMember
    /// Staff-list changes (added, updated, made inactive), oldest first.
    public var staffChanges: [StaffChange]
    /// Cycles the person has any history in, or is currently in the population of; by opening date.
    public var cycles: [CycleHistory]

    public init(staff: StaffMember, staffChanges: [StaffChange], cycles: [CycleHistory]) {
        self.staff = staff
        self.staffChanges = staffChanges
        self.cycles = cycles
    }
}

public struct StaffChange: Sendable, Hashable {
    public var eventSeq: Int64
    public var at: Date
    /// `added`, `updated` or `inactivated`.
    public var kind: String
    /// Field → [old, new] for updates; the new values for additions.
    public var changes: [String: [String]]
    public var source: String
}

public struct CycleHistory: Sendable {
    public var cycle: TrainingCycle
    /// Whether the person is in the cycle's current population.
    public var inPopulation: Bool
    public var finished: [FinishedItem]
    public var attempts: [Attempt]
    public var exemption: Exemption?
    /// Draws that selected the person.
    public var spotChecks: [SpotCheck]
    /// Present when the caller supplied the cycle's completion rule.
    public var standing: CycleStanding?
}

/// The last event of the chain, for a department's written report.
public struct ChainHead: Sendable, Hashable, Codable {
    public var seq: Int64
    public var hash: String
    public var at: Date?

    public init(seq: Int64, hash: String, at: Date?) {
        self.seq = seq
        self.hash = hash
        self.at = at
    }
}

/// The outcome of recomputing the chain.
public struct ChainVerification: Sendable, Hashable {
    public enum Problem: Sendable, Hashable {
        /// The stored hash does not match the event's content.
        case edited(seq: Int64)
        /// A sequence number is missing: events `from`…`to` were deleted.
        case deleted(fromSeq: Int64, toSeq: Int64)
        /// The event sits at the wrong position (its content hashes correctly elsewhere, or its
        /// previous-hash link points at another event).
        case reordered(seq: Int64)
        /// The recorded head does not match the last event (events removed from the end).
        case truncated(headSeq: Int64, lastSeq: Int64)
        /// A stored table differs from the chain replayed into fresh tables (edited behind the
        /// chain's back), or the chain does not replay.
        case projection(ReplayDifference)
    }

    /// Events written before complete events that lack something replay needs. Said once.
    public struct LegacyNote: Sendable, Hashable {
        /// The `store.upgraded` event; everything before it is from the older format.
        public var upgradedAtSeq: Int64
        public var incompleteEvents: Int64
        public var firstSeq: Int64
        public var firstType: String
        public var firstFields: [String]
        /// Values of the rows those events wrote that the chain cannot confirm.
        public var uncheckedValues: Int64

        public var message: BilingualText {
            let fields = firstFields.joined(separator: ", ")
            return BilingualText(
                zh:
                    "注意：#\(upgradedAtSeq) 之前由旧版写入的事件中有 \(incompleteEvents) 个缺少重放所需的字段（首个为 #\(firstSeq) \(firstType)，缺少 \(fields)）；它们写入的行中有 \(uncheckedValues) 个值无法由事件链核对，其余均已核对",
                en:
                    "note: \(incompleteEvents) events written by an older Academy before #\(upgradedAtSeq) lack fields replay needs (first #\(firstSeq) \(firstType), lacking \(fields)); \(uncheckedValues) values in the rows they wrote cannot be checked against the chain, everything else was"
            )
        }
    }

    public var eventCount: Int64
    public var head: ChainHead
    /// The first problem found; nil when the chain is intact.
    public var problem: Problem?
    /// Whether the tables were replayed and compared (not only the hashes recomputed).
    public var replayed: Bool
    public var legacy: LegacyNote?

    public init(eventCount: Int64, head: ChainHead, problem: Problem?, replayed: Bool = false, legacy: LegacyNote? = nil) {
        self.eventCount = eventCount
        self.head = head
        self.problem = problem
        self.replayed = replayed
        self.legacy = legacy
    }

    public var isIntact: Bool { problem == nil }

    /// What `audit verify` says of a chain that is not intact, after `message`: how much of it
    /// still holds (all of it when only a table was changed behind its back).
    public var extent: BilingualText {
        if case .projection = problem {
            return BilingualText(
                zh: "哈希链本身完好（\(eventCount) 个事件）；表中数据在链外被改动",
                en: "the chain itself is intact (\(eventCount) events); the table was changed behind its back")
        }
        return BilingualText(zh: "前 \(eventCount) 个事件完好（至 #\(head.seq)）", en: "the first \(eventCount) events are intact (up to #\(head.seq))")
    }

    public var message: BilingualText {
        switch problem {
        case nil where replayed:
            BilingualText(
                zh: "审计链完整：\(eventCount) 个事件，链头 \(head.hash)；各表与重放结果逐行一致",
                en: "chain intact: \(eventCount) events, head \(head.hash); every table matches the replayed chain row by row")
        case nil:
            BilingualText(
                zh: "审计链完整：\(eventCount) 个事件，链头 \(head.hash)",
                en: "chain intact: \(eventCount) events, head \(head.hash)")
        case let .edited(seq)?:
            BilingualText(zh: "事件 #\(seq) 被修改：内容与哈希不符", en: "event #\(seq) was edited: its content does not match its hash")
        case let .deleted(from, to)?:
            from == to
                ? BilingualText(zh: "事件 #\(from) 被删除", en: "event #\(from) was deleted")
                : BilingualText(zh: "事件 #\(from)–#\(to) 被删除", en: "events #\(from)–#\(to) were deleted")
        case let .reordered(seq)?:
            BilingualText(zh: "事件 #\(seq) 位置被调换（顺序被篡改）", en: "event #\(seq) was reordered (it is not where it was written)")
        case let .truncated(headSeq, lastSeq)?:
            BilingualText(
                zh: "事件 #\(lastSeq + 1)–#\(headSeq) 从链尾被删除", en: "events #\(lastSeq + 1)–#\(headSeq) were deleted from the end")
        case let .projection(difference)?:
            difference.message
        }
    }
}
