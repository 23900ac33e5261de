import ArgumentParser
import Foundation
import Hall
import Localization
import Records
import StaffFiles
import TextViews

/// `academy staff import|list|show`: the department's staff list.
struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "人员名单：导入、列表、查看 / Staff list: import, list, show.",
        subcommands: [Import.self, List.self, Show.self, Key.self]
    )

    struct Import: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "从 CSV 或 XLSX 导入人员（全部成功或全部不导入） / Import staff from CSV or XLSX, all or nothing.",
            discussion: """
                表头 / headers: 执法证号/badge, 姓名/name, 所属部门/department, 人员类别/role (执法人员/officer | 协管人员/assistant), \
                状态/status (在岗/active | 离岗/inactive, optional).
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "CSV (UTF-8, UTF-8 with BOM, GB18030) or XLSX file.") var file: String
        @Flag(help: "将名单中缺失的在岗人员标记为离岗 / Mark active people missing from the file inactive.") var markMissingInactive = false

        func run(in language: Language, clock: AcademyClock) throws {
            let inputs = try StaffSheetParser.rows(contentsOf: URL(fileURLWithPath: file))
            let store = try database.open()
            let s = try store.importStaff(inputs, markMissingInactive: markMissingInactive, source: file, at: clock.now())
            print(
                language.pick(zh: "已导入 \(file)：新增 \(s.added)，更新 \(s.updated)，未变 \(s.unchanged)，标记离岗 \(s.markedInactive)，名单外保留 \(s.missingKept)（写入 \(s.events) 个事件）", en: "imported \(file): \(s.added) added, \(s.updated) updated, \(s.unchanged) unchanged, \(s.markedInactive) marked inactive, \(s.missingKept) missing kept (\(s.events) events)"))
        }
    }

    struct List: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "列出人员 / List staff.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "只列出该部门及其下级 / Only this department subtree.") var department: String?
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            let staff = try database.open().staffList(department: department)
            print(AdminViews.staff(staff, json: format == .json, language: language))
        }
    }

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "查看一名人员 / Show one person.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "执法证号 / Badge.") var badge: String
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            guard let m = try database.open().staffMember(badge: badge) else { throw StoreError.unknownBadge(badge) }
            print(AdminViews.staffMember(m, json: format == .json, language: language))
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension StaffCommand {
    /// `academy staff key add BADGE --file id_ed25519.pub`: lets an officer log in to the exam
    /// hall with an SSH key instead of an exam code.
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考场 SSH 公钥 / SSH public keys for the exam hall.",
            subcommands: [Add.self]
        )

        struct Add: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "登记一把 SSH 公钥（记入事件链）/ Register an SSH public key (recorded in the event chain).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "执法证号 / Badge.") var badge: String
            @Option(help: "公钥文件，如 id_ed25519.pub / Public key file, e.g. id_ed25519.pub.") var file: String

            func run(in language: Language, clock: AcademyClock) throws {
                let key = try OfficerPublicKey(contentsOfFile: file)
                let store = try database.open()
                guard try store.staffMember(badge: badge) != nil else { throw AttemptRefusal.unknownBadge(badge) }
                let added = try store.addHallKey(
                    HallKey(badge: badge, fingerprint: key.fingerprint, publicKey: key.line, addedAt: clock.now()))
                print(
                    added
                        ? language.pick(zh: "已登记 \(badge) 的公钥 \(key.fingerprint)", en: "registered key \(key.fingerprint) for \(badge)")
                        : language.pick(zh: "\(badge) 已登记过该公钥 \(key.fingerprint)", en: "\(badge) already has key \(key.fingerprint)"))
            }
        }
    }
}
