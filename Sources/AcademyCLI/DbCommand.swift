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
            let source = try openEducationStore(from)
            let target = try openEducationStore(to)
            let started = ContinuousClock.now
            let head = try StoreCopy.copy(from: source, to: target) { Stderr.line($0.message.text(in: language)) }
            print(StoreCopy.summary(head, elapsed: ContinuousClock.now - started).text(in: language))
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
            let password = try passwordFile.map { path throws(StoreError) in try PostgresEducationStore.grantPassword(inFile: path) }
            guard let pg = try database.open() as? PostgresEducationStore else {
                throw StoreError.invalid(field: "--db", detail: "db grant needs a postgres:// URL / 需要 postgres:// 地址")
            }
            let generated = try pg.grant(department: department, role: role, password: password)
            print(
                language.pick(zh: "已授权：角色 \(role) 只能读写 \(DepartmentPath.normalize(department)) 及其下级", en: "granted: role \(role) reads and writes only \(DepartmentPath.normalize(department)) and below"))
            if let generated { print(language.pick(zh: "密码（只显示这一次）：", en: "password (shown once): ") + generated) }
        }
    }
}
