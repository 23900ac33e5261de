import ArgumentParser
import Foundation
import Localization
import Records

/// `academy db copy|grant`: moving a whole store between backends, and the shared server's roles.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "数据库：在 SQLite 与 PostgreSQL 之间整体复制、授予区县角色 / Database: copy a whole store between backends, grant county roles.",
        subcommands: [Copy.self, Grant.self]
    )

    struct Copy: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "整体复制一个存储（任一方向）/ Copy a whole store, either direction.",
            discussion: """
                SRC 与 DST 写法同 --db：SQLite 文件路径或 postgres:// 地址。源库须通过 audit verify；目标库须为空；\
                全部在一个事务内完成（要么全部写入，要么什么都不写）；完成后目标库通过 audit verify 且链头相同。
                SRC and DST are written as --db is: a SQLite file path or a postgres:// URL. The source must pass \
                audit verify; the target must be empty; the copy is one transaction (all or nothing); afterwards the \
                target passes audit verify with the same head.
                """)
        @Option(help: ArgumentHelp("源存储 / Source store.", valueName: "SRC")) var from: String
        @Option(help: ArgumentHelp("目标存储（须为空）/ Target store (must be empty).", valueName: "DST")) var to: String

        func run(in language: Language, clock: AcademyClock) throws {
            let source = try RecordsCLI.run(language) { try openEducationStore(from) }
            let target = try RecordsCLI.run(language) { try openEducationStore(to) }
            let started = Date()
            let head = try RecordsCLI.run(language) {
                try StoreCopy.copy(from: source, to: target) { p in
                    let pct = p.totalEvents > 0 ? Double(p.events) * 100 / Double(p.totalEvents) : 100
                    Stderr.line(
                        language.pick(zh: "已复制 \(p.events)/\(p.totalEvents) 个事件（\(String(format: "%.0f", pct))%）", en: "copied \(p.events)/\(p.totalEvents) events (\(String(format: "%.0f", pct))%)"))
                }
            }
            let seconds = Date().timeIntervalSince(started)
            print(
                language.pick(zh: "复制完成：\(head.seq) 个事件，链头 \(head.hash)，目标库校验通过（\(String(format: "%.1f", seconds)) 秒）", en: "copied: \(head.seq) events, head \(head.hash), target verified (\(String(format: "%.1f", seconds)) s)"))
        }
    }

    struct Grant: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建或更新只能访问某部门及其下级的 PostgreSQL 登录角色 / Create or update a PostgreSQL login role confined to a department subtree.",
            discussion: """
                以市级角色（表的所有者）运行，--db 为 postgres:// 地址。限制由 PostgreSQL 行级安全策略执行，不在应用中。\
                密码取自 --password-file；未给出时随机生成并只显示这一次。
                Run as the city role (the tables' owner), with --db a postgres:// URL. PostgreSQL row-level security \
                enforces the limit, not the application. The password comes from --password-file; without one a \
                random password is generated and shown this once.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: ArgumentHelp("部门路径，如 江苏省/南京市/玄武区 / Department path.", valueName: "PATH")) var department: String
        @Option(help: ArgumentHelp("登录角色名 / Login role name.", valueName: "NAME")) var role: String
        @Option(help: ArgumentHelp("含密码的文件（第一行）/ File whose first line is the password.", valueName: "FILE"))
        var passwordFile: String?

        func run(in language: Language, clock: AcademyClock) throws {
            var password: String?
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
                    let first = text.split(whereSeparator: \.isNewline).first, !first.isEmpty
                else {
                    throw RecordsCLI.failure(StoreError.invalid(field: passwordFile, detail: "no password on its first line / 第一行没有密码"), language)
                }
                password = String(first)
            }
            let store = try database.open(language)
            guard let pg = store as? PostgresEducationStore else {
                throw RecordsCLI.failure(StoreError.invalid(field: "--db", detail: "db grant needs a postgres:// URL / 需要 postgres:// 地址"), language)
            }
            let generated = try RecordsCLI.run(language) { try pg.grant(department: department, role: role, password: password) }
            print(
                language.pick(zh: "已授权：角色 \(role) 只能读写 \(DepartmentPath.normalize(department)) 及其下级", en: "granted: role \(role) reads and writes only \(DepartmentPath.normalize(department)) and below"))
            if let generated { print(language.pick(zh: "密码（只显示这一次）：", en: "password (shown once): ") + generated) }
        }
    }
}
