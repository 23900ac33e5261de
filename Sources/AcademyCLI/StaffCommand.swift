import ArgumentParser
import Foundation
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
        @Flag(help: "将名单中缺失的在岗人员标记为离岗 / Mark active people missing from the file inactive.")
        var markMissingInactive = false

        func run(in language: Language, clock: AcademyClock) throws {
            let inputs = try RecordsCLI.run(language) { try StaffSheetParser.read(contentsOf: URL(fileURLWithPath: file)) }
            let store = try database.open(language)
            let s = try RecordsCLI.run(language) {
                try store.importStaff(inputs, markMissingInactive: markMissingInactive, source: file, at: clock.now())
            }
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
            let store = try database.open(language)
            let staff = try RecordsCLI.run(language) { try store.staffList(department: department) }
            switch format {
            case .json:
                print(TextFormat.json(staff.map(RecordView.json)))
            case .text:
                if staff.isEmpty {
                    print(language.pick(zh: "（没有人员）", en: "(no staff)"))
                    return
                }
                let header =
                    (language == .zhHans)
                    ? ["执法证号", "姓名", "人员类别", "状态", "所属部门"] : ["badge", "name", "role", "status", "department"]
                print(
                    TextFormat.table(
                        [header]
                            + staff.map {
                                [
                                    $0.badge, $0.name, language.pick(zh: $0.role.chinese, en: $0.role.rawValue),
                                    language.pick(zh: $0.status.chinese, en: $0.status.rawValue), $0.department,
                                ]
                            }))
                print(language.pick(zh: "共 \(staff.count) 人", en: "\(staff.count) people"))
            }
        }
    }

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "查看一名人员 / Show one person.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "执法证号 / Badge.") var badge: String
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            guard let m = try RecordsCLI.run(language, { try store.staffMember(badge: badge) }) else {
                throw RecordsCLI.failure(StoreError.unknownBadge(badge), language)
            }
            switch format {
            case .json: print(TextFormat.json(RecordView.json(m)))
            case .text:
                let zh = (language == .zhHans)
                print(
                    TextFormat.table([
                        [zh ? "执法证号" : "badge", m.badge],
                        [zh ? "姓名" : "name", m.name],
                        [zh ? "所属部门" : "department", m.department],
                        [zh ? "人员类别" : "role", zh ? m.role.chinese : m.role.rawValue],
                        [zh ? "状态" : "status", zh ? m.status.chinese : m.status.rawValue],
                        [zh ? "首次导入" : "joined", TextFormat.dateTime(m.joinedAt)],
                        [zh ? "离岗时间" : "left", TextFormat.dateTime(m.leftAt)],
                    ]))
            }
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
