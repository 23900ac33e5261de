import Foundation
import TerminalUI

/// A `TerminalDevice` over a hall session: the officer's SSH channel with a pty. Keys come from
/// the channel, the size from pty-req and window-change; frames go back through the session's
/// bounded writer. The hall closing the session (takeover, kick, idle, shutdown) ends the
/// screen like a signal would; the client going away ends it as the end of input.
final class HallTerminal: TerminalDevice {
    let session: HallSession
    private var decoder = KeyDecoder()
    private var active = false
    /// Keys held back while a full repaint clears a notice drawn over the screen.
    private var heldKeys: [Key]?
    private var noticeShown = false
    /// Called on every event (the front end reports progress; the server throttles the writes).
    var onEvent: () -> Void = {}

    init(session: HallSession) { self.session = session }

    var size: (width: Int, height: Int) { session.terminalSize }

    func enter() throws {
        guard !active else { return }
        active = true
        writeString(TerminalModes.enter)
    }

    func leave() {
        guard active else { return }
        active = false
        writeString(TerminalModes.leave)
    }

    func writeString(_ s: String) { session.write(s) }

    func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
        onEvent()
        if let keys = heldKeys {
            heldKeys = nil
            return .keys(keys)
        }
        let timeout = decoder.pendingIsLoneEscape ? min(timeoutMilliseconds, 50) : timeoutMilliseconds
        switch session.next(timeoutMilliseconds: Int(timeout)) {
        case .bytes(let bytes):
            let keys = decoder.feed(bytes)
            if noticeShown {
                // Repaint everything first (the notice is gone), then deliver the keys.
                noticeShown = false
                heldKeys = keys
                return .resize
            }
            return .keys(keys)
        case .resize:
            return .resize
        case .notice(let text):
            // On the bottom row, in reverse video, until the next key repaints the screen.
            let row = max(1, size.height)
            writeString("\u{1B}7\u{1B}[\(row);1H\u{1B}[7m\u{1B}[2K\(text)\u{1B}[0m\u{1B}8")
            noticeShown = true
            return .timeout
        case .timeout:
            let keys = decoder.flushPending()
            return keys.isEmpty ? .timeout : .keys(keys)
        case .closed(.clientGone):
            return .endOfInput
        case .closed:
            leave()
            return .terminate(SIGTERM)
        }
    }
}
