import Crypto
import Foundation

/// Attempts, once for both backends: the attempt policy checked after the chain is locked, the
/// events that start, close, grade and regrade an attempt, and attempts read back as values.
/// (Saving an answer, the hot path, is each backend's own: see `saveAnswer`.)
extension SQLStore {
    static var attemptColumns: String {
        """
        id, badge, cycle_id, number, blueprint_id, blueprint_version, bank_hash, seed, paper, question_ids,
        started_ms, time_limit_s, state, submitted_ms, end_reason
        """
    }

    static func fetchAttempts(_ sql: some SQLReader, where clause: String, _ binds: [Cell]) throws -> [Attempt] {
        let rows = try sql.rows("SELECT \(attemptColumns) FROM attempts WHERE \(clause) ORDER BY started_ms, id", binds)
        guard !rows.isEmpty else { return [] }
        var grades: [Int64: [AttemptGrade]] = [:]
        for g in try sql.rows(
            """
            SELECT attempt_id, report, score, max_score, passed, graded_ms, reason, is_regrade FROM grades
            WHERE attempt_id IN (SELECT id FROM attempts WHERE \(clause)) ORDER BY attempt_id, ordinal
            """, binds)
        {
            grades[g[0].intValue ?? 0, default: []].append(
                AttemptGrade(
                    report: g[1].dataValue ?? Data(), score: g[2].realValue ?? 0, maxScore: g[3].realValue ?? 0,
                    passed: g[4].intValue == 1, gradedAt: Millis.date(g[5].intValue ?? 0), reason: g[6].textValue ?? "",
                    isRegrade: g[7].intValue == 1))
        }
        return rows.map { r in
            let id = r[0].intValue ?? 0
            return Attempt(
                id: id, badge: r[1].textValue ?? "", cycleID: r[2].textValue ?? "", number: Int(r[3].intValue ?? 0),
                blueprintID: r[4].textValue ?? "", blueprintVersion: Int(r[5].intValue ?? 0), bankHash: r[6].textValue ?? "",
                seed: UInt64(r[7].textValue ?? "") ?? 0, paper: r[8].dataValue ?? Data(), questionIDs: r[9].jsonStrings,
                startedAt: Millis.date(r[10].intValue ?? 0), timeLimitSeconds: Int(r[11].intValue ?? 0),
                state: r[12].textValue.flatMap(AttemptState.init(rawValue:)) ?? .submitted,
                submittedAt: Millis.date(r[13].intValue), endReason: r[14].textValue.flatMap(AttemptEndReason.init(rawValue:)),
                grades: grades[id] ?? [])
        }
    }

    static func sha256(_ data: Data) -> String { EventHash.hex(SHA256.hash(data: data)) }

    public func startAttempt(_ request: AttemptRequest) throws -> Attempt {
        let r = request
        return try writing { sql, records in
            guard let staff = try Self.fetchStaff(sql, badge: r.badge) else { throw AttemptRefusal.unknownBadge(r.badge) }
            guard let cycle = try Self.fetchCycle(sql, r.cycleID) else { throw AttemptRefusal.unknownCycle(r.cycleID) }
            guard staff.status == .active else { throw AttemptRefusal.inactive(badge: r.badge) }
            guard cycle.covers(department: staff.department, role: staff.role) else {
                throw AttemptRefusal.notInPopulation(badge: r.badge, cycleID: r.cycleID)
            }
            let who: [Cell] = [.text(r.cycleID), .text(r.badge)]
            if let reason = try sql.value("SELECT reason FROM exemptions WHERE cycle_id = $1 AND badge = $2", who).textValue {
                throw AttemptRefusal.exempt(badge: r.badge, cycleID: r.cycleID, reason: reason)
            }
            if r.startedAt < cycle.windowStart { throw AttemptRefusal.notOpenYet(cycleID: r.cycleID, opens: cycle.opens) }
            if r.startedAt >= cycle.windowEnd { throw AttemptRefusal.closed(cycleID: r.cycleID, due: cycle.due) }
            if let open = try sql.value("SELECT id FROM attempts WHERE cycle_id = $1 AND badge = $2 AND state = 'open'", who).intValue {
                throw AttemptRefusal.attemptInProgress(attemptID: open)
            }
            let used = Int(try sql.value("SELECT count(*) FROM attempts WHERE cycle_id = $1 AND badge = $2", who).intValue ?? 0)
            guard used < r.maxAttempts else { throw AttemptRefusal.noAttemptsLeft(used: used, max: r.maxAttempts) }
            let id = try sql.nextID("attempts")
            try records.record(
                .attemptStarted, at: r.startedAt, badge: r.badge, cycleID: r.cycleID,
                payload: r.startedPayload(attemptID: id, number: used + 1, paperSHA256: Self.sha256(r.paper)), blobs: [r.paper])
            try records.flushRows()  // the rows are written before they are read back
            guard let attempt = try Self.fetchAttempts(sql, where: "id = $1", [.int(id)]).first else {
                throw StoreError.unknownAttempt(id)
            }
            return attempt
        }
    }

    public func openAttempt(badge: String, cycleID: String) throws -> Attempt? {
        try reading { sql in
            try Self.fetchAttempts(sql, where: "cycle_id = $1 AND badge = $2 AND state = 'open'", [.text(cycleID), .text(badge)])
                .first
        }
    }

    public func attempt(id: Int64) throws -> Attempt? {
        try reading { try Self.fetchAttempts($0, where: "id = $1", [.int(id)]).first }
    }

    public func attempts(badge: String, cycleID: String?) throws -> [Attempt] {
        try reading { sql in
            if let cycleID { return try Self.fetchAttempts(sql, where: "badge = $1 AND cycle_id = $2", [.text(badge), .text(cycleID)]) }
            return try Self.fetchAttempts(sql, where: "badge = $1", [.text(badge)])
        }
    }

    public func attempts(cycleID: String) throws -> [Attempt] {
        try reading { try Self.fetchAttempts($0, where: "cycle_id = $1", [.text(cycleID)]) }
    }

    public func submitAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool, submittedAt: Date,
        reason: AttemptEndReason
    ) throws {
        try writing { sql, records in
            guard let r = try sql.row("SELECT badge, cycle_id, state FROM attempts WHERE id = $1", [.int(attemptID)]) else {
                throw StoreError.unknownAttempt(attemptID)
            }
            guard r[2].textValue == "open" else { throw StoreError.attemptNotOpen(attemptID) }
            try records.record(
                .attemptSubmitted, at: submittedAt, badge: r[0].textValue, cycleID: r[1].textValue,
                payload: .object([
                    "attempt": .int(attemptID), "reason": .string(reason.rawValue), "score": .double(score),
                    "maxScore": .double(maxScore), "passed": .bool(passed), "reportSHA256": .string(Self.sha256(report)),
                ]), blobs: [report])
        }
    }

    public func regradeAttempt(
        attemptID: Int64, report: Data, score: Double, maxScore: Double, passed: Bool, reason: String, at: Date
    ) throws {
        try writing { sql, records in
            guard
                let r = try sql.row(
                    "SELECT badge, cycle_id, state, score, passed, end_reason FROM attempts WHERE id = $1", [.int(attemptID)])
            else { throw StoreError.unknownAttempt(attemptID) }
            guard r[2].textValue == "submitted", r[5].textValue != AttemptEndReason.exempted.rawValue else {
                throw StoreError.invalid(
                    field: "attempt #\(attemptID)", detail: "still open; only submitted attempts can be regraded / 尚未交卷，不能重新评分")
            }
            try records.record(
                .attemptRegraded, at: at, badge: r[0].textValue, cycleID: r[1].textValue,
                payload: .object([
                    "attempt": .int(attemptID), "reason": .string(reason), "previousScore": .double(r[3].realValue ?? 0),
                    "previousPassed": .bool(r[4].intValue == 1), "score": .double(score), "maxScore": .double(maxScore),
                    "passed": .bool(passed), "reportSHA256": .string(Self.sha256(report)),
                ]), blobs: [report])
        }
    }

    public func seenQuestionIDs(badge: String, cycleID: String) throws -> Set<String> {
        try reading { sql in
            var seen = Set<String>()
            for r in try sql.rows("SELECT question_ids FROM attempts WHERE cycle_id = $1 AND badge = $2", [.text(cycleID), .text(badge)]) {
                seen.formUnion(r[0].jsonStrings)
            }
            return seen
        }
    }
}

extension AttemptRequest {
    /// The `attempt.started` payload (one definition for every backend).
    func startedPayload(attemptID: Int64, number: Int, paperSHA256: String) -> CanonicalJSON {
        .object([
            "attempt": .int(attemptID), "number": .int(Int64(number)), "blueprint": .string(blueprintID),
            "blueprintVersion": .int(Int64(blueprintVersion)), "bankHash": .string(bankHash),
            "seed": .string(String(seed)), "timeLimitSeconds": .int(Int64(timeLimitSeconds)),
            "questions": .array(questionIDs.map { .string($0) }), "paperSHA256": .string(paperSHA256),
        ])
    }
}
