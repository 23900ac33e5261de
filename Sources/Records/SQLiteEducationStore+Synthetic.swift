import Foundation
import SeededRandom
import GRDB

extension SQLiteEducationStore {
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
            try write { db in
                var events = try EventWriter(db)
                let staff = try db.cachedStatement(
                    sql:
                        "INSERT INTO staff (badge, name, department, role, status, joined_ms, event_seq) VALUES (?, ?, ?, ?, 'active', ?, ?)"
                )
                let progress = try db.cachedStatement(
                    sql: "INSERT INTO progress (badge, cycle_id, item_id, finished_ms, event_seq) VALUES (?, ?, ?, ?, ?)")
                var nextAttemptID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM attempts") ?? 0) + 1
                let attempt = try db.cachedStatement(
                    sql: """
                        INSERT INTO attempts (id, badge, cycle_id, number, blueprint_id, blueprint_version, bank_hash, seed, paper,
                            question_ids, started_ms, time_limit_s, state, submitted_ms, end_reason, score, max_score, passed, event_seq)
                        VALUES (?, ?, ?, ?, 'synthetic-exam', 1, 'synthetic', ?, X'7B7D', '[]', ?, 3600, 'submitted', ?, 'submitted', ?, 100, ?, ?)
                        """)
                let grade = try db.cachedStatement(
                    sql: """
                        INSERT INTO grades (attempt_id, ordinal, report, score, max_score, passed, graded_ms, reason, is_regrade, event_seq)
                        VALUES (?, 1, X'7B7D', ?, 100, ?, ?, 'submitted', 0, ?)
                        """)
                var departments = Set<ByteKey>()
                for i in start..<end {
                    let badge = String(format: "SYN%07d", i)
                    let name =
                        String(surnames[Int(rng.next() % UInt64(surnames.count))])
                        + String(given[Int(rng.next() % UInt64(given.count))])
                    let dept = "示例省/示例市\(rng.next() % 10)/示例区\(rng.next() % 10)/城市管理综合行政执法大队/第\(rng.next() % 5 + 1)中队"
                    let role: StaffRole = rng.next() % 10 < 7 ? .officer : .assistant
                    departments.insert(ByteKey(dept))
                    let staffSeq = try events.append(
                        .staffAdded, at: at, badge: badge, cycleID: nil,
                        payload: .object([
                            "name": .string(name), "department": .string(dept), "role": .string(role.rawValue),
                            "status": .string("active"), "source": .string("synthetic"),
                        ]))
                    try staff.execute(arguments: [badge, name, dept, role.rawValue, atMs, staffSeq])
                    let done = Int(rng.next() % UInt64(lessons + 1))
                    for l in 0..<done {
                        let t = atMs + Int64(l) * 60_000
                        let seq = try events.append(
                            EventType.itemFinished.rawValue, atMillis: t, badge: badge, cycleID: cycleID,
                            payload: "{\"item\":\"lesson-\(l + 1)\"}")
                        try progress.execute(arguments: [badge, cycleID, "lesson-\(l + 1)", t, seq])
                    }
                    let tries = attemptsPerPerson == 0 ? 0 : Int(rng.next() % UInt64(attemptsPerPerson + 1))
                    for n in 1...max(1, tries) where tries > 0 {
                        let score = Double(40 + rng.next() % 61)
                        let passed = score >= 60
                        let started = atMs + 3_600_000 * Int64(n)
                        let id = nextAttemptID
                        nextAttemptID += 1
                        let startSeq = try events.append(
                            EventType.attemptStarted.rawValue, atMillis: started, badge: badge,
                            cycleID: cycleID, payload: "{\"attempt\":\(id),\"number\":\(n)}")
                        try attempt.execute(arguments: [
                            id, badge, cycleID, n, String(rng.next()), started, started + 1_800_000,
                            score, passed, startSeq,
                        ])
                        let seq = try events.append(
                            EventType.attemptSubmitted.rawValue, atMillis: started + 1_800_000,
                            badge: badge, cycleID: cycleID,
                            payload: "{\"attempt\":\(id),\"maxScore\":100,\"passed\":\(passed),\"score\":\(Int(score))}")
                        try grade.execute(arguments: [id, score, passed, started + 1_800_000, seq])
                    }
                }
                try Self.insertDepartments(db, departments)
                try events.finish()
            }
            start = end
        }
        return cycleID
    }
}

extension SQLiteEducationStore {
    /// Row counts of the main tables (diagnostics, benchmarks).
    public func tableCounts() throws -> [String: Int] {
        try read { db in
            var result: [String: Int] = [:]
            for t in ["events", "staff", "cycles", "progress", "attempts", "grades", "answers", "exemptions", "spot_checks"] {
                result[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0
            }
            return result
        }
    }
}
