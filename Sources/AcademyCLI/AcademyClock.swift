import Courseware

/// The clock a command runs on (`CommandClock`: `ACADEMY_NOW` and `ACADEMY_CLOCK_OFFSET`), made
/// once by `runMain` and passed to `run(in:clock:)`.
typealias AcademyClock = CommandClock
