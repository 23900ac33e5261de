import Foundation

extension PostgresEducationStore {
    /// One round trip for a whole batch of saves (`AnswerSave`, `academy_save_answers`): the
    /// checks, the event and the answer row all on the server, in chain order with the batch's
    /// other writes. A refused save fails alone.
    public func saveAnswer(attemptID: Int64, questionKey: String, response: Data, at: Date) throws {
        let save = AnswerSave(attemptID: attemptID, questionKey: questionKey, response: response, atMillis: Millis.from(at))
        try commits.perform { batch in try batch.save(save) }
        if let refusal = save.refusal { throw refusal }
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

/// An answer save waiting in its group-commit batch for `academy_save_answers`, which checks it
/// as the SQLite store does (attempt known to this role, open, not past the deadline plus
/// `saveGraceMilliseconds`, response UTF-8, in that order), hashes its `answer.saved` event from
/// the same canonical bytes and writes its row; `refusal` is what it said no with.
final class AnswerSave {
    let attemptID: Int64
    let questionKey: String
    let atMillis: Int64
    /// The response as stored (its UTF-8 bytes) and the event's payload; nil when not UTF-8.
    let stored: (response: Data, payload: String)?
    var refusal: StoreError?

    init(attemptID: Int64, questionKey: String, response: Data, atMillis: Int64) {
        self.attemptID = attemptID
        self.questionKey = questionKey
        self.atMillis = atMillis
        if let text = String(data: response, encoding: .utf8) {
            let payload = CanonicalJSON.object(["attempt": .int(attemptID), "question": .string(questionKey), "response": .string(text)])
            stored = (Data(text.utf8), payload.text)
        } else {
            stored = nil
        }
    }

    /// Sends the saves as one call; sets each one's refusal and returns the head after them.
    static func send(_ saves: [AnswerSave], _ session: PostgresSession) throws -> (seq: Int64, hash: String) {
        var attempt = CellColumn(.int8), question = CellColumn(.text), response = CellColumn(.bytea)
        var at = CellColumn(.int8), payload = CellColumn(.text)
        for s in saves {
            attempt.cells.append(.int(s.attemptID))
            question.cells.append(.text(s.questionKey))
            response.cells.append(.bytes(s.stored?.response ?? Data()))
            at.cells.append(.int(s.atMillis))
            payload.cells.append(s.stored.map { Cell.text($0.payload) } ?? .null)
        }
        let row = try session.query(
            "SELECT o_outcome, o_seq, o_hash FROM academy_save_answers($1, $2, $3, $4, $5, \(SQLiteEducationStore.saveGraceMilliseconds))",
            arrays: [attempt, question, response, at, payload]
        ).first
        guard let outcome = row?[0].textValue.map(Array.init), outcome.count == saves.count, let seq = row?[1].intValue,
            let hash = row?[2].textValue
        else { throw StoreError.sqlite(detail: "academy_save_answers: unexpected answer") }
        for (s, letter) in zip(saves, outcome) {
            switch letter {
            case "u": s.refusal = .unknownAttempt(s.attemptID)
            case "c": s.refusal = .attemptNotOpen(s.attemptID)
            case "l": s.refusal = .attemptTimeUp(s.attemptID)
            case "i": s.refusal = .invalid(field: "response", detail: "not UTF-8 text / 不是 UTF-8 文本")
            default: s.refusal = nil
            }
        }
        return (seq, hash)
    }
}
