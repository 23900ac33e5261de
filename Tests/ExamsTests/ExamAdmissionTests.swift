import Exams
import Foundation
import Records
import Testing

/// `ExamService.admission`: the exam hall's question at login, answered without starting
/// anything, and in agreement with what `open` then does.
@Suite struct ExamAdmissionTests {
    @Test func admitsOnlyWhoCouldSitTheExamNow() throws {
        let f = try ServiceFixture(maxAttempts: 1)
        let s = f.service()
        #expect(s.admission(badge: "A001", cycleID: nil) == .admitted(cycleID: "2026-spring", resume: false))
        #expect(s.admission(badge: "Z999", cycleID: nil) == .refused(.unknownBadge))
        #expect(s.admission(badge: "A003", cycleID: nil) == .refused(.inactive))
        try f.store.exempt(cycleID: "2026-spring", badge: "A002", reason: "病假", grantedBy: "admin", at: f.clock.now)
        #expect(s.admission(badge: "A002", cycleID: nil) == .refused(.exempt))
        // Asking started nothing.
        #expect(try f.store.attempts(cycleID: "2026-spring").isEmpty)

        // An open attempt is resumed; once submitted, the one allowed attempt is used up.
        let exam = try s.open(badge: "A001", cycleID: nil)
        #expect(s.admission(badge: "A001", cycleID: nil) == .admitted(cycleID: "2026-spring", resume: true))
        _ = try exam.session.submit(now: f.clock.now)
        #expect(s.admission(badge: "A001", cycleID: nil) == .refused(.noAttemptsLeft))
    }

    @Test func outsideTheWindowOnlyAnOpenAttemptEnters() throws {
        let f = try ServiceFixture()
        let s = f.service()
        _ = try s.open(badge: "A001", cycleID: nil)
        f.clock.set(ServiceFixture.date("2026-03-01T00:00:00Z"))
        #expect(s.admission(badge: "A001", cycleID: nil) == .admitted(cycleID: "2026-spring", resume: true))
        #expect(s.admission(badge: "A002", cycleID: nil) == .refused(.noOpenCycle))
        #expect(s.admission(badge: "A002", cycleID: "2026-spring") == .refused(.cycleNotOpen))
        #expect(s.admission(badge: "A002", cycleID: "no-such") == .refused(.noOpenCycle))
    }
}
