import Foundation
import SeededRandom

extension SQLStore {
    /// Fills an empty store with a synthetic department for benchmarks and scale tests: `people`
    /// staff under `示例省/示例市N/示例区M/大队/中队K`, one cycle, `lessons` required items (each
    /// person finishes a seeded random subset), and up to `attemptsPerPerson` graded attempts.
    /// Every row has its event, so the chain and the derived-table check verify afterwards.
    /// Deterministic for a given `seed`. Returns the cycle id.
    @discardableResult
    public func seedSynthetic(
        people: Int, attemptsPerPerson: Int, lessons: Int, seed: UInt64 = 2018,
        cycleID: String = "synthetic", at: Date = Date()
    ) throws -> String {
        var rng = SplitMix64(seed: seed)
        let opens = CalendarDay(year: 2018, month: 1, day: 15), due = CalendarDay(year: 2099, month: 12, day: 31)
        try createCycle(
            TrainingCycle(
                id: cycleID, title: "合成数据周期 / synthetic cycle", courseID: "synthetic-course",
                blueprintID: "synthetic-exam", departments: [], roles: [], opens: opens, due: due,
                timeZoneID: "UTC", createdAt: at))
        let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")
        let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文辉")
        let atMs = Millis.from(at)
        let batch = 5_000
        var start = 0
        while start < people {
            let end = min(people, start + batch)
            try writing { sql, records in
                var nextAttemptID = try sql.nextID("attempts")
                let empty = Data("{}".utf8)
                let emptyHash = RecordWriter.sha256(empty)
                for i in start..<end {
                    let badge = String(format: "SYN%07d", i)
                    let name =
                        String(surnames[Int(rng.next() % UInt64(surnames.count))])
                        + String(given[Int(rng.next() % UInt64(given.count))])
                    let dept = "示例省/示例市\(rng.next() % 10)/示例区\(rng.next() % 10)/城市管理综合行政执法大队/第\(rng.next() % 5 + 1)中队"
                    let role: StaffRole = rng.next() % 10 < 7 ? .officer : .assistant
                    try records.recordEvent(
                        .staffAdded, atMillis: atMs, badge: badge, cycleID: nil,
                        payload: .object([
                            "name": .string(name), "department": .string(dept), "role": .string(role.rawValue),
                            "status": .string("active"), "source": .string("synthetic"),
                        ]), blobs: [])
                    let done = Int(rng.next() % UInt64(lessons + 1))
                    for l in 0..<done {
                        try records.recordEvent(
                            .itemFinished, atMillis: atMs + Int64(l) * 60_000, badge: badge, cycleID: cycleID,
                            payload: .object(["item": .string("lesson-\(l + 1)")]), blobs: [])
                    }
                    let tries = attemptsPerPerson == 0 ? 0 : Int(rng.next() % UInt64(attemptsPerPerson + 1))
                    for n in 1...max(1, tries) where tries > 0 {
                        let score = Double(40 + rng.next() % 61)
                        let started = atMs + 3_600_000 * Int64(n)
                        let id = nextAttemptID
                        nextAttemptID += 1
                        try records.recordEvent(
                            .attemptStarted, atMillis: started, badge: badge, cycleID: cycleID,
                            payload: .object([
                                "attempt": .int(id), "number": .int(Int64(n)), "blueprint": .string("synthetic-exam"),
                                "blueprintVersion": .int(1), "bankHash": .string("synthetic"), "seed": .string(String(rng.next())),
                                "timeLimitSeconds": .int(3600), "questions": .array([]), "paperSHA256": .string(emptyHash),
                            ]), blobs: [empty])
                        try records.recordEvent(
                            .attemptSubmitted, atMillis: started + 1_800_000, badge: badge, cycleID: cycleID,
                            payload: .object([
                                "attempt": .int(id), "reason": .string("submitted"), "score": .double(score),
                                "maxScore": .double(100), "passed": .bool(score >= 60), "reportSHA256": .string(emptyHash),
                            ]), blobs: [empty])
                    }
                }
            }
            start = end
        }
        return cycleID
    }
}

extension SQLStore {
    /// Appends `count` synthetic events in transactions of `batch` (benchmark and tests only).
    public func appendBenchmarkEvents(count: Int, batch: Int = 10_000, badge: String? = nil) throws {
        var remaining = count
        while remaining > 0 {
            let n = min(batch, remaining)
            try writing { _, records in
                let now = Millis.from(Date())
                for i in 0..<n {
                    try records.appendUnprojected(
                        EventType.benchmark.rawValue, atMillis: now, badge: badge, cycleID: nil,
                        payload: "{\"i\":\(i),\"note\":\"benchmark event\"}")
                }
            }
            remaining -= n
        }
    }

    /// Row counts of the main tables (diagnostics, benchmarks).
    public func tableCounts() throws -> [String: Int] {
        try reading { sql in
            var result: [String: Int] = [:]
            for t in ["events", "staff", "cycles", "progress", "attempts", "grades", "answers", "exemptions", "spot_checks"] {
                result[t] = Int(try sql.value("SELECT count(*) FROM \(t)").intValue ?? 0)
            }
            return result
        }
    }
}
