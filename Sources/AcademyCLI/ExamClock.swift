import Courseware
import Foundation

/// The exam's clock. `ACADEMY_NOW` (ISO 8601) and `ACADEMY_CLOCK_OFFSET=<seconds>` move it
/// forward for tests and rehearsals; the clock keeps running from there, so deadlines still pass
/// in real time. Only forward shifts are honoured, so neither can give an officer more time
/// (and an attempt's remaining time never exceeds its limit). Documented in docs/officer-guide.md.
enum ExamClock {
    static let offset: TimeInterval = max(0, shift) + max(0, extra)

    private static let shift: TimeInterval = RecordsCLI.nowOverride().map { $0.timeIntervalSinceNow } ?? 0

    /// `ACADEMY_CLOCK_OFFSET` in seconds; a value that is not a number is a usage error (exit 2).
    private static let extra: TimeInterval = {
        guard let s = ProcessInfo.processInfo.environment["ACADEMY_CLOCK_OFFSET"], !s.isEmpty else { return 0 }
        guard let v = TimeInterval(s) else {
            RecordsCLI.stderr("ACADEMY_CLOCK_OFFSET: not a number of seconds: \(s)")
            exit(2)
        }
        return v
    }()

    static func now() -> Date { Date().addingTimeInterval(offset) }

    /// The same clock as a value for the services.
    static var wall: WallClock { .shifted(by: offset) }

    /// Where `exam take` caches parsed content: `$ACADEMY_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/academy`, else `~/.cache/academy`; `ACADEMY_CACHE_DIR=off` disables it.
    static var cacheDirectory: URL? {
        let env = ProcessInfo.processInfo.environment
        if let d = env["ACADEMY_CACHE_DIR"], !d.isEmpty { return d == "off" ? nil : URL(fileURLWithPath: d) }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("academy") }
        if let h = env["HOME"], !h.isEmpty { return URL(fileURLWithPath: h).appendingPathComponent(".cache/academy") }
        return nil
    }
}
