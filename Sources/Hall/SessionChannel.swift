import Foundation
import Localization
import NIOCore
import NIOSSH
import TerminalUI

/// The handler of an SSH "session" channel. Accepts pty-req, window-change, env LANG/LC_*,
/// shell and the documented exec commands; refuses everything else (subsystems such as sftp,
/// other exec commands, other env names; x11-req and auth-agent-req are refused by NIOSSH as
/// unknown requests). Nothing here ever starts a process: there is no path to a shell.
final class SessionChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = SSHChannelData
    typealias InboundOut = Never
    typealias OutboundIn = Never
    typealias OutboundOut = SSHChannelData

    let server: HallServer
    let connection: HallConnection
    private var environment: [String: String] = [:]
    private var pty: (width: Int, height: Int)?
    private var started = false
    private var session: HallSession?

    init(server: HallServer, connection: HallConnection) {
        self.server = server
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: true).whenFailure { _ in }
    }

    private func reply(_ context: ChannelHandlerContext, _ ok: Bool, wantReply: Bool) {
        guard wantReply else { return }
        if ok {
            context.channel.triggerUserOutboundEvent(ChannelSuccessEvent(), promise: nil)
        } else {
            context.channel.triggerUserOutboundEvent(ChannelFailureEvent(), promise: nil)
        }
    }

    private func refuse(_ context: ChannelHandlerContext, _ what: String, wantReply: Bool) {
        server.log.event("refused", ["conn": connection.id, "source": connection.source, "what": what])
        reply(context, false, wantReply: wantReply)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let e as SSHChannelRequestEvent.EnvironmentRequest:
            let allowed = e.name == "LANG" || e.name.hasPrefix("LC_")
            if allowed, !started, e.value.utf8.count <= 256, environment.count < 32 {
                environment[e.name] = e.value
                reply(context, true, wantReply: e.wantReply)
            } else {
                refuse(context, "env \(e.name.prefix(64))", wantReply: e.wantReply)
            }
        case let e as SSHChannelRequestEvent.PseudoTerminalRequest:
            if started {
                refuse(context, "pty-req after start", wantReply: e.wantReply)
            } else {
                pty = (max(1, min(e.terminalCharacterWidth, 1000)), max(1, min(e.terminalRowHeight, 1000)))
                reply(context, true, wantReply: e.wantReply)
            }
        case let e as SSHChannelRequestEvent.WindowChangeRequest:
            session?.deliverResize(
                width: min(e.terminalCharacterWidth, 1000), height: min(e.terminalRowHeight, 1000))
        case let e as SSHChannelRequestEvent.ShellRequest:
            guard !started else { return refuse(context, "second shell", wantReply: e.wantReply) }
            started = true
            reply(context, true, wantReply: e.wantReply)
            startShell(context)
        case let e as SSHChannelRequestEvent.ExecRequest:
            guard !started, let command = HallExecCommand(e.command) else {
                return refuse(context, "exec \(e.command.prefix(64))", wantReply: e.wantReply)
            }
            started = true
            reply(context, true, wantReply: e.wantReply)
            startExec(context, command)
        case let e as SSHChannelRequestEvent.SubsystemRequest:
            refuse(context, "subsystem \(e.subsystem.prefix(64))", wantReply: e.wantReply)
        case let e as SSHChannelRequestEvent.SignalRequest:
            server.log.event("refused", ["conn": connection.id, "what": "signal \(e.signal.prefix(16))"])
        case let e as SSHChannelRequestEvent.LocalFlowControlRequest:
            _ = e
        case ChannelEvent.inputClosed:
            // EOF from the client (ssh -T with input from a pipe): pending input is still read first.
            session?.endInput()
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(var buffer) = message.data, message.type == .channel else { return }
        guard let session else { return }  // input before shell/exec is dropped
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { session.deliver(bytes) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        session?.close(.clientGone)
        context.fireChannelInactive()
    }

    /// The session's own language, chosen once from the client's environment (`LC_ALL`,
    /// `LC_MESSAGES`, `LANG`): the same rule as the command line.
    private func language() -> Language { Language.fromEnvironment(environment) }

    private func makeSession(_ context: ChannelHandlerContext, badge: String, interactive: Bool) -> HallSession {
        let channel = context.channel
        let size = pty ?? (80, 24)
        let s = HallSession(
            badge: badge, source: connection.source, language: language(), interactive: interactive,
            width: size.width, height: size.height, limits: server.configuration.limits, connectionID: connection.id,
            clock: server.clock
        ) { bytes, done in
            channel.eventLoop.execute {
                var buffer = channel.allocator.buffer(capacity: bytes.count)
                buffer.writeBytes(bytes)
                channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(buffer))).whenComplete { _ in
                    done()
                }
            }
        }
        session = s
        return s
    }

    private func startShell(_ context: ChannelHandlerContext) {
        guard let badge = connection.authenticatedBadge else {
            context.close(promise: nil)
            return
        }
        let s = makeSession(context, badge: badge, interactive: pty != nil)
        let channel = context.channel
        server.runSession(s) { exitStatus in
            Self.finish(channel, exitStatus: exitStatus)
        }
    }

    private func startExec(_ context: ChannelHandlerContext, _ command: HallExecCommand) {
        guard let badge = connection.authenticatedBadge else {
            context.close(promise: nil)
            return
        }
        let s = makeSession(context, badge: badge, interactive: false)
        let channel = context.channel
        let frontEnd = server.frontEnd
        let log = server.log
        let conn = connection
        Thread.detachNewThread {
            switch command {
            case .record(let json):
                log.event("exec", ["conn": conn.id, "badge": badge, "command": json ? "record --json" : "record"])
                var text = frontEnd.record(badge: badge, json: json, language: s.language)
                if !text.hasSuffix("\n") { text += "\n" }
                s.write(text)
            }
            Self.finish(channel, exitStatus: 0)
        }
    }

    /// Sends the exit status and closes the channel once everything written has left.
    static func finish(_ channel: Channel, exitStatus: Int) {
        channel.eventLoop.execute {
            channel.writeAndFlush(SSHChannelData(type: .channel, data: .byteBuffer(channel.allocator.buffer(capacity: 0))))
                .whenComplete { _ in
                    channel.triggerUserOutboundEvent(SSHChannelRequestEvent.ExitStatus(exitStatus: exitStatus))
                        .whenComplete { _ in
                            channel.close(mode: .output, promise: nil)
                            channel.close(promise: nil)
                            // One session per connection: a client that stays connected after it
                            // ended is closed shortly after (OpenSSH leaves on its own).
                            if let parent = channel.parent {
                                parent.eventLoop.scheduleTask(in: .seconds(2)) { parent.close(promise: nil) }
                            }
                        }
                }
        }
    }
}
