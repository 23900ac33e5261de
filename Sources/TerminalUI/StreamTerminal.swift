import Foundation

/// A terminal over any byte stream: the caller feeds the bytes the user typed (`receive`), the
/// window size (`resize`) and the end of the session (`endOfInput`, `terminate`) from any
/// thread; the screen running on this device reads them as events and writes its frames to
/// `output`. An SSH channel is one such stream, a test harness another.
///
/// The screen's loop blocks in `nextEvent` on its own thread; producers never block. Input that
/// has not been read yet is buffered; `bufferedByteCount` lets a network front end stop reading
/// from its peer while the buffer is large (back-pressure) instead of growing it without bound.
public final class StreamTerminal: TerminalDevice, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var inbox: [UInt8] = []
    private var width: Int
    private var height: Int
    private var resized = false
    private var ended = false
    private var terminatedBy: Int32?
    // Only touched by the thread running the screen:
    private var decoder = KeyDecoder()
    private let output: ([UInt8]) -> Void
    public private(set) var isActive = false

    /// The most input decoded per event, so a never-ending flood still yields to redraws.
    public static let maxBytesPerEvent = 512 * 1024

    /// - Parameter output: receives every frame, in order, on the screen's thread.
    public init(width: Int, height: Int, output: @escaping ([UInt8]) -> Void) {
        self.width = max(1, width)
        self.height = max(1, height)
        self.output = output
    }

    // MARK: Producer side (any thread)

    public func receive(_ bytes: some Sequence<UInt8>) {
        condition.lock()
        inbox.append(contentsOf: bytes)
        condition.signal()
        condition.unlock()
    }

    /// A new window size (an SSH `window-change`, a test's resize).
    public func resize(width: Int, height: Int) {
        condition.lock()
        self.width = max(1, width)
        self.height = max(1, height)
        resized = true
        condition.signal()
        condition.unlock()
    }

    /// The peer closed its input: the screen sees `.endOfInput` once buffered keys are read.
    public func endOfInput() {
        condition.lock()
        ended = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the session at once (a server shutting down, a signal in a test).
    public func terminate(signal: Int32) {
        condition.lock()
        terminatedBy = signal
        condition.signal()
        condition.unlock()
    }

    public var bufferedByteCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return inbox.count
    }

    // MARK: Device side (the screen's thread)

    public var size: (width: Int, height: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (width, height)
    }

    public func enter() throws {
        guard !isActive else { return }
        isActive = true
        writeString(TerminalModes.enter)
    }

    public func leave() {
        guard isActive else { return }
        isActive = false
        writeString(TerminalModes.leave)
    }

    public func writeString(_ s: String) { output(Array(s.utf8)) }

    public func nextEvent(timeoutMilliseconds: Int32) -> TerminalEvent {
        let timeout = decoder.pendingIsLoneEscape ? min(timeoutMilliseconds, 50) : timeoutMilliseconds
        let deadline = Date(timeIntervalSinceNow: Double(max(0, timeout)) / 1000)
        condition.lock()
        while inbox.isEmpty && !resized && !ended && terminatedBy == nil {
            if !condition.wait(until: deadline) { break }
        }
        if let sig = terminatedBy {
            condition.unlock()
            leave()
            return .terminate(sig)
        }
        if resized {
            resized = false
            condition.unlock()
            return .resize
        }
        if !inbox.isEmpty {
            let n = min(inbox.count, Self.maxBytesPerEvent)
            let chunk = inbox[..<n]
            inbox.removeFirst(n)
            condition.unlock()
            return .keys(decoder.feed(chunk))
        }
        let atEnd = ended
        condition.unlock()
        let keys = decoder.flushPending()
        if !keys.isEmpty { return .keys(keys) }
        return atEnd ? .endOfInput : .timeout
    }
}
