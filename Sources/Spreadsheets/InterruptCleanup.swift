import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Removes the writers' temporary files when the process is interrupted.
///
/// `AtomicFileWriter` and `XLSXWriter` never leave a half-written destination, whatever happens.
/// Their hidden temporary files (`.NAME.tmp-XXXXXX`) are removed on errors and on `abort()`; a
/// Ctrl-C would leave them behind. A command that writes exports calls `InterruptCleanup.install()`
/// once: on SIGINT, SIGTERM or SIGHUP the pending temporary files and directories are removed, the
/// previous handler is restored and the signal is raised again (so the exit status stays 130/143).
public enum InterruptCleanup {
    public static func install() {
        TemporaryFiles.lock.lock()
        defer { TemporaryFiles.lock.unlock() }
        guard !TemporaryFiles.installed else { return }
        TemporaryFiles.installed = true
        for (i, sig) in TemporaryFiles.signals.enumerated() {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in TemporaryFiles.signalHandler(sig) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, TemporaryFiles.previous + i)
        }
    }
}

/// A fixed table of C strings that a signal handler can walk without allocating.
enum TemporaryFiles {
    static let capacity = 256
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static let isDirectory: UnsafeMutablePointer<Bool> = {
        let p = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        p.initialize(repeating: false, count: capacity)
        return p
    }()
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 3)
        p.initialize(repeating: sigaction(), count: 3)
        return p
    }()
    nonisolated(unsafe) static var installed = false
    static let lock = NSLock()

    /// Registers a path; returns its slot (nil when the table is full — cleanup then relies on
    /// the normal error paths only).
    static func register(_ path: String, directory: Bool = false) -> Int? {
        _ = paths; _ = isDirectory; _ = previous  // initialize outside any signal handler
        lock.lock()
        defer { lock.unlock() }
        for i in 0..<capacity where paths[i] == nil {
            isDirectory[i] = directory
            paths[i] = strdup(path)
            return i
        }
        return nil
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.lock()
        defer { lock.unlock() }
        let p = paths[slot]
        paths[slot] = nil
        free(p)
    }

    /// Removes every registered file, then every registered (now empty) directory.
    /// Async-signal-safe: only unlink/rmdir on preallocated C strings.
    static func removeAll() {
        for i in 0..<capacity where !isDirectory[i] {
            if let p = paths[i] { unlink(p) }
        }
        for i in 0..<capacity where isDirectory[i] {
            if let p = paths[i] { rmdir(p) }
        }
    }

    static func signalHandler(_ sig: Int32) {
        removeAll()
        for (i, s) in signals.enumerated() where s == sig {
            sigaction(sig, previous + i, nil)
        }
        raise(sig)
    }
}
