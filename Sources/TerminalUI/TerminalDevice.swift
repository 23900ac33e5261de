/// What every screen (exam, menu, pager) draws on: keys and events in, frames out, and a size
/// that the caller owns. Screens hold one of these and nothing global, so any number of them can
/// run in one process, each at its own size and in its own language.
///
/// Adapters: `LocalTerminal` (the process's own tty: raw mode, SIGWINCH, termios restored on
/// every exit path), `StreamTerminal` (any byte stream: an SSH channel, a test harness).
public protocol TerminalDevice: AnyObject {
    /// Columns and rows now.
    var size: (width: Int, height: Int) { get }
    /// Enters full-screen mode (alternate screen, hidden cursor, bracketed paste).
    func enter() throws
    /// Leaves full-screen mode; safe to call twice.
    func leave()
    func writeString(_ s: String)
    /// Waits up to `timeoutMilliseconds` for keys, a resize, a termination or the end of input.
    func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent
}

/// An event from a terminal device.
public enum TerminalEvent: Hashable, Sendable {
    case keys([Key])
    /// The window size changed; the device's `size` has the new one.
    case resize
    /// The session is being ended (SIGINT, SIGTERM or SIGHUP on the local tty; the server
    /// closing a channel). The terminal is already restored when the caller sees this; a
    /// process exits with `128 + signal`.
    case terminate(Int32)
    /// The poll timeout elapsed with nothing to report.
    case timeout
    /// Input reached end of file (the terminal went away).
    case endOfInput
}

/// The escape sequences every adapter writes on entering and leaving full-screen mode.
public enum TerminalModes {
    /// Alternate screen, home, clear, hide the cursor, bracketed paste on.
    public static let enter = "\u{1B}[?1049h\u{1B}[H\u{1B}[2J\u{1B}[?25l\u{1B}[?2004h"
    /// Bracketed paste off, attributes reset, cursor shown, main screen back.
    public static let leave = "\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
}
