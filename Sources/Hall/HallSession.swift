import Foundation
import Localization
import TerminalUI
import XMLSupport

/// Why the hall ends a session. The officer is told which, in their language.
public enum HallCloseReason: String, Sendable {
    /// The same officer logged in again; this session gave way.
    case takeover
    /// The invigilator ran `hall kick`.
    case kicked
    /// No input for the idle limit.
    case idle
    /// The server is stopping (SIGTERM / SIGINT).
    case shutdown
    /// The client went away (connection closed or dropped).
    case clientGone
    /// The client did not read its output for too long.
    case stalled

    /// The last line the officer sees.
    public func message(_ language: Language) -> String {
        switch self {
        case .takeover:
            language.pick(
                zh: "您的账号已在另一处登录，本连接已关闭。答案均已保存。",
                en: "You logged in from another place; this connection is closed. Every answer is saved.")
        case .kicked:
            language.pick(
                zh: "监考员结束了您的连接。答案均已保存，可重新登录继续。",
                en: "The invigilator ended your session. Every answer is saved; log in again to continue.")
        case .idle:
            language.pick(
                zh: "长时间无操作，连接已关闭。答案均已保存，重新登录即可继续（计时不停）。",
                en: "Closed after a long time without input. Every answer is saved; log in again to continue (the clock keeps running).")
        case .shutdown:
            language.pick(
                zh: "考场即将关闭。您的答案均已保存，考场重新开放后登录即可继续。",
                en: "The exam hall is closing. Every answer is saved; log in again when the hall reopens to continue.")
        case .clientGone, .stalled:
            ""
        }
    }
}

/// What the session thread receives from the client.
public enum HallInput: Sendable, Equatable {
    case bytes([UInt8])
    case resize(width: Int, height: Int)
    /// A notice to show (the idle warning).
    case notice(String)
    /// Nothing arrived within the timeout.
    case timeout
    /// The session must end now; answers are already saved.
    case closed(HallCloseReason)
}

/// Progress of an officer, for `hall status`.
public struct HallProgress: Sendable, Equatable {
    public var cycleID: String?
    public var question: Int?
    public var questionCount: Int?
    public var answered: Int?
    public var deadline: Date?
    public var finished: Bool

    public init(
        cycleID: String?, question: Int? = nil, questionCount: Int? = nil, answered: Int? = nil,
        deadline: Date? = nil, finished: Bool = false
    ) {
        self.cycleID = cycleID
        self.question = question
        self.questionCount = questionCount
        self.answered = answered
        self.deadline = deadline
        self.finished = finished
    }
}

/// Limits of one session.
public struct HallSessionLimits: Sendable {
    /// Output waiting for a client that does not read; beyond it the writer waits, and after
    /// `stallSeconds` the session is closed.
    public var maxBufferedOutput = 256 * 1024
    public var stallSeconds: Double = 60
    /// Input waiting to be consumed; beyond it input is dropped (a paste flood costs this much).
    public var maxBufferedInput = 64 * 1024
    /// Sustained input rate (bytes/s) and burst; input beyond it is dropped and counted.
    public var inputBytesPerSecond: Double = 4096
    public var inputBurst: Double = 32 * 1024
    /// Idle warning and close.
    public var idleWarnSeconds: Double = 25 * 60
    public var idleCloseSeconds: Double = 30 * 60

    public init() {}
}

/// The byte stream between one SSH session channel and the thread that runs the officer's
/// screen. The channel side (`deliver…`, `close`) is called on the event loop; the thread side
/// (`next`, `write`) blocks. Memory is bounded on both sides by `limits`.
public final class HallSession: @unchecked Sendable {
    public let badge: String
    public let source: String
    public let language: Language
    public let interactive: Bool
    public let limits: HallSessionLimits
    public let connectionID: Int

    private let lock = NSCondition()
    private var input: [UInt8] = []
    private var pendingResize: (Int, Int)?
    private var size: (Int, Int)
    private var closeReason: HallCloseReason?
    /// The client sent EOF: what it sent before is still read, then the session ends.
    private var inputEnded = false
    private var lastInput: Date
    private var warned = false
    private var tokens: Double
    private var tokensAt: Date
    private var outstanding = 0
    public private(set) var droppedInputBytes = 0

    /// Sends bytes to the client; `done` is called once they left the process (or failed).
    let sendBytes: @Sendable ([UInt8], _ done: @escaping @Sendable () -> Void) -> Void
    let clock: @Sendable () -> Date
    var onProgress: (@Sendable (HallProgress) -> Void)?
    var onEvent: (@Sendable (String, [String: Any]) -> Void)?

    init(
        badge: String, source: String, language: Language, interactive: Bool, width: Int, height: Int,
        limits: HallSessionLimits, connectionID: Int, clock: @escaping @Sendable () -> Date,
        send: @escaping @Sendable ([UInt8], _ done: @escaping @Sendable () -> Void) -> Void
    ) {
        self.badge = badge
        self.source = source
        self.language = language
        self.interactive = interactive
        self.size = (width, height)
        self.limits = limits
        self.connectionID = connectionID
        self.clock = clock
        self.sendBytes = send
        let now = clock()
        self.lastInput = now
        self.tokens = limits.inputBurst
        self.tokensAt = now
    }

    // MARK: Channel side

    func deliver(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        tokens = min(limits.inputBurst, tokens + now.timeIntervalSince(tokensAt) * limits.inputBytesPerSecond)
        tokensAt = now
        let room = min(Int(tokens), limits.maxBufferedInput - input.count)
        let taken = max(0, min(room, bytes.count))
        if taken > 0 { input.append(contentsOf: bytes[0..<taken]) }
        droppedInputBytes += bytes.count - taken
        tokens -= Double(taken)
        lastInput = now
        warned = false
        lock.signal()
    }

    func deliverResize(width: Int, height: Int) {
        lock.lock()
        size = (max(1, width), max(1, height))
        pendingResize = size
        lock.signal()
        lock.unlock()
    }

    /// The client will send nothing more (SSH EOF).
    func endInput() {
        lock.lock()
        inputEnded = true
        lock.broadcast()
        lock.unlock()
    }

    /// Asks the session to end. The first reason wins.
    public func close(_ reason: HallCloseReason) {
        lock.lock()
        if closeReason == nil { closeReason = reason }
        lock.broadcast()
        lock.unlock()
    }

    public var isClosed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closeReason != nil
    }

    public var closedBecause: HallCloseReason? {
        lock.lock()
        defer { lock.unlock() }
        return closeReason
    }

    // MARK: Thread side

    public var terminalSize: (width: Int, height: Int) {
        lock.lock()
        defer { lock.unlock() }
        return size
    }

    /// Waits up to `timeoutMilliseconds` for input. Pending input comes before a close, so
    /// keys typed just before a disconnect are still applied (and saved).
    public func next(timeoutMilliseconds: Int) -> HallInput {
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        while true {
            if let (w, h) = pendingResize {
                pendingResize = nil
                return .resize(width: w, height: h)
            }
            if !input.isEmpty {
                let bytes = input
                input.removeAll(keepingCapacity: false)
                return .bytes(bytes)
            }
            if let r = closeReason {
                return .closed(r)
            }
            if inputEnded {
                closeReason = .clientGone
                continue
            }
            let idle = clock().timeIntervalSince(lastInput)
            if idle >= limits.idleCloseSeconds {
                closeReason = .idle
                continue
            }
            if idle >= limits.idleWarnSeconds, !warned {
                warned = true
                let minutes = Int(((limits.idleCloseSeconds - idle) / 60).rounded(.up))
                return .notice(
                    language.pick(
                        zh: "提示：长时间无操作，\(minutes) 分钟后将断开连接（答案已保存）。按任意键继续。",
                        en: "Notice: no input for a while; the connection closes in \(minutes) min (answers are saved). Press any key."))
            }
            let now = Date()
            if now >= deadline { return .timeout }
            let wake = min(deadline, now.addingTimeInterval(1))
            _ = lock.wait(until: wake)
        }
    }

    /// Sends bytes to the client. Waits while too much output is unread; gives up (and closes
    /// the session as stalled) when the client has not read for `stallSeconds`.
    public func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        lock.lock()
        let giveUp = Date().addingTimeInterval(limits.stallSeconds)
        while outstanding > limits.maxBufferedOutput, closeReason == nil || closeReason == .shutdown {
            if !lock.wait(until: min(giveUp, Date().addingTimeInterval(1))), Date() >= giveUp {
                if closeReason == nil { closeReason = .stalled }
                break
            }
        }
        if closeReason == .stalled || closeReason == .clientGone {
            lock.unlock()
            return
        }
        outstanding += bytes.count
        lock.unlock()
        sendBytes(bytes) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            self.outstanding -= bytes.count
            self.lock.broadcast()
            self.lock.unlock()
        }
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Tells `hall status` how far the officer has got (the server throttles the writes).
    public func report(_ progress: HallProgress) { onProgress?(progress) }

    /// One structured log line (`exam_start`, `submit`), with the connection and badge added.
    public func log(_ event: String, _ fields: [String: Any] = [:]) { onEvent?(event, fields) }
}
