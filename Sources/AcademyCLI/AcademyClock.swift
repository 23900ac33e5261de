import Courseware
import Foundation

/// The one clock of a command: a value made once from the environment by `runMain` and passed to
/// the command's `run(in:clock:)`.
///
/// `ACADEMY_NOW` (ISO 8601) starts the clock at that instant (it keeps running from there), and
/// `ACADEMY_CLOCK_OFFSET=<seconds>` (positive only) moves it forward; both are test and rehearsal
/// hooks (docs/officer-guide.md, docs/admin-guide.md). Officer-facing commands (`exam take`,
/// `study`) use `officer`, which is never behind the real clock, so no hook can give an officer
/// more time (and an attempt's start is recorded on the real clock).
struct AcademyClock: Sendable {
    /// The clock of every command.
    var wall: WallClock
    /// The clock of the officer's commands: the same, except that an `ACADEMY_NOW` in the past
    /// is ignored, so it is never behind the real time.
    var officer: WallClock

    /// The current time on `wall`.
    func now() -> Date { wall.now() }

    /// The clock the environment's hooks describe; a bad hook is a usage error (exit 2).
    static func fromEnvironment(_ env: [String: String]) throws -> AcademyClock {
        var shift: TimeInterval = 0, offset: TimeInterval = 0
        if let s = env["ACADEMY_NOW"], !s.isEmpty {
            let f = ISO8601DateFormatter()
            var d = f.date(from: s)
            if d == nil {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                d = f.date(from: s)
            }
            guard let d else { throw CommandExit(usage: "ACADEMY_NOW: not an ISO 8601 time: \(s)") }
            shift = d.timeIntervalSinceNow
        }
        if let s = env["ACADEMY_CLOCK_OFFSET"], !s.isEmpty {
            guard let v = TimeInterval(s), v.isFinite else {
                throw CommandExit(usage: "ACADEMY_CLOCK_OFFSET: not a number of seconds: \(s)")
            }
            offset = max(0, v)
        }
        return AcademyClock(wall: .shifted(by: shift + offset), officer: .shifted(by: max(0, shift) + offset))
    }
}
