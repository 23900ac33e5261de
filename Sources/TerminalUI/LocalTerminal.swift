#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Global C state for signal handlers: the saved termios and the self-pipe.
nonisolated(unsafe) private var savedTermios = termios()
nonisolated(unsafe) private var savedFD: Int32 = -1
nonisolated(unsafe) private var rawActive: Int32 = 0
nonisolated(unsafe) private var signalPipeWrite: Int32 = -1
nonisolated(unsafe) private var pendingSignals: UInt32 = 0
nonisolated(unsafe) private var atexitInstalled = false

private let leaveSequence: [UInt8] = Array(TerminalModes.leave.utf8)

/// Restores the terminal using only async-signal-safe calls (tcsetattr, write).
private func restoreTerminalNow() {
    guard rawActive != 0, savedFD >= 0 else { return }
    rawActive = 0
    leaveSequence.withUnsafeBytes { _ = write(savedFD, $0.baseAddress, $0.count) }
    _ = tcsetattr(savedFD, TCSAFLUSH, &savedTermios)
}

private func signalHandler(_ sig: Int32) {
    if sig >= 0 && sig < 32 { pendingSignals |= (1 << UInt32(sig)) }
    if signalPipeWrite >= 0 {
        var b = UInt8(truncatingIfNeeded: sig)
        _ = write(signalPipeWrite, &b, 1)
    }
}

/// A crash (trap, abort, bad access) while in raw mode: restore the terminal, then let the
/// default action run (SA_RESETHAND re-arms it) so the process still dies with that signal.
private func crashHandler(_ sig: Int32) {
    restoreTerminalNow()
    raise(sig)
}

/// The local-tty adapter: the process's controlling terminal in raw mode with the alternate
/// screen. Restores the terminal on `leave()`, at process exit (atexit), on a crash signal, and
/// when SIGINT, SIGTERM or SIGHUP arrives; reports SIGWINCH as `.resize`.
///
/// Signal dispositions and the termios to restore are process-wide by nature, so this adapter
/// (and only this one) keeps them in file-level state that a signal handler can reach; a process
/// has one controlling terminal.
public final class LocalTerminal: TerminalDevice {
    public let input: Int32
    public let output: Int32
    private var decoder = KeyDecoder()
    private var pipeRead: Int32 = -1
    private var oldActions: [Int32: sigaction] = [:]
    public private(set) var isActive = false

    public init(input: Int32 = 0, output: Int32 = 1) {
        self.input = input
        self.output = output
    }

    /// Both ends are terminals.
    public static func isInteractive(input: Int32 = 0, output: Int32 = 1) -> Bool {
        isatty(input) != 0 && isatty(output) != 0
    }

    /// Columns and rows (TIOCGWINSZ), falling back to 80×24.
    public var size: (width: Int, height: Int) {
        var ws = winsize()
        if ioctl(output, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            return (Int(ws.ws_col), Int(ws.ws_row))
        }
        return (80, 24)
    }

    /// Enters raw mode, the alternate screen and bracketed paste; installs signal handlers.
    public func enter() throws {
        guard !isActive else { return }
        var t = termios()
        guard tcgetattr(input, &t) == 0 else { throw TerminalError.notATerminal(errno: errno) }
        savedTermios = t
        savedFD = input
        var raw = t
        // cfmakeraw, spelled out so it is the same on every libc.
        raw.c_iflag &= ~tcflag_t(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON)
        raw.c_oflag &= ~tcflag_t(OPOST)
        raw.c_lflag &= ~tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN)
        raw.c_cflag &= ~tcflag_t(CSIZE | PARENB)
        raw.c_cflag |= tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw TerminalError.system("pipe", errno: errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        pipeRead = fds[0]
        signalPipeWrite = fds[1]
        pendingSignals = 0
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGQUIT] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = signalHandler
            #else
                action.__sigaction_u.__sa_handler = signalHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(sig, &action, &old)
            oldActions[sig] = old
        }
        for sig in [SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = crashHandler
            #else
                action.__sigaction_u.__sa_handler = crashHandler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            var old = sigaction()
            sigaction(sig, &action, &old)
            oldActions[sig] = old
        }
        if !atexitInstalled {
            atexitInstalled = true
            atexit { restoreTerminalNow() }
        }
        guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else {
            throw TerminalError.system("tcsetattr", errno: errno)
        }
        rawActive = 1
        isActive = true
        writeString(TerminalModes.enter)
    }

    /// Leaves the alternate screen and restores the saved terminal modes and signal handlers.
    public func leave() {
        guard isActive else { return }
        isActive = false
        restoreTerminalNow()
        for (sig, var old) in oldActions { sigaction(sig, &old, nil) }
        oldActions = [:]
        if pipeRead >= 0 { close(pipeRead) }
        if signalPipeWrite >= 0 { close(signalPipeWrite) }
        pipeRead = -1
        signalPipeWrite = -1
    }

    deinit { leave() }

    public func writeString(_ s: String) {
        var bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(output, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return  // the terminal is gone (EIO after hangup); nothing more to do
            }
            off += n
        }
    }

    /// Waits up to `timeoutMilliseconds` for input or a signal. All bytes available are read
    /// and decoded at once so a paste flood yields one batch (and one redraw).
    public func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
        var fds = [
            pollfd(fd: input, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pipeRead, events: Int16(POLLIN), revents: 0),
        ]
        let timeout = decoder.pendingIsLoneEscape ? min(timeoutMilliseconds, 50) : timeoutMilliseconds
        let n = poll(&fds, 2, timeout)
        if n < 0 {
            if errno == EINTR { return signalEvent() ?? .timeout }
            return .endOfInput
        }
        if fds[1].revents != 0, let e = signalEvent() { return e }
        if n == 0 {
            let keys = decoder.flushPending()
            return keys.isEmpty ? .timeout : .keys(keys)
        }
        if fds[0].revents & Int16(POLLIN) != 0 {
            var keys: [Key] = []
            var buf = [UInt8](repeating: 0, count: 8192)
            // Drain what is there now (bounded, so a never-ending flood still yields).
            for _ in 0..<64 {
                let r = buf.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if r < 0 && errno == EINTR { continue }
                if r <= 0 { if keys.isEmpty { return .endOfInput } else { break } }
                keys += decoder.feed(buf[0..<r])
                var more = [pollfd(fd: input, events: Int16(POLLIN), revents: 0)]
                if poll(&more, 1, 0) <= 0 { break }
            }
            return .keys(keys)
        }
        if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .endOfInput }
        return .timeout
    }

    private func signalEvent() -> TerminalEvent? {
        var b = [UInt8](repeating: 0, count: 64)
        while b.withUnsafeMutableBytes({ read(pipeRead, $0.baseAddress, $0.count) }) > 0 {}
        let pending = pendingSignals
        pendingSignals = 0
        for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] where pending & (1 << UInt32(sig)) != 0 {
            leave()
            return .terminate(sig)
        }
        if pending & (1 << UInt32(SIGWINCH)) != 0 { return .resize }
        return nil
    }
}

public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal(errno: Int32)
    case system(String, errno: Int32)

    public var description: String {
        switch self {
        case .notATerminal(let e): "standard input is not a terminal (errno \(e))"
        case .system(let call, let e): "\(call) failed (errno \(e))"
        }
    }
}
