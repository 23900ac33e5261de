import Foundation

extension PostgresEducationStore {
    private static func requireOpen(_ s: PostgresSession, _ attemptID: Int64) throws -> (badge: String, cycleID: String, deadlineMs: Int64) {
        guard let r = try s.one("SELECT badge, cycle_id, state, started_ms, time_limit_s FROM attempts WHERE id = $1", [.int(attemptID)])
        else { throw StoreError.unknownAttempt(attemptID) }
        guard r[2].textValue == "open" else { throw StoreError.attemptNotOpen(attemptID) }
        return (r[0].textValue ?? "", r[1].textValue ?? "", (r[3].intValue ?? 0) + 1000 * (r[4].intValue ?? 0))
    }

    public func saveAnswer(attemptID: Int64, questionKey: String, response: Data, at: Date) throws {
        try write { s, records in
            let owner = try Self.requireOpen(s, attemptID)
            guard Millis.from(at) <= owner.deadlineMs + SQLiteEducationStore.saveGraceMilliseconds else {
                throw StoreError.attemptTimeUp(attemptID)
            }
            guard let text = String(data: response, encoding: .utf8) else {
                throw StoreError.invalid(field: "response", detail: "not UTF-8 text / 不是 UTF-8 文本")
            }
            try records.record(
                .answerSaved, at: at, badge: owner.badge, cycleID: owner.cycleID,
                payload: .object(["attempt": .int(attemptID), "question": .string(questionKey), "response": .string(text)]))
        }
    }

    public func answers(attemptID: Int64) throws -> [String: SavedAnswer] {
        try read { s in
            var result: [String: SavedAnswer] = [:]
            for r in try s.query(
                "SELECT question_key, response, saved_ms, revision FROM answers WHERE attempt_id = $1", [.int(attemptID)])
            {
                let key = r[0].textValue ?? ""
                guard case let .bytes(response) = r[1] else { continue }
                result[key] = SavedAnswer(
                    questionKey: key, response: response, savedAt: Millis.date(r[2].intValue ?? 0), revision: Int(r[3].intValue ?? 0))
            }
            return result
        }
    }
}
