import Courseware
import Dispatch
import ExamAssembly
import Foundation
import Records

/// The measurements behind `academy exam bench` (Benchmarks/exam.sh): papers per second and
/// durable answer-save latency, each as one `key=value` line.
public enum ExamBench {
    /// Draws `count` papers on one thread (seeds 0, 1, …), also encoding each to its canonical JSON with `json`.
    public static func papers(_ assembler: Assembler, count: Int, json: Bool) throws -> String {
        var checksum = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for seed in 0..<UInt64(count) {
            let p = try assembler.paper(seed: seed)
            checksum &+= p.sections.count
            if json { checksum &+= p.canonicalJSON().count }
        }
        let s = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return String(
            format: "papers=%d seconds=%.3f papers_per_second=%.0f questions_per_paper=%d checksum=%d",
            count, s, Double(count) / s, try assembler.paper(seed: 0).questionIDs.count, checksum)
    }

    /// One active officer and one cycle open from last year to the end of next year.
    public static func prepare(
        _ store: any EducationStore, badge: String, cycle: String, course: String, blueprint: String, now: Date
    ) throws {
        _ = try store.importStaff(
            [StaffInput(badge: badge, name: "基准", department: "基准/部门", role: .officer, status: .active, line: 2)],
            markMissingInactive: false, source: "bench", at: now)
        let y = Calendar(identifier: .gregorian).component(.year, from: now)
        try store.createCycle(
            TrainingCycle(
                id: cycle, title: cycle, courseID: course, blueprintID: blueprint, departments: [],
                roles: [], opens: CalendarDay(year: y - 1, month: 1, day: 1),
                due: CalendarDay(year: y + 1, month: 12, day: 31)))
    }

    /// `count` durable answer saves into one attempt of a prepared store, timed one by one.
    public static func saves(_ store: any EducationStore, count: Int, clock: WallClock) throws -> String {
        let now = clock.now()
        try prepare(store, badge: "BENCH1", cycle: "bench", course: "c", blueprint: "b", now: now)
        let attempt = try store.startAttempt(
            AttemptRequest(
                badge: "BENCH1", cycleID: "bench", maxAttempts: 1, blueprintID: "b",
                blueprintVersion: 1, bankHash: "x", seed: 1, paper: Data("{}".utf8),
                questionIDs: (0..<50).map { "q\($0)" }, timeLimitSeconds: 3600, startedAt: now))
        var ns: [UInt64] = []
        ns.reserveCapacity(count)
        for i in 0..<count {
            let value = Data("{\"choice\":{\"_0\":[\(i % 4)]}}".utf8)
            let t0 = DispatchTime.now().uptimeNanoseconds
            try store.saveAnswer(attemptID: attempt.id, questionKey: "q\(i % 50)", response: value, at: clock.now())
            ns.append(DispatchTime.now().uptimeNanoseconds - t0)
        }
        ns.sort()
        func q(_ p: Double) -> Double { Double(ns[min(ns.count - 1, Int(Double(ns.count) * p))]) / 1e6 }
        return String(
            format: "saves=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f", count, q(0.5), q(0.9), q(0.99),
            Double(ns.last ?? 0) / 1e6)
    }
}
