import Courseware
import Foundation
import Testing

/// The hooks of a command's clock (`ACADEMY_NOW`, `ACADEMY_CLOCK_OFFSET`), read from an
/// environment passed in.
@Suite struct CommandClockTests {
    @Test func neitherHookIsTheSystemClock() throws {
        let c = try CommandClock.fromEnvironment([:])
        #expect(abs(c.now().timeIntervalSinceNow) < 5)
        #expect(abs(c.officer.now().timeIntervalSinceNow) < 5)
    }

    @Test func nowStartsTheClockThereAndItKeepsRunning() throws {
        let c = try CommandClock.fromEnvironment(["ACADEMY_NOW": "2031-05-01T08:00:00Z"])
        let start = ISO8601DateFormatter().date(from: "2031-05-01T08:00:00Z")!
        #expect(abs(c.now().timeIntervalSince(start)) < 5)
        let frac = try CommandClock.fromEnvironment(["ACADEMY_NOW": "2031-05-01T08:00:00.250Z"])
        #expect(abs(frac.now().timeIntervalSince(start) - 0.25) < 5)
    }

    @Test func theOfficersClockIsNeverBehindTheRealOne() throws {
        let past = try CommandClock.fromEnvironment(["ACADEMY_NOW": "2001-01-01T00:00:00Z"])
        #expect(past.now() < Date().addingTimeInterval(-86_400))
        #expect(abs(past.officer.now().timeIntervalSinceNow) < 5)
        let ahead = try CommandClock.fromEnvironment(["ACADEMY_CLOCK_OFFSET": "3600"])
        #expect(abs(ahead.officer.now().timeIntervalSinceNow - 3600) < 5)
        #expect(abs(ahead.now().timeIntervalSinceNow - 3600) < 5)
    }

    @Test func aNegativeOffsetCountsAsZero() throws {
        let c = try CommandClock.fromEnvironment(["ACADEMY_CLOCK_OFFSET": "-3600"])
        #expect(abs(c.now().timeIntervalSinceNow) < 5)
    }

    @Test func badHooksNameTheVariableAndTheValue() {
        #expect(throws: CommandClock.HookError(message: "ACADEMY_NOW: not an ISO 8601 time: tomorrow")) {
            try CommandClock.fromEnvironment(["ACADEMY_NOW": "tomorrow"])
        }
        for bad in ["soon", "nan", "inf"] {
            #expect(throws: CommandClock.HookError(message: "ACADEMY_CLOCK_OFFSET: not a number of seconds: \(bad)")) {
                try CommandClock.fromEnvironment(["ACADEMY_CLOCK_OFFSET": bad])
            }
        }
    }
}
