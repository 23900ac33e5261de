import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program on a fresh pseudo-terminal, in its own session with the pty as controlling
/// terminal, so tests can type keys, resize the window, send signals and read what the program
/// drew. Output bytes are collected in `output`; pair with `TerminalUI.VirtualScreen` to
/// assert on the visible grid.
public final class PseudoTerminal {
    public let master: Int32
    /// The parent keeps the slave open so it can inspect the tty's modes (`termios`) after
    /// the child exits.
    public let slave: Int32
    public let slavePath: String
    public private(set) var pid: pid_t = 0
    public private(set) var output: [UInt8] = []
    public private(set) var exitStatus: Int32?
    public private(set) var width: Int
    public private(set) var height: Int

    public enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timeout(String)
        public var description: String {
            switch self {
            case .system(let call, let e): "\(call) failed: errno \(e)"
            case .timeout(let what): "timed out waiting for \(what)"
            }
        }
    }

    public init(width: Int = 80, height: Int = 24) throws {
        self.width = width
        self.height = height
        var m: Int32 = 0
        var s: Int32 = 0
        var ws = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&m, &s, &name, nil, &ws) == 0 else { throw Failure.system("openpty", errno) }
        master = m
        slave = s
        slavePath = String(cString: name)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil, pid > 0 {
            kill(pid, SIGKILL)
            var st: Int32 = 0
            waitpid(pid, &st, 0)
        }
        close(master)
        close(slave)
    }

    /// The slave's current termios (readable while and after the child runs).
    public func termiosState() -> termios {
        var t = termios()
        tcgetattr(slave, &t)
        return t
    }

    /// True when the tty is in ordinary cooked mode: canonical input, echo and signals on.
    public var isCooked: Bool {
        let t = termiosState()
        return t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0
            && t.c_lflag & tcflag_t(ISIG) != 0 && t.c_oflag & tcflag_t(OPOST) != 0
    }

    /// Starts `executable` with `arguments` on the pty. The child runs in a new session
    /// (setsid) and opens the slave, which makes the pty its controlling terminal.
    public func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid in the child: the first tty a session leader opens becomes its
        // controlling terminal (Linux), so SIGWINCH/SIGHUP reach it like on a real terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGPIPE, SIGQUIT] { sigaddset(&defaultSignals, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaultSignals)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attr, &noMask)
        posix_spawnattr_setflags(&attr, Int16(0x80 /* POSIX_SPAWN_SETSID */ | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["COLUMNS"] = nil
        env["LINES"] = nil
        for (k, v) in environment { env[k] = v }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attr, argv, envp)
        guard rc == 0 else { throw Failure.system("posix_spawn \(executable)", rc) }
        pid = child
        exitStatus = nil
    }

    /// Types bytes as if from the keyboard.
    public func send(_ bytes: [UInt8]) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR {
                    _ = pump(milliseconds: 5)  // let the child drain its input
                    continue
                }
                return
            }
            off += n
        }
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    /// Resizes the window: TIOCSWINSZ on the pty (the kernel signals the foreground process
    /// group with SIGWINCH).
    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        var ws = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &ws)
    }

    public func signal(_ sig: Int32) {
        if pid > 0 { kill(pid, sig) }
    }

    /// Reads what is available for up to `milliseconds`; returns the bytes read.
    @discardableResult
    public func pump(milliseconds: Int32) -> Int {
        var total = 0
        var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
        var deadline = milliseconds
        while poll(&fds, 1, deadline) > 0 {
            var buf = [UInt8](repeating: 0, count: 65536)
            let n = buf.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            output.append(contentsOf: buf[0..<n])
            total += n
            deadline = 0
        }
        return total
    }

    /// Pumps output until `condition` holds or the timeout passes.
    public func wait(for what: String, timeout: Double = 10, _ condition: () -> Bool) throws {
        let end = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > end { throw Failure.timeout(what) }
            pump(milliseconds: 20)
            reap()
            if exitStatus != nil {
                pump(milliseconds: 0)
                if !condition() { throw Failure.timeout("\(what) (the program exited with status \(exitStatus!))") }
                return
            }
        }
    }

    /// Collects the child's status if it has exited (non-blocking).
    @discardableResult
    public func reap() -> Int32? {
        guard exitStatus == nil, pid > 0 else { return exitStatus }
        var st: Int32 = 0
        if waitpid(pid, &st, WNOHANG) == pid { exitStatus = st }
        return exitStatus
    }

    /// Waits for the child to exit, draining output; returns the raw wait status.
    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        let end = Date().addingTimeInterval(timeout)
        while reap() == nil {
            if Date() > end { throw Failure.timeout("process \(pid) to exit") }
            pump(milliseconds: 20)
        }
        pump(milliseconds: 0)
        return exitStatus!
    }

    /// Exit code from a wait status (128 + signal when killed by a signal).
    public static func exitCode(_ status: Int32) -> Int32 {
        let sig = status & 0x7F
        return sig == 0 ? (status >> 8) & 0xFF : 128 + sig
    }
}
