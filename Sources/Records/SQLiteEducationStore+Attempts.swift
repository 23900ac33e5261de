import Crypto
import Foundation
import GRDB

extension SQLiteEducationStore {
    static let attemptColumns = """
        id, badge, cycle_id, number, blueprint_id, blueprint_version, bank_hash, seed, paper, question_ids,
        started_ms, time_limit_s, state, submitted_ms, end_reason
        """

    static func fetchAttempts(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [Attempt] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(attemptColumns) FROM attempts WHERE \(clause) ORDER BY started_ms, id",
            arguments: args)
        guard !rows.isEmpty else { return [] }
        var grades: [Int64: [AttemptGrade]] = [:]
        let gradeRows = try Row.fetchAll(
            db,
            sql: """
                SELECT attempt_id, report, score, max_score, passed, graded_ms, reason, is_regrade FROM grades
                WHERE attempt_id IN (SELECT id FROM attempts WHERE \(clause)) ORDER BY attempt_id, ordinal
                """, arguments: args)
        for g in gradeRows {
            grades[g[0], default: []].append(
                AttemptGrade(
                    report: g[1], score: g[2], maxScore: g[3], passed: g[4],
                    gradedAt: Millis.date(g[5] as Int64), reason: g[6], isRegrade: g[7]))
        }
        return rows.map { row in
            let ids: [String]
            if case let .array(a)? = CanonicalJSON.parse(row[9]) { ids = a.compactMap(\.stringValue) } else { ids = [] }
            let id: Int64 = row[0]
            return Attempt(
                id: id, badge: row[1], cycleID: row[2], number: row[3], blueprintID: row[4],
                blueprintVersion: row[5], bankHash: row[6], seed: UInt64(row[7] as String) ?? 0,
                paper: row[8], questionIDs: ids, startedAt: Millis.date(row[10] as Int64),
                timeLimitSeconds: row[11], state: AttemptState(rawValue: row[12]) ?? .submitted,
                submittedAt: Millis.date(row[13] as Int64?),
                endReason: (row[14] as String?).flatMap(AttemptEndReason.init(rawValue:)),
                grades: grades[id] ?? [])
        }
    }

    public func startAttempt(_ request: AttemptRequest) throws -> Attempt {
        let r = request
        return try write { db in
            guard
                let staff = try Row.fetchOne(
                    db, sql: "SELECT \(Self.staffColumns) FROM staff WHERE badge = ?",
                    arguments: [r.badge]
                ).map(Self.staffMember)
            else {
                throw AttemptRefusal.unknownBadge(r.badge)
            }
            guard let cycle = try Self.fetchCycle(db, r.cycleID) else { throw AttemptRefusal.unknownCycle(r.cycleID) }
            guard staff.status == .active else { throw AttemptRefusal.inactive(badge: r.badge) }
            guard cycle.covers(department: staff.department, role: staff.role) else {
                throw AttemptRefusal.notInPopulation(badge: r.badge, cycleID: r.cycleID)
            }
            if let reason = try String.fetchOne(
                db, sql: "SELECT reason FROM exemptions WHERE cycle_id = ? AND badge = ?",
                arguments: [r.cycleID, r.badge])
            {
                throw AttemptRefusal.exempt(badge: r.badge, cycleID: r.cycleID, reason: reason)
            }
            if r.startedAt < cycle.windowStart { throw AttemptRefusal.notOpenYet(cycleID: r.cycleID, opens: cycle.opens) }
            if r.startedAt >= cycle.windowEnd { throw AttemptRefusal.closed(cycleID: r.cycleID, due: cycle.due) }
            if let open = try Int64.fetchOne(
                db, sql: "SELECT id FROM attempts WHERE cycle_id = ? AND badge = ? AND state = 'open'",
                arguments: [r.cycleID, r.badge])
            {
                throw AttemptRefusal.attemptInProgress(attemptID: open)
            }
            let used =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM attempts WHERE cycle_id = ? AND badge = ?",
                    arguments: [r.cycleID, r.badge]) ?? 0
            guard used < r.maxAttempts else { throw AttemptRefusal.noAttemptsLeft(used: used, max: r.maxAttempts) }
            let id = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM attempts") ?? 0) + 1
            var records = try RecordWriter(db)
            try records.record(
                .attemptStarted, at: r.startedAt, badge: r.badge, cycleID: r.cycleID,
                payload: r.startedPayload(attemptID: id, number: used + 1, paperSHA256: Self.sha256(r.paper)), blobs: [r.paper])
            try records.finish()
            return try Self.fetchAttempts(db, where: "id = ?", [id])[0]
        }
    }

    static func sha256(_ data: Data) -> String {
        EventHash.hex(SHA256.hash(data: data))
    }

    public func openAttempt(badge: String, cycleID: String) throws -> Attempt? {
        try read { db in
            try Self.fetchAttempts(db, where: "cycle_id = ? AND badge = ? AND state = 'open'", [cycleID, badge]).first
        }
    }

    public func attempt(id: Int64) throws -> Attempt? {
        try read { db in try Self.fetchAttempts(db, where: "id = ?", [id]).first }
    }

    public func attempts(badge: String, cycleID: String?) throws -> [Attempt] {
        try read { db in
            if let cycleID {
                return try Self.fetchAttempts(db, where: "badge = ? AND cycle_id = ?", [badge, cycleID])
            }
            return try Self.fetchAttempts(db, where: "badge = ?", [badge])
        }
    }

    public func attempts(cycleID: String) throws -> [Attempt] {
        try read { db in try Self.fetchAttempts(db, where: "cycle_id = ?", [cycleID]) }
    }

    /// How late an answer may still be saved after the deadline: the exam session stops saving at
    /// the deadline by the same clock, so this only absorbs the moment between its check and the
    /// commit. Anything later is refused, so an answer can never be added after time is up.
    static let saveGraceMilliseconds: Int64 = 5_000

    private static func requireOpen(_ db: Database, _ attemptID: Int64) throws -> (
        badge: String, cycleID: String, deadlineMs: Int64
    ) {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT badge, cycle_id, state, started_ms, time_limit_s FROM attempts WHERE id = ?",
                arguments: [attemptID])
        else {
            throw StoreError.unknownAttempt(attemptID)
        }
        guard (row[2] as String) == "open" else { throw StoreError.attemptNotOpen(attemptID) }
        return (row[0], row[1], (row[3] as Int64) + 1000 * (row[4] as Int64))
    }

    public func saveAnswer(attemptID: Int64, questionKey: String, response: Data, at: Date) throws {
        try write { db in
            let owner = try Self.requireOpen(db, attemptID)
            let ms = Millis.from(at)
            guard ms <= owner.deadlineMs + Self.saveGraceMilliseconds else { throw StoreError.attemptTimeUp(attemptID) }
            // The response travels in the event as text; the exam's responses are JSON.
            guard let text = String(data: response, encoding: .utf8) else {
                throw StoreError.invalid(field: "response", detail: "not UTF-8 text / 不是 UTF-8 文本")
            }
            var records = try RecordWriter(db)
            try records.record(
                .answerSaved, at: at, badge: owner.badge, cycleID: owner.cycleID,
                payload: .object(["attempt": .int(attemptID), "question": .string(questionKey), "response": .string(text)]))
            try records.finish()
        }
    }

    public func answers(attemptID: Int64) throws -> [String: SavedAnswer] {
        try read { db in
            var result: [String: SavedAnswer] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT question_key, response, saved_ms, revision FROM answers WHERE attempt_id = ?",
                arguments: [attemptID])
            {
                let key: String = row[0]
                result[key] = SavedAnswer(
                    questionKey: key, response: row[1], savedAt: Millis.date(row[2] as Int64), revision: row[3])
            }
            return result
        }
    }

    public func submitAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool,
        submittedAt: Date, reason: AttemptEndReason
    ) throws {
        try write { db in
            let owner = try Self.requireOpen(db, attemptID)
            var records = try RecordWriter(db)
            try records.record(
                .attemptSubmitted, at: submittedAt, badge: owner.badge, cycleID: owner.cycleID,
                payload: .object([
                    "attempt": .int(attemptID), "reason": .string(reason.rawValue), "score": .double(score),
                    "maxScore": .double(maxScore), "passed": .bool(passed), "reportSHA256": .string(Self.sha256(report)),
                ]), blobs: [report])
            try records.finish()
        }
    }

    public func regradeAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool,
        reason: String, at: Date
    ) throws {
        try write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT badge, cycle_id, state, score, passed, end_reason FROM attempts WHERE id = ?",
                    arguments: [attemptID])
            else { throw StoreError.unknownAttempt(attemptID) }
            guard (row[2] as String) == "submitted", (row[5] as String?) != AttemptEndReason.exempted.rawValue else {
                throw StoreError.invalid(
                    field: "attempt #\(attemptID)", detail: "still open; only submitted attempts can be regraded / 尚未交卷，不能重新评分")
            }
            var records = try RecordWriter(db)
            try records.record(
                .attemptRegraded, at: at, badge: row[0], cycleID: row[1],
                payload: .object([
                    "attempt": .int(attemptID), "reason": .string(reason), "previousScore": .double(row[3] ?? 0),
                    "previousPassed": .bool(row[4] ?? false), "score": .double(score), "maxScore": .double(maxScore),
                    "passed": .bool(passed), "reportSHA256": .string(Self.sha256(report)),
                ]), blobs: [report])
            try records.finish()
        }
    }

    public func seenQuestionIDs(badge: String, cycleID: String) throws -> Set<String> {
        try read { db in
            try String.fetchSet(
                db,
                sql: """
                    SELECT DISTINCT j.value FROM attempts a, json_each(a.question_ids) j WHERE a.cycle_id = ? AND a.badge = ?
                    """, arguments: [cycleID, badge])
        }
    }
}
