import Courseware
import Foundation

/// The one clock of a command, read once from the environment at the edge.
///
/// `ACADEMY_NOW` (ISO 8601) starts the clock at that instant (it keeps running from there), and
/// `ACADEMY_CLOCK_OFFSET=<seconds>` (positive only) moves it forward; both are test and rehearsal
/// hooks (docs/officer-guide.md, docs/admin-guide.md). Officer-facing commands (`exam take`,
/// `study`) use `officer`, which is never behind the real clock, so no hook can give an officer
/// more time (and an attempt's start is recorded on the real clock).
enum AcademyClock {
    private static let parsed: Result<(now: TimeInterval, offset: TimeInterval), CommandExit> = {
        let env = ProcessInfo.processInfo.environment
        var shift: TimeInterval = 0, offset: TimeInterval = 0
        if let s = env["ACADEMY_NOW"], !s.isEmpty {
            let f = ISO8601DateFormatter()
            var d = f.date(from: s)
            if d == nil {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                d = f.date(from: s)
            }
            guard let d else { return .failure(CommandExit(usage: "ACADEMY_NOW: not an ISO 8601 time: \(s)")) }
            shift = d.timeIntervalSinceNow
        }
        if let s = env["ACADEMY_CLOCK_OFFSET"], !s.isEmpty {
            guard let v = TimeInterval(s), v.isFinite else {
                return .failure(CommandExit(usage: "ACADEMY_CLOCK_OFFSET: not a number of seconds: \(s)"))
            }
            offset = max(0, v)
        }
        return .success((shift, offset))
    }()

    /// Throws the usage error for a bad hook (called before any command runs).
    static func check() throws { _ = try parsed.get() }

    private static var hooks: (now: TimeInterval, offset: TimeInterval) { (try? parsed.get()) ?? (0, 0) }

    /// The clock of every command.
    static var wall: WallClock { .shifted(by: hooks.now + hooks.offset) }

    /// The clock of the officer's commands: the same, except that an `ACADEMY_NOW` in the past
    /// is ignored, so it is never behind the real time.
    static var officer: WallClock { .shifted(by: max(0, hooks.now) + hooks.offset) }
}
