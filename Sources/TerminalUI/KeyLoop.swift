/// How a simple full-screen view's key loop ended.
public enum KeyLoopEnd<Result> {
    /// The view's key handler produced a result.
    case result(Result)
    /// SIGINT, SIGTERM or SIGHUP; the terminal is already restored. Exit with `128 + signal`.
    case terminated(Int32)
    /// Input reached end of file (the terminal went away).
    case disconnected
}

extension TerminalDevice {
    /// The loop the menu and the pager share: draw, then wait for input; redraw after each batch
    /// of keys (a paste costs one frame), repaint everything on a resize or Ctrl-L, and stop as
    /// soon as `handle` returns a result for a key or the terminal ends. The exam screen has its
    /// own loop because it also ticks a countdown and saves answers.
    func runKeyLoop<Result>(invalidate: () -> Void, redraw: () -> Void, handle: (Key) -> Result?) -> KeyLoopEnd<Result> {
        invalidate()
        redraw()
        while true {
            switch nextEvent(timeoutMilliseconds: 1000) {
            case .terminate(let sig): return .terminated(sig)
            case .endOfInput: return .disconnected
            case .resize: invalidate()
            case .timeout: continue
            case .keys(let keys):
                for key in keys {
                    if key == .ctrl("l") { invalidate() }
                    if let result = handle(key) { return .result(result) }
                }
            }
            redraw()
        }
    }
}
