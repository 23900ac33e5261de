import ArgumentParser
import Foundation
import Localization
import Records
import TextViews

/// `academy cycle create|list|show|exempt`: training cycles.
struct CycleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "培训周期：创建、列表、查看、免训 / Training cycles: create, list, show, exempt.",
        subcommands: [Create.self, List.self, Show.self, Exempt.self, Unexempt.self]
    )

    struct Create: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建培训周期 / Create a training cycle.",
            discussion: """
                周期窗口为 [开始日 00:00, 截止日 23:59:59]，按创建时的本地时区（TZ）计算。参训人员按当前名单实时计算。
                The window is [opens 00:00, due 23:59:59] in the local time zone (TZ) at creation. The population is evaluated live.
                """
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "周期编号 / Cycle id, e.g. 2018-spring-festival.") var id: String
        @Option(parsing: .unconditional, help: "标题 / Title.") var title: String
        @Option(help: "课程编号 / Course id.") var course: String
        @Option(help: "试卷蓝图编号 / Exam blueprint id.") var blueprint: String
        @Option(help: "参训部门（含下级，可重复；省略为全部） / Department subtree, repeatable; all when omitted.") var department: [String] = []
        @Option(help: "人员类别 officer|assistant（可重复；省略为全部） / Role, repeatable; all when omitted.") var role: [String] = []
        @Option(help: "开始日期 / Opening date YYYY-MM-DD.") var opens: String
        @Option(help: "截止日期 / Due date YYYY-MM-DD.") var due: String
        @Flag(help: "允许窗口已结束的周期（补录历史，如 2018 年春节前培训）/ Allow a window that is already over (recording history).")
        var allowPast = false
        @OptionGroup var content: ContentOptions
        @Flag(help: "不检查课程和蓝图是否存在（没有内容可读时）/ Do not check --course and --blueprint against content (when none is available).")
        var unchecked = false

        var request: CycleRequest {
            CycleRequest(
                id: id, title: title, course: course, blueprint: blueprint, departments: department, roles: role, opens: opens,
                due: due, allowPast: allowPast)
        }

        func validate() throws {
            if let problem = request.usageProblem { throw ValidationError(problem) }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let request = request
            let cycle = try request.cycle(timeZoneID: try TrainingCycle.zoneFromEnvironment().get(), createdAt: clock.now())
            if !unchecked {
                guard let catalog = try content.catalogIfPresent(language) else { throw request.noContent }
                try request.checkContent(hasCourse: { catalog.courses[$0] != nil }, hasBlueprint: { catalog.blueprints[$0] != nil })
            }
            let size = try request.create(cycle, in: try database.open(), now: clock.now())
            print(language.pick(zh: "已创建培训周期 \(id)（当前参训 \(size) 人）", en: "created cycle \(id) (population now \(size))"))
        }
    }

    struct List: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "列出培训周期 / List cycles.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            print(AdminViews.cycles(try database.open().cycles(), json: format == .json, language: language))
        }
    }

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "查看培训周期及各状态人数 / Show a cycle with status counts.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "周期编号 / Cycle id.") var id: String
        @Option(help: "text | json") var format: OutputFormat = .text
        @OptionGroup var content: ContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            guard let cycle = try store.cycle(id: id) else { throw StoreError.unknownCycle(id) }
            let now = clock.now()
            let rule = try content.catalogIfPresent(language).flatMap { $0.rule(for: cycle) }
            let overview = try CycleOverview(cycle, store: store, rule: rule, now: now)
            print(AdminViews.cycle(overview, json: format == .json, language: language))
        }
    }

    struct Exempt: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "准予免训 / Exempt a person from a cycle.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "周期编号 / Cycle id.") var id: String
        @Option(help: "执法证号 / Badge.") var badge: String
        /// Free text may start with "-" ("-借调市局专班"): the value after the option is taken as is.
        @Option(parsing: .unconditional, help: "免训原因（可以 - 开头）/ Reason (may start with -).") var reason: String
        @Option(parsing: .unconditional, help: "批准人 / Granted by.") var by: String

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            try store.exempt(cycleID: id, badge: badge, reason: reason, grantedBy: by, at: clock.now())
            print(
                language.pick(zh: "已准予 \(badge) 免于培训周期 \(id)：\(reason)（批准人：\(by)）", en: "\(badge) is exempt from cycle \(id): \(reason) (granted by \(by))"))
        }
    }

    struct Unexempt: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "撤销免训 / Revoke an exemption.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "周期编号 / Cycle id.") var id: String
        @Option(help: "执法证号 / Badge.") var badge: String
        @Option(help: "撤销原因 / Reason.") var reason: String
        @Option(help: "批准人 / Revoked by.") var by: String

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            try store.revokeExemption(cycleID: id, badge: badge, reason: reason, revokedBy: by, at: clock.now())
            print(
                language.pick(zh: "已撤销 \(badge) 在培训周期 \(id) 的免训：\(reason)（批准人：\(by)）", en: "\(badge)'s exemption from cycle \(id) is revoked: \(reason) (by \(by))"))
        }
    }
}
