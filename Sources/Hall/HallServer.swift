import Foundation
import Localization
import NIOCore
import NIOPosix
import NIOSSH
import Records

#if canImport(Glibc)
    import Glibc
#endif

public struct HallConfiguration: Sendable {
    public var host = "0.0.0.0"
    public var port = 2222
    public var maxConnections = 1000
    public var handshakeTimeout: TimeInterval = 30
    public var limits = HallSessionLimits()
    public var throttle = HallThrottleRules()
    /// How often session rows (connect, progress, disconnect) are written, all officers' in one
    /// transaction; `hall status` is at most this far behind. 0 writes each change at once.
    public var progressInterval: TimeInterval = 2
    /// How often the server looks for `hall kick` requests.
    public var kickPollInterval: TimeInterval = 1
    /// How long a graceful stop waits for sessions to say goodbye.
    public var stopGrace: TimeInterval = 3
    /// Threads that check passwords (each check is a PBKDF2 derivation, `ExamCode.defaultRounds`
    /// rounds): at most this many run at once, the rest wait their turn. The default leaves one
    /// core to the event loops and the officers' sessions, so a rush of logins never starves the
    /// answers of those already sitting the exam.
    public var loginThreads = max(1, System.coreCount - 1)
    public init() {}
}

extension HallConfiguration {
    /// `hall serve`'s options: a listen address `ADDR:PORT` (see `parseListenAddress`), a
    /// positive connection limit, and an idle warning that comes before the idle close.
    public init(
        listen: String, maxConnections: Int, handshakeTimeout: TimeInterval, idleWarn: TimeInterval, idleClose: TimeInterval
    ) throws(UsageProblem) {
        guard let (host, port) = parseListenAddress(listen) else {
            throw UsageProblem(BilingualText("--listen: expected ADDR:PORT, e.g. 0.0.0.0:2222 / 格式应为 地址:端口"))
        }
        guard maxConnections > 0 else { throw UsageProblem(BilingualText("--max-connections must be positive")) }
        guard idleWarn > 0, idleClose > idleWarn else {
            throw UsageProblem(BilingualText("--idle-warn must be positive and below --idle-close"))
        }
        self.init()
        (self.host, self.port, self.maxConnections, self.handshakeTimeout) = (host, port, maxConnections, handshakeTimeout)
        (limits.idleWarnSeconds, limits.idleCloseSeconds) = (idleWarn, idleClose)
    }
}

/// `ADDR:PORT`, `[v6]:PORT` or `:PORT`.
public func parseListenAddress(_ text: String) -> (host: String, port: Int)? {
    var host = "0.0.0.0"
    var portText = text
    if text.hasPrefix("[") {
        guard let end = text.firstIndex(of: "]"), text[text.index(after: end)...].hasPrefix(":") else { return nil }
        host = String(text[text.index(after: text.startIndex)..<end])
        portText = String(text[text.index(end, offsetBy: 2)...])
    } else if let colon = text.lastIndex(of: ":") {
        if colon != text.startIndex { host = String(text[..<colon]) }
        portText = String(text[text.index(after: colon)...])
    }
    guard let port = Int(portText), (0...65535).contains(port), !host.isEmpty else { return nil }
    return (host, port)
}

/// The exam hall: one process, one event loop group, many SSH sessions. Each officer's screen
/// runs on its own thread against a `HallSession` byte stream; the network side never blocks.
public final class HallServer: @unchecked Sendable {
    public let configuration: HallConfiguration
    let hostKey: HostKey
    let store: any HallStore
    let frontEnd: any HallFrontEnd
    let log: HallLog
    let clock: @Sendable () -> Date
    let gatekeeper: Gatekeeper
    let group: MultiThreadedEventLoopGroup
    /// Blocking store work of the server itself (session rows, kick polls).
    let pool: NIOThreadPool
    /// Login checks only, bounded by `configuration.loginThreads` (see there).
    let loginPool: NIOThreadPool

    private let lock = NSCondition()
    private var nextConnectionID = 0
    private var openConnections: [Int: Channel] = [:]
    private var live: [String: LiveSession] = [:]
    private var stopping = false
    private var serverChannel: Channel?
    private var kickTask: RepeatedTask?
    private var flushTask: RepeatedTask?
    /// Session rows waiting for the next batched write, by badge.
    private var dirty: [String: HallSessionRow] = [:]

    final class LiveSession {
        let session: HallSession
        var done = false
        var row: HallSessionRow
        init(session: HallSession, row: HallSessionRow) {
            self.session = session
            self.row = row
        }
    }

    public init(
        configuration: HallConfiguration, hostKey: HostKey, store: any HallStore, frontEnd: any HallFrontEnd,
        log: HallLog, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.hostKey = hostKey
        self.store = store
        self.frontEnd = frontEnd
        self.log = log
        self.clock = clock
        self.gatekeeper = Gatekeeper(
            store: store, rules: configuration.throttle, clock: clock, log: log,
            admit: { [frontEnd] badge in frontEnd.admits(badge: badge) })
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, min(4, System.coreCount)))
        self.pool = NIOThreadPool(numberOfThreads: 2)
        self.loginPool = NIOThreadPool(numberOfThreads: max(1, configuration.loginThreads))
    }

    /// Binds and starts accepting. Returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws -> Int {
        pool.start()
        loginPool.start()
        try store.closeHallSessions(at: clock())
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 512)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.so_keepalive), value: 1)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak self] channel in
                guard let self else { return channel.close() }
                return self.initialize(channel)
            }
        let channel = try bootstrap.bind(host: configuration.host, port: configuration.port).wait()
        serverChannel = channel
        let port = channel.localAddress?.port ?? configuration.port
        kickTask = group.next().scheduleRepeatedTask(
            initialDelay: .milliseconds(Int64(configuration.kickPollInterval * 1000)),
            delay: .milliseconds(Int64(configuration.kickPollInterval * 1000))
        ) { [weak self] _ in self?.pollKicks() }
        if configuration.progressInterval > 0 {
            let every = TimeAmount.milliseconds(Int64(configuration.progressInterval * 1000))
            flushTask = group.next().scheduleRepeatedTask(initialDelay: every, delay: every) { [weak self] _ in
                guard let self else { return }
                self.pool.runIfActive(eventLoop: self.group.next()) { self.flushSessionRows() }.whenFailure { _ in }
            }
        }
        log.event(
            "listen",
            [
                "address": configuration.host, "port": port, "fingerprint": hostKey.fingerprint,
                "max_connections": configuration.maxConnections,
            ])
        return port
    }

    private func initialize(_ channel: Channel) -> EventLoopFuture<Void> {
        let source = channel.remoteAddress.map(Self.describe) ?? "?"
        lock.lock()
        nextConnectionID += 1
        let id = nextConnectionID
        let full = openConnections.count >= configuration.maxConnections || stopping
        if !full { openConnections[id] = channel }
        lock.unlock()
        if full {
            log.event("refused", ["conn": id, "source": source, "what": stopping ? "stopping" : "connection limit"])
            return channel.close()
        }
        _ = setKeepalive(channel)
        log.event("connect", ["conn": id, "source": source])
        let connection = HallConnection(id: id, source: source)
        channel.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            self.lock.lock()
            self.openConnections[id] = nil
            self.lock.unlock()
            self.log.event("disconnect", ["conn": id, "source": source, "badge": connection.authenticatedBadge ?? ""])
        }
        // Handshake timeout: not logged in with a session open within the limit → closed
        // (half-open TCP, silent peers, clients that log in and then do nothing).
        let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(configuration.handshakeTimeout * 1000))) {
            if connection.authenticatedBadge == nil || !connection.hasSession {
                self.log.event("handshake_timeout", ["conn": id, "source": source])
                channel.close(promise: nil)
            }
        }
        channel.closeFuture.whenComplete { _ in timeout.cancel() }
        let auth = HallAuthDelegate(connection: connection, gatekeeper: gatekeeper, pool: loginPool) {
            // Too many password tries on this connection: let the failure reach the client, then close.
            channel.eventLoop.scheduleTask(in: .milliseconds(100)) { channel.close(promise: nil) }
        }
        var serverConfig = SSHServerConfiguration(
            hostKeys: [hostKey.sshKey], userAuthDelegate: auth,
            globalRequestDelegate: HallGlobalRequests(log: log, connection: connection))
        serverConfig.maxAuthAttempts = 20
        return channel.eventLoop.makeCompletedFuture {
            let handler = NIOSSHHandler(
                role: .server(serverConfig), allocator: channel.allocator,
                inboundChildChannelInitializer: { [weak self] child, type in
                    guard let self else { return child.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel) }
                    return self.initializeChild(child, type: type, connection: connection)
                })
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.pipeline.syncOperations.addHandler(HallErrorHandler(log: self.log, connection: connection))
        }
    }

    private func setKeepalive(_ channel: Channel) -> EventLoopFuture<Void> {
        // A peer that vanished without a FIN is found within about 2 minutes.
        let tcp = SocketOptionLevel(IPPROTO_TCP)
        return channel.setOption(ChannelOptions.socketOption(.so_keepalive), value: 1).flatMap {
            channel.setOption(ChannelOptions.Types.SocketOption(level: tcp, name: SocketOptionName(TCP_KEEPIDLE)), value: 60)
        }.flatMap {
            channel.setOption(ChannelOptions.Types.SocketOption(level: tcp, name: SocketOptionName(TCP_KEEPINTVL)), value: 10)
        }.flatMap {
            channel.setOption(ChannelOptions.Types.SocketOption(level: tcp, name: SocketOptionName(TCP_KEEPCNT)), value: 6)
        }
    }

    private func initializeChild(_ child: Channel, type: SSHChannelType, connection: HallConnection) -> EventLoopFuture<Void> {
        guard case .session = type else {
            // direct-tcpip (ssh -L / -D) and anything else: refused.
            let what: String
            switch type {
            case .directTCPIP(let d): what = "direct-tcpip \(d.targetHost):\(d.targetPort)"
            case .forwardedTCPIP: what = "forwarded-tcpip"
            default: what = "channel"
            }
            log.event("refused", ["conn": connection.id, "source": connection.source, "what": what])
            return child.eventLoop.makeFailedFuture(HallRefusal(what: what))
        }
        connection.lock.lock()
        let second = connection.sessionOpened || connection.badge == nil
        connection.sessionOpened = true
        connection.lock.unlock()
        if second {
            let what = "second session channel"
            log.event("refused", ["conn": connection.id, "source": connection.source, "what": what])
            return child.eventLoop.makeFailedFuture(HallRefusal(what: what))
        }
        return child.eventLoop.makeCompletedFuture {
            try child.pipeline.syncOperations.addHandler(SessionChannelHandler(server: self, connection: connection))
        }
    }

    static func describe(_ a: SocketAddress) -> String {
        switch a {
        case .v4: return "\(a.ipAddress ?? "?"):\(a.port ?? 0)"
        case .v6: return "[\(a.ipAddress ?? "?")]:\(a.port ?? 0)"
        default: return "\(a)"
        }
    }

    // MARK: Sessions

    /// Runs an officer's shell on its own thread. A second login of the same badge takes over:
    /// the first session is closed and finishes (its last save committed) before the new one
    /// opens the attempt, so answers can never be split between two sessions.
    func runSession(_ session: HallSession, finished: @escaping (Int) -> Void) {
        let thread = Thread { [self] in
            let entry = claim(session)
            persist(entry.row)
            session.onEvent = { [log] name, fields in
                var f = fields
                f["conn"] = session.connectionID
                f["badge"] = session.badge
                log.event(name, f)
            }
            session.onProgress = { [weak self, weak entry] p in
                guard let self, let entry else { return }
                self.progress(entry, p)
            }
            log.event(
                "session_start",
                [
                    "conn": session.connectionID, "badge": session.badge, "pty": session.interactive,
                    "lang": session.language.rawValue,
                ])
            if !session.isClosed { frontEnd.runShell(session) }
            let reason = session.closedBecause
            if let reason {
                let message = reason.message(session.language)
                if !message.isEmpty {
                    session.write((session.interactive ? "\r\n" : "\n") + message + (session.interactive ? "\r\n" : "\n"))
                }
            }
            release(entry, reason: reason)
            finished(0)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func claim(_ session: HallSession) -> LiveSession {
        let row = HallSessionRow(
            badge: session.badge, cycleID: nil, source: session.source, serverPID: getpid(), connectedAt: clock(),
            updatedAt: clock(), state: .connected)
        let entry = LiveSession(session: session, row: row)
        lock.lock()
        if let old = live[session.badge] {
            log.event(
                "takeover",
                ["badge": session.badge, "old_conn": old.session.connectionID, "new_conn": session.connectionID])
            old.session.close(.takeover)
            let deadline = Date().addingTimeInterval(10)
            while !old.done, Date() < deadline { _ = lock.wait(until: deadline) }
        }
        live[session.badge] = entry
        lock.unlock()
        return entry
    }

    private func release(_ entry: LiveSession, reason: HallCloseReason?) {
        lock.lock()
        entry.done = true
        let current = live[entry.session.badge] === entry
        if current { live[entry.session.badge] = nil }
        var row = entry.row
        lock.broadcast()
        lock.unlock()
        log.event(
            "session_end",
            ["conn": entry.session.connectionID, "badge": entry.session.badge, "reason": reason?.rawValue ?? "left"])
        // A takeover's new session owns the row now.
        guard current else { return }
        row.updatedAt = clock()
        if row.state == .connected { row.state = reason == .kicked ? .kicked : .disconnected }
        row.kickAt = nil
        persist(row)
    }

    private func progress(_ entry: LiveSession, _ p: HallProgress) {
        lock.lock()
        let before = entry.row
        entry.row.cycleID = p.cycleID
        entry.row.question = p.question
        entry.row.questionCount = p.questionCount
        entry.row.answered = p.answered
        entry.row.deadline = p.deadline
        if p.finished { entry.row.state = .finished }
        let changed = entry.row != before
        if changed { entry.row.updatedAt = clock() }
        let row = entry.row
        let current = live[row.badge] === entry
        lock.unlock()
        if changed, current { persist(row) }
    }

    /// Queues a session row for the next batched write (or writes it now when batching is off).
    private func persist(_ row: HallSessionRow) {
        lock.lock()
        dirty[row.badge] = row
        lock.unlock()
        if configuration.progressInterval <= 0 { flushSessionRows() }
    }

    private func flushSessionRows() {
        lock.lock()
        let rows = Array(dirty.values)
        dirty = [:]
        lock.unlock()
        do { try store.upsertHallSessions(rows) } catch {
            log.event("store_error", ["rows": rows.count, "detail": "\(error)"])
        }
    }

    private func pollKicks() {
        lock.lock()
        let badges = Array(live.keys)
        lock.unlock()
        guard !badges.isEmpty else { return }
        pool.runIfActive(eventLoop: group.next()) { [self] in
            let rows = (try? store.hallSessions()) ?? []
            for row in rows where row.kickAt != nil && row.state == .connected {
                lock.lock()
                let entry = live[row.badge]
                lock.unlock()
                guard let entry, !entry.session.isClosed else { continue }
                log.event("kick", ["badge": row.badge, "conn": entry.session.connectionID])
                entry.session.close(.kicked)
            }
        }.whenFailure { _ in }
    }

    // MARK: Stopping

    /// Stops gracefully: no new connections; every officer is told (in their language) that the
    /// hall is closing and their answers are saved; then every connection is closed.
    public func stop() {
        lock.lock()
        if stopping {
            lock.unlock()
            return
        }
        stopping = true
        let sessions = live.values.map(\.session)
        lock.unlock()
        log.event("stop", ["sessions": sessions.count])
        kickTask?.cancel()
        flushTask?.cancel()
        try? serverChannel?.close().wait()
        for s in sessions { s.close(.shutdown) }
        let deadline = Date().addingTimeInterval(configuration.stopGrace)
        lock.lock()
        while !live.isEmpty, Date() < deadline { _ = lock.wait(until: deadline) }
        let channels = Array(openConnections.values)
        lock.unlock()
        // Give the goodbye lines a moment to leave, then close everything.
        Thread.sleep(forTimeInterval: 0.2)
        let closes = channels.map { $0.close() }
        _ = try? EventLoopFuture.andAllComplete(closes, on: group.next()).wait()
        flushSessionRows()
        try? store.closeHallSessions(at: clock())
        try? pool.syncShutdownGracefully()
        try? loginPool.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
    }

    public var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return openConnections.count
    }

    public var liveBadges: [String] {
        lock.lock()
        defer { lock.unlock() }
        return live.keys.sorted()
    }
}
