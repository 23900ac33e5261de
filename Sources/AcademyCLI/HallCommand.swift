import ArgumentParser
import CourseLoading
import Exams
import Foundation
import Hall
import Localization
import Records
import TextViews

#if canImport(Glibc)
    import Glibc
#endif

/// `academy hall serve|codes|status|kick`: the SSH exam hall.
struct HallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hall",
        abstract: "考场：通过 SSH 集中考试 / The exam hall: officers sit the exam over SSH.",
        subcommands: [Serve.self, Codes.self, Status.self, Kick.self]
    )

    struct HostKeyOption: ParsableArguments {
        @Option(name: .customLong("host-key"), help: "主机密钥文件（默认在数据库旁）/ Host key file (default: beside the database).")
        var hostKey: String?

        func path(_ database: DatabaseOptions) -> String { hostKey ?? HostKey.defaultPath(database: database.path) }

        /// Loads the key; the default one is created on first use. A bad key exits 1 with the reason.
        func load(_ database: DatabaseOptions, _ language: Language) -> (HostKey, created: Bool, path: String) {
            let p = path(database)
            do {
                let (key, created) = try HostKey.loadOrCreate(path: p, createIfMissing: hostKey == nil)
                return (key, created, p)
            } catch {
                Stderr.line(language.pick(zh: "主机密钥不可用：", en: "host key refused: ") + "\(error)")
                Foundation.exit(1)
            }
        }
    }

    struct Serve: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "开放考场（SSH 服务）/ Open the exam hall (an SSH server).",
            discussion: """
                考生：ssh 执法证号@主机 -p 2222，口令为考试码（或已登记的 SSH 公钥）。
                Officers: ssh BADGE@host -p 2222 with their exam code as the password (or a registered SSH key).
                SIGTERM / SIGINT 平稳关闭：通知每位考生答案已保存，5 秒内退出。Graceful stop on SIGTERM / SIGINT.
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var contentOptions: ContentOptions
        @OptionGroup var key: HostKeyOption
        @Option(help: "监听地址 / Listen address ADDR:PORT.") var listen = "0.0.0.0:2222"
        @Option(help: "培训周期编号 / Training cycle id.") var cycle: String?
        @Option(help: "最大并发连接数 / Max concurrent connections.") var maxConnections = 1000
        @Option(help: "无操作提醒（秒）/ Idle warning after seconds.") var idleWarn: Double = 25 * 60
        @Option(help: "无操作断开（秒）/ Idle close after seconds.") var idleClose: Double = 30 * 60
        @Option(help: "SSH 握手与登录时限（秒）/ Handshake and login timeout, seconds.") var handshakeTimeout: Double = 30

        func validate() throws {
            guard parseListenAddress(listen) != nil else {
                throw ValidationError("--listen: expected ADDR:PORT, e.g. 0.0.0.0:2222 / 格式应为 地址:端口")
            }
            guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
            guard idleWarn > 0, idleClose > idleWarn else {
                throw ValidationError("--idle-warn must be positive and below --idle-close")
            }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let (hostKey, created, keyPath) = key.load(database, language)
            let loaded = try contentOptions.load(language)
            let content = try ExamContentCache.load(
                files: try? ContentLoader.expand(paths: ContentLocator.paths(contentOptions.content)),
                directory: ExamTakeCommand.cacheDirectory, load: { (loaded.content, loaded.hasErrors) })
            let store = try database.open(language)
            if let cycle, try RecordsCLI.run(language, { try store.cycle(id: cycle) }) == nil {
                Stderr.line(language.pick(zh: "未找到培训周期 \(cycle)", en: "no training cycle \(cycle)"))
                throw ExitCode(1)
            }
            var rules: [String: CompletionRule] = [:]
            for c in try RecordsCLI.run(language, { try store.cycles() }) { rules[c.id] = CompletionRule(cycle: c, content: loaded.content) }
            let (host, port) = parseListenAddress(listen)!
            var config = HallConfiguration()
            config.host = host
            config.port = port
            config.maxConnections = maxConnections
            config.handshakeTimeout = handshakeTimeout
            config.limits.idleWarnSeconds = idleWarn
            config.limits.idleCloseSeconds = idleClose
            let wall = clock.wall
            let service = ExamService(store: store, content: content, clock: wall, startClock: .system)
            let frontEnd = OfficerFrontEnd(
                exams: service, studyContent: loaded.content, cycleID: cycle, rules: rules,
                recordText: { record, json, language in
                    json ? TextFormat.json(RecordView.json(record)) : RecordView.text(record, language: language)
                })
            let server = HallServer(
                configuration: config, hostKey: hostKey, store: store, frontEnd: frontEnd, log: HallLog(), clock: { wall.now() })
            // SIGTERM / SIGINT go through a self-pipe read on this thread: nothing else (no
            // dispatch queue that a busy pool could starve) has to run for the hall to stop.
            let stopPipe = HallStopSignal.install()
            let bound: Int
            do { bound = try server.start() } catch {
                Stderr.line(language.pick(zh: "无法监听 \(listen)：\(error)", en: "cannot listen on \(listen): \(error)"))
                throw ExitCode(1)
            }
            if created {
                print(language.pick(zh: "已生成主机密钥：\(keyPath)", en: "created host key: \(keyPath)"))
            }
            print(language.pick(zh: "考场已开放：\(host):\(bound)", en: "exam hall open: \(host):\(bound)"))
            print(language.pick(zh: "主机密钥指纹（请张贴在考场门口）：", en: "host key fingerprint (post it at the door): ") + hostKey.fingerprint)
            fflush(nil)
            HallStopSignal.wait(stopPipe)
            server.stop()
            print(language.pick(zh: "考场已关闭；所有答案均已保存。", en: "exam hall closed; every answer is saved."))
        }
    }

    struct Kick: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "结束一名考生的连接（答案保留）/ End an officer's session; answers are kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "执法证号 / Badge.") var badge: String

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            if try RecordsCLI.run(language, { try store.requestHallKick(badge: badge, at: clock.now()) }) {
                print(
                    language.pick(
                        zh: "已通知考场结束 \(badge) 的连接（数秒内生效，答案保留）",
                        en: "asked the hall to end \(badge)'s session (within seconds; answers are kept)"))
            } else {
                Stderr.line(language.pick(zh: "\(badge) 当前未连接考场", en: "\(badge) is not connected to the hall"))
                throw ExitCode(1)
            }
        }
    }
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
