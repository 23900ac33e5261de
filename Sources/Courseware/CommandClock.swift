import Foundation

/// The clock of one command or session, made once at the edge from the environment.
///
/// `ACADEMY_NOW` (ISO 8601) starts the clock at that instant (it keeps running from there), and
/// `ACADEMY_CLOCK_OFFSET=<seconds>` (positive only) moves it forward; both are test and rehearsal
/// hooks (docs/officer-guide.md, docs/admin-guide.md). Officer-facing work (`exam take`, `study`)
/// uses `officer`, which is never behind the real clock, so no hook can give an officer more time
/// (and an attempt's start is recorded on the real clock).
public struct CommandClock: Sendable {
    /// The clock of every command.
    public var wall: WallClock
    /// The clock of the officer's commands: the same, except that an `ACADEMY_NOW` in the past
    /// is ignored, so it is never behind the real time.
    public var officer: WallClock

    public init(wall: WallClock, officer: WallClock) {
        self.wall = wall
        self.officer = officer
    }

    /// The current time on `wall`.
    public func now() -> Date { wall.now() }

    /// A hook whose value cannot be read; `message` names the variable and the value.
    public struct HookError: Error, Equatable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    /// The clock the environment's hooks describe (the system clock when neither is set).
    public static func fromEnvironment(_ env: [String: String]) throws(HookError) -> CommandClock {
        var shift: TimeInterval = 0, offset: TimeInterval = 0
        if let s = env["ACADEMY_NOW"], !s.isEmpty {
            let f = ISO8601DateFormatter()
            var d = f.date(from: s)
            if d == nil {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                d = f.date(from: s)
            }
            guard let d else { throw HookError(message: "ACADEMY_NOW: not an ISO 8601 time: \(s)") }
            shift = d.timeIntervalSinceNow
        }
        if let s = env["ACADEMY_CLOCK_OFFSET"], !s.isEmpty {
            guard let v = TimeInterval(s), v.isFinite else {
                throw HookError(message: "ACADEMY_CLOCK_OFFSET: not a number of seconds: \(s)")
            }
            offset = max(0, v)
        }
        return CommandClock(wall: .shifted(by: shift + offset), officer: .shifted(by: max(0, shift) + offset))
    }
}
