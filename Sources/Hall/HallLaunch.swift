import Courseware
import Exams
import Foundation
import Localization
import Records
import TextViews

#if canImport(Glibc)
    import Glibc
#endif

/// `hall serve` without the command line: the exam service over the store and content, the
/// officers' front end (with each cycle's completion rule), and the SSH server, stopped by
/// SIGTERM or SIGINT.
public final class HallLaunch {
    public let server: HallServer

    public enum Failure: BilingualError {
        case unknownCycle(String)
        case cannotListen(address: String, reason: String)

        public var message: BilingualText {
            switch self {
            case .unknownCycle(let c): BilingualText(zh: "未找到培训周期 \(c)", en: "no training cycle \(c)")
            case .cannotListen(let a, let r): BilingualText(zh: "无法监听 \(a)：\(r)", en: "cannot listen on \(a): \(r)")
            }
        }
    }

    /// Refuses a `cycleID` the store does not have (`Failure.unknownCycle`).
    public init(
        configuration: HallConfiguration, hostKey: HostKey, store: any EducationStore, content: ExamContent,
        studyContent: ContentSet, cycleID: String?, clock: WallClock, log: HallLog = HallLog()
    ) throws {
        if let cycleID, try store.cycle(id: cycleID) == nil { throw Failure.unknownCycle(cycleID) }
        var rules: [String: CompletionRule] = [:]
        for c in try store.cycles() { rules[c.id] = CompletionRule(cycle: c, content: studyContent) }
        let service = ExamService(store: store, content: content, clock: clock, startClock: .system)
        let frontEnd = OfficerFrontEnd(
            exams: service, studyContent: studyContent, cycleID: cycleID, rules: rules,
            recordText: { record, json, language in
                json ? TextFormat.json(RecordView.json(record)) : RecordView.text(record, language: language)
            })
        server = HallServer(
            configuration: configuration, hostKey: hostKey, store: store, frontEnd: frontEnd, log: log,
            clock: { clock.now() })
    }

    /// Installs the stop signals, then binds and starts accepting; returns the bound port. Any
    /// failure is `Failure.cannotListen` naming `address` (as the administrator wrote it).
    public func start(address: String) throws -> Int {
        // SIGTERM / SIGINT go through a self-pipe read on the caller's thread: nothing else (no
        // dispatch queue that a busy pool could starve) has to run for the hall to stop.
        stopPipe = HallStopSignal.install()
        do { return try server.start() } catch {
            throw Failure.cannotListen(address: address, reason: "\(error)")
        }
    }

    /// What `hall serve` says once the hall is open on `port`: where a new host key was made (when
    /// `createdKey` names it), the address, and the key's fingerprint to post at the door.
    public func openedLines(port: Int, createdKey: String?) -> [BilingualText] {
        let host = server.configuration.host
        return (createdKey.map { [BilingualText(zh: "已生成主机密钥：\($0)", en: "created host key: \($0)")] } ?? []) + [
            BilingualText(zh: "考场已开放：\(host):\(port)", en: "exam hall open: \(host):\(port)"),
            BilingualText(zh: "主机密钥指纹（请张贴在考场门口）：", en: "host key fingerprint (post it at the door): ")
                + server.hostKey.fingerprint,
        ]
    }

    /// What `hall serve` says when it has stopped.
    public static let closedLine = BilingualText(zh: "考场已关闭；所有答案均已保存。", en: "exam hall closed; every answer is saved.")

    /// Blocks until SIGTERM or SIGINT, then stops the server gracefully (every answer is saved).
    public func waitAndStop() {
        HallStopSignal.wait(stopPipe)
        server.stop()
    }

    private var stopPipe: Int32 = -1
}

/// The self-pipe the stop signals write to. Only async-signal-safe calls in the handler.
enum HallStopSignal {
    nonisolated(unsafe) static var writeEnd: Int32 = -1

    static func install() -> Int32 {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return -1 }
        writeEnd = fds[1]
        signal(SIGPIPE, SIG_IGN)
        for sig in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                var b = UInt8(truncatingIfNeeded: sig)
                _ = write(HallStopSignal.writeEnd, &b, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(sig, &action, nil)
        }
        return fds[0]
    }

    /// Blocks until SIGTERM or SIGINT arrives.
    static func wait(_ fd: Int32) {
        var b: UInt8 = 0
        while true {
            let n = read(fd, &b, 1)
            if n == 1 || (n < 0 && errno != EINTR) || n == 0 { return }
        }
    }
}
