import Foundation

/// The time, as a value passed in by whoever starts the work (the command line, the exam hall, a
/// test). Nothing below the edge calls `Date()` on its own, so two front ends in one process can
/// each run on their own clock and a test can fix the time.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    /// The system clock.
    public static let system = WallClock { Date() }

    /// The system clock moved forward by `offset` seconds; it keeps running from there.
    public static func shifted(by offset: TimeInterval) -> WallClock {
        offset == 0 ? .system : WallClock { Date().addingTimeInterval(offset) }
    }

    /// Always `date` (tests).
    public static func fixed(_ date: Date) -> WallClock { WallClock { date } }
}
