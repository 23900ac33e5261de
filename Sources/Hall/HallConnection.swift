import Foundation
import NIOCore
import NIOPosix
import NIOSSH

/// One TCP connection: who it comes from, how many password tries it used, and who it became.
final class HallConnection: @unchecked Sendable {
    let id: Int
    let source: String
    let lock = NSLock()
    var passwordTries = 0
    var badge: String?
    var sessionOpened = false

    init(id: Int, source: String) {
        self.id = id
        self.source = source
    }

    var hasSession: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sessionOpened
    }

    var authenticatedBadge: String? {
        lock.lock()
        defer { lock.unlock() }
        return badge
    }
}

/// The SSH user-auth delegate of one connection: password (exam code) and public key. Checks run
/// on a thread pool, never on the event loop (a key derivation takes tens of milliseconds).
final class HallAuthDelegate: NIOSSHServerUserAuthenticationDelegate {
    let connection: HallConnection
    let gatekeeper: Gatekeeper
    let pool: NIOThreadPool
    let onTooManyTries: () -> Void

    init(connection: HallConnection, gatekeeper: Gatekeeper, pool: NIOThreadPool, onTooManyTries: @escaping () -> Void) {
        self.connection = connection
        self.gatekeeper = gatekeeper
        self.pool = pool
        self.onTooManyTries = onTooManyTries
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { [.password, .publicKey] }

    func requestReceived(
        request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>
    ) {
        let credential: Gatekeeper.Credential
        switch request.request {
        case .password(let p):
            connection.lock.lock()
            connection.passwordTries += 1
            let tries = connection.passwordTries
            connection.lock.unlock()
            if tries > gatekeeper.rules.triesPerConnection {
                responsePromise.succeed(.failure)
                onTooManyTries()
                return
            }
            credential = .code(p.password)
        case .publicKey(let k):
            credential = .key(k.publicKey)
        case .none, .hostBased:
            responsePromise.succeed(.failure)
            return
        }
        let badge = request.username
        let connection = self.connection
        let gatekeeper = self.gatekeeper
        let triesUsed = connection.passwordTries
        let limit = gatekeeper.rules.triesPerConnection
        let onTooMany = onTooManyTries
        pool.runIfActive(eventLoop: responsePromise.futureResult.eventLoop) {
            gatekeeper.check(badge: badge, credential: credential, source: connection.source, connection: connection.id)
        }.whenComplete { result in
            switch result {
            case .success(true):
                connection.lock.lock()
                connection.badge = badge
                connection.lock.unlock()
                responsePromise.succeed(.success)
            case .success(false), .failure:
                responsePromise.succeed(.failure)
                if case .code = credential, triesUsed >= limit { onTooMany() }
            }
        }
    }
}

/// Refuses (and logs) every global request: remote port forwarding (`ssh -R`) above all.
struct HallGlobalRequests: GlobalRequestDelegate {
    let log: HallLog
    let connection: HallConnection

    func tcpForwardingRequest(
        _ request: GlobalRequest.TCPForwardingRequest, handler: NIOSSHHandler,
        promise: EventLoopPromise<GlobalRequest.TCPForwardingResponse>
    ) {
        log.event("refused", ["conn": connection.id, "source": connection.source, "what": "tcpip-forward"])
        promise.fail(HallRefusal(what: "tcpip-forward"))
    }
}

/// Closes the connection on any error (garbage instead of the SSH banner, a protocol violation,
/// a reset) after logging it once.
final class HallErrorHandler: ChannelInboundHandler {
    typealias InboundIn = Any
    let log: HallLog
    let connection: HallConnection

    init(log: HallLog, connection: HallConnection) {
        self.log = log
        self.connection = connection
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        var fields: [String: Any] = ["conn": connection.id, "source": connection.source, "detail": "\(error)"]
        if let e = error as? NIOSSHError, e.type == .invalidPacketFormat, connection.authenticatedBadge != nil {
            // After login this is almost always an x11-req (ssh -X / -Y, or ForwardX11 in the
            // client's config): swift-nio-ssh 0.15.1 cannot parse its fields, so it cannot be
            // refused, only dropped with its connection. See docs/invigilator-guide.md.
            fields["hint"] = "x11-req? ask the officer to connect with ssh -x"
        }
        log.event("connection_error", fields)
        context.close(promise: nil)
    }
}

/// A refused channel or request (the peer sees only SSH's own failure reply).
struct HallRefusal: Error {
    var what: String
}
