import ArgumentParser
import Exams
import Foundation
import Hall
import Localization
import Records

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

        /// The key (`HostKey.forHall`): the default one is created on first use.
        func load(_ database: DatabaseOptions) throws -> (key: HostKey, created: Bool, path: String) {
            try HostKey.forHall(explicit: hostKey, database: database.path)
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

        var configuration: HallConfiguration {
            get throws(UsageProblem) {
                try HallConfiguration(
                    listen: listen, maxConnections: maxConnections, handshakeTimeout: handshakeTimeout, idleWarn: idleWarn,
                    idleClose: idleClose)
            }
        }

        func validate() throws {
            do { _ = try configuration } catch { throw ValidationError(error.message(in: ParsingLanguage.value)) }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let (hostKey, created, keyPath) = try key.load(database)
            let loaded = try contentOptions.load(language)
            let content = try ExamContentCache.load(content: contentOptions.content) { (loaded.content, loaded.hasErrors) }
            let hall = try HallLaunch(
                configuration: try configuration, hostKey: hostKey, store: try database.open(), content: content,
                studyContent: loaded.content, cycleID: cycle, clock: clock.wall)
            let port = try hall.start(address: listen)
            for line in hall.openedLines(port: port, createdKey: created ? keyPath : nil) { print(line.text(in: language)) }
            fflush(nil)
            hall.waitAndStop()
            print(HallLaunch.closedLine.text(in: language))
        }
    }

    /// `academy hall status [--cycle C] [--watch] [--format json]`: the invigilator's view of the
    /// room (`HallStatusView`), read from the store the server writes (so it works from another shell).
    struct Status: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "考场实时状态 / Live status of the exam hall.",
            discussion: "显示在线考生、来源地址、进度、剩余时间、登录失败与已交卷人数。Shows who is connected, from where, progress, time left, failed logins and who finished.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "培训周期编号 / Cycle id.") var cycle: String?
        @Flag(help: "每 2 秒原地刷新，Ctrl-C 退出 / Refresh in place every 2 s.") var watch = false
        @Option(help: "text | json") var format: OutputFormat = .text
        @Option(help: "统计登录失败的时间范围（分钟）/ Count failed logins over the last N minutes.") var failuresMinutes = 60

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            let view = HallStatusView(cycleID: cycle, failuresMinutes: failuresMinutes)
            let render = { try view.render(store, json: format == .json, now: clock.now(), language: language) }
            if !watch { return print(try render()) }
            signal(SIGINT, SIG_DFL)
            while true {
                let text = try render()
                // Home, draw, clear what is left of the previous frame.
                print("\u{1B}[H" + text.replacingOccurrences(of: "\n", with: "\u{1B}[K\n") + "\u{1B}[K\u{1B}[J", terminator: "")
                fflush(nil)
                Thread.sleep(forTimeInterval: 2)
            }
        }
    }

    struct Kick: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "结束一名考生的连接（答案保留）/ End an officer's session; answers are kept.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "执法证号 / Badge.") var badge: String

        func run(in language: Language, clock: AcademyClock) throws {
            guard try database.open().requestHallKick(badge: badge, at: clock.now()) else {
                throw CommandExit(language.pick(zh: "\(badge) 当前未连接考场", en: "\(badge) is not connected to the hall"))
            }
            print(
                language.pick(
                    zh: "已通知考场结束 \(badge) 的连接（数秒内生效，答案保留）",
                    en: "asked the hall to end \(badge)'s session (within seconds; answers are kept)"))
        }
    }
}

extension HallCommand {
    /// `academy hall codes issue|reissue|revoke`: exam codes (the officers' hall passwords).
    struct Codes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考试码：发放、补发、作废 / Exam codes: issue, reissue, revoke.",
            subcommands: [Issue.self, Reissue.self, Revoke.self]
        )

        struct SlipOptions: ParsableArguments {
            @Option(name: .shortAndLong, help: "输出 slips.html（可打印裁剪）或 codes.csv；省略则打印到屏幕 / Write slips.html or codes.csv.")
            var output: String?
            @Option(help: "考场地址，印在通知单上 / Hall address printed on the slips (HOST or HOST:PORT).")
            var address: String?

            func validate() throws {
                if let output, !output.lowercased().hasSuffix(".html"), !output.lowercased().hasSuffix(".csv") {
                    throw ValidationError("-o: the file must end in .html or .csv / 输出文件应为 .html 或 .csv")
                }
            }
        }

        struct Issue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "为周期内尚无考试码的在岗人员发放考试码 / Issue codes to everyone in the cycle who has none.",
                discussion: "考试码只显示这一次；数据库中只保存慢速加盐散列。Codes are shown only now; the store keeps slow salted hashes only.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Option(help: "只发放给该部门及其下级 / Only this department subtree.") var department: String?
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open()
                let hostKey = try key.load(database).key
                let people = try HallCodeIssue.uncoded(in: store, cycleID: cycle, department: department)
                try Codes.issue(people, cycle: cycle, reissue: false, store: store, key: hostKey, slips: slips, clock, language)
            }
        }

        struct Reissue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废并重新发放指定人员的考试码 / Revoke and reissue the codes of the given badges.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String]
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open()
                let hostKey = try key.load(database).key
                let people = try HallCodeIssue.members(in: store, cycleID: cycle, badges: badges)
                try Codes.issue(people, cycle: cycle, reissue: true, store: store, key: hostKey, slips: slips, clock, language)
            }
        }

        struct Revoke: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废考试码（不指定人员则作废本周期全部）/ Revoke codes (all of the cycle's when no badge is given).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String] = []

            func run(in language: Language, clock: AcademyClock) throws {
                let revoked = try database.open()
                    .revokeHallCodes(cycleID: cycle, badges: badges.isEmpty ? nil : badges, at: clock.now())
                print(language.pick(zh: "已作废 \(revoked.count) 个考试码", en: "revoked \(revoked.count) code(s)"))
            }
        }

        /// Issues the codes and writes the slips (`HallCodeIssue.issue`), or shows them.
        static func issue(
            _ people: [StaffMember], cycle: String, reissue: Bool, store: any EducationStore, key hostKey: HostKey,
            slips: SlipOptions, _ clock: AcademyClock, _ language: Language
        ) throws {
            let shown = try HallCodeIssue.issue(
                people, cycleID: cycle, reissue: reissue, in: store, at: clock.now(), output: slips.output,
                address: slips.address ?? (ProcessInfo.processInfo.hostName + ":2222"), fingerprint: hostKey.fingerprint)
            if let shown { return print(shown, terminator: "") }
            print(
                language.pick(zh: "已发放 \(people.count) 个考试码，通知单：\(slips.output!)（请妥善保管，打印后删除）", en: "issued \(people.count) code(s); slips in \(slips.output!) (keep it safe; delete it after printing)"))
        }
    }
}
