import Foundation

/// The education-record store: `SQLiteEducationStore` (a county's file) and
/// `PostgresEducationStore` (a city's shared server), the same behaviour written once over both
/// (`SQLStore`). It is also the exam hall's store (`HallStore`).
///
/// Every method that changes state appends one or more hash-chained events and updates the
/// derived tables in the same transaction. Methods throw `StoreError` or `AttemptRefusal`.
public protocol EducationStore: HallStore {
    // MARK: Staff

    /// Adds and updates people by badge, all or nothing. With `markMissingInactive`, active people
    /// absent from `rows` become inactive (an event each). An import that changes nothing writes
    /// no events. The rows are taken as the import goes (a large file's are checked while earlier
    /// ones are written); if `rows.finish()` refuses them, the import throws that and writes
    /// nothing.
    @discardableResult
    func importStaff(
        _ rows: some StaffRowSource, markMissingInactive: Bool, source: String, at: Date
    ) throws -> StaffImportSummary
    func staffMember(badge: String) throws -> StaffMember?
    /// People under a department subtree (all when nil), in `DepartmentOrder` then by badge.
    func staffList(department: String?) throws -> [StaffMember]
    /// Every known department path (each staff member's department and all its ancestors).
    func departments() throws -> [String]

    // MARK: Cycles

    func createCycle(_ cycle: TrainingCycle) throws
    func cycle(id: String) throws -> TrainingCycle?
    func cycles() throws -> [TrainingCycle]
    /// Current population: active staff under the cycle's subtrees with its roles.
    func population(cycleID: String, department: String?) throws -> [StaffMember]
    func exempt(cycleID: String, badge: String, reason: String, grantedBy: String, at: Date) throws
    func exemption(cycleID: String, badge: String) throws -> Exemption?
    func exemptions(cycleID: String) throws -> [Exemption]

    // MARK: Study progress

    /// Records that `badge` reached the end of `itemID`. Idempotent: the first finish is kept;
    /// finishing again writes nothing and returns false.
    @discardableResult
    func recordItemFinished(badge: String, cycleID: String, itemID: String, at: Date) throws -> Bool
    func finishedItems(badge: String, cycleID: String) throws -> [FinishedItem]

    // MARK: Attempts

    /// Starts attempt number used+1, atomically checking population, status, exemption, window,
    /// open attempts and the attempt count. Throws `AttemptRefusal` when refused.
    func startAttempt(_ request: AttemptRequest) throws -> Attempt
    /// The person's open (unsubmitted) attempt in the cycle, for resuming.
    func openAttempt(badge: String, cycleID: String) throws -> Attempt?
    func attempt(id: Int64) throws -> Attempt?
    /// All attempts of a person, in one cycle or every cycle, oldest first.
    func attempts(badge: String, cycleID: String?) throws -> [Attempt]
    /// Every attempt in a cycle (all people, leavers included), oldest first; for regrading.
    func attempts(cycleID: String) throws -> [Attempt]
    /// Durably saves one answer (committed with synchronous=FULL before returning).
    func saveAnswer(attemptID: Int64, questionKey: String, response: Data, at: Date) throws
    /// The latest saved value per question key.
    func answers(attemptID: Int64) throws -> [String: SavedAnswer]
    /// Closes and grades an open attempt.
    func submitAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool,
        submittedAt: Date, reason: AttemptEndReason) throws
    /// Appends a new grade to a submitted attempt; the earlier grade stays in the record.
    func regradeAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool,
        reason: String, at: Date) throws
    /// Question ids on the person's earlier papers in the cycle, for no-repeat drawing.
    func seenQuestionIDs(badge: String, cycleID: String) throws -> Set<String>

    // MARK: Spot checks

    @discardableResult
    func recordSpotCheck(
        cycleID: String, seed: UInt64, percent: Double, selected: [String],
        inspectors: [String], at: Date
    ) throws -> SpotCheck
    func spotChecks(cycleID: String) throws -> [SpotCheck]

    // MARK: Reports

    /// Streams one row per person in the cycle's current population, in `DepartmentOrder` path
    /// order then by badge, through a database cursor: the store holds the current row (and the
    /// list of the population's department paths), never the population, so memory does not grow
    /// with headcount. `body` runs inside the store's read transaction; a throw ends the stream.
    func forEachRosterRow(
        cycleID: String, department: String?, rule: CompletionRule, now: Date, _ body: (RosterRow) throws -> Void) throws
    func standing(badge: String, cycleID: String, rule: CompletionRule, now: Date) throws -> CycleStanding
    /// Everything about one person, across cycles.
    /// `rules` gives the completion rule per cycle id (from content); cycles without one get no standing.
    func educationRecord(badge: String, rules: [String: CompletionRule], now: Date) throws -> EducationRecord

    // MARK: Audit

    /// Recomputes the whole chain and replays it into fresh tables compared row by row with the
    /// stored ones; never throws for tampering, reports it.
    func verifyChain() throws -> ChainVerification
    /// With `replay` false only the hashes are recomputed (`audit verify --chain-only`).
    func verifyChain(replay: Bool) throws -> ChainVerification
    func chainHead() throws -> ChainHead
    /// Whether `hash` is the hash of event `seq` in this chain (for a head recorded elsewhere).
    func event(seq: Int64, hasHash hash: String) throws -> Bool

    // MARK: Exemptions

    /// Withdraws an exemption (an event); the person is back in the population.
    func revokeExemption(cycleID: String, badge: String, reason: String, revokedBy: String, at: Date) throws

    // MARK: Certificates

    /// The event that completed each person's cycle (see `SQLStore.completionEvents`).
    func completionEvents(cycleID: String, completedAt: [String: Date]) throws -> [String: ChainEvent]
    /// Events whose hash starts with `prefix` (lowercase hex), each checked against its neighbours.
    func events(hashPrefix prefix: String) throws -> [ChainEvent]

    // MARK: Benchmarks and tests

    /// Appends `count` synthetic events in transactions of `batch` (benchmark and tests only).
    func appendBenchmarkEvents(count: Int, batch: Int, badge: String?) throws
    /// Fills an empty store with a synthetic department (`academy dev seed`); returns the cycle id.
    @discardableResult
    func seedSynthetic(
        people: Int, attemptsPerPerson: Int, lessons: Int, seed: UInt64, cycleID: String, at: Date) throws -> String
    /// Row counts of the main tables (diagnostics, benchmarks).
    func tableCounts() throws -> [String: Int]
}

/// Opens the store `spec` names: a `postgres://` (or `postgresql://`) URL is a PostgreSQL
/// database, anything else a SQLite file path.
public func openEducationStore(_ spec: String) throws -> any EducationStore {
    if PostgresTarget.isURL(spec) { return try PostgresEducationStore(url: spec) }
    return try SQLiteEducationStore(path: spec)
}

extension EducationStore {
    /// The whole roster as an array: for small populations and tests. Exports, summaries and
    /// reports stream with `forEachRosterRow` instead.
    public func roster(cycleID: String, department: String?, rule: CompletionRule, now: Date) throws -> [RosterRow] {
        var rows: [RosterRow] = []
        try forEachRosterRow(cycleID: cycleID, department: department, rule: rule, now: now) { rows.append($0) }
        return rows
    }

    /// Counts of each status key in the cycle's current population.
    public func statusCounts(cycleID: String, rule: CompletionRule, now: Date) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try forEachRosterRow(cycleID: cycleID, department: nil, rule: rule, now: now) { counts[$0.status.key, default: 0] += 1 }
        return counts
    }

    /// Throws `StoreError.notVerified` unless the chain verifies and the tables match its replay:
    /// what regrading and reports read must be what the chain says.
    public func requireVerified() throws {
        let v = try verifyChain()
        if let _ = v.problem { throw StoreError.notVerified(detail: v.message) }
    }
}

extension EducationStore {
    /// `importStaff` of rows already checked.
    @discardableResult
    public func importStaff(
        _ rows: [StaffInput], markMissingInactive: Bool, source: String, at: Date
    ) throws -> StaffImportSummary {
        try importStaff(StaffRowList(rows), markMissingInactive: markMissingInactive, source: source, at: at)
    }
}
