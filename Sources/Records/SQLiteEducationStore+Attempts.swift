import Foundation
import GRDB

extension SQLiteEducationStore {
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
}
