import Foundation
import Localization
import TerminalUI

/// What the hall runs for an officer once they are in. The hall owns the network, the limits
/// and the session's lifetime; the front end owns the exam (through the exam service) and the
/// screen. Every method runs on the session's own thread and may block.
public protocol HallFrontEnd: Sendable {
    /// May this badge enter now (known, active, not exempt, with an open attempt or an open
    /// cycle to start one in)?
    func admits(badge: String) -> HallAdmission
    /// The officer's session: the full-screen menu when `session.interactive` (a pty was
    /// requested), else the line protocol. Returns when the officer leaves or the session is
    /// closed (`HallInput.closed`); every acknowledged answer is already committed then.
    func runShell(_ session: HallSession)
    /// `ssh BADGE@hall record [--json]`: that officer's own record and no one else's.
    func record(badge: String, json: Bool, language: Language) -> String
}

/// The exec commands the hall accepts; anything else is refused.
public enum HallExecCommand: Equatable, Sendable {
    case record(json: Bool)

    public static let documented = ["record", "record --json"]

    public init?(_ command: String) {
        let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
        switch words {
        case ["record"], ["record", "--text"]: self = .record(json: false)
        case ["record", "--json"], ["record", "json"]: self = .record(json: true)
        default: return nil
        }
    }
}
