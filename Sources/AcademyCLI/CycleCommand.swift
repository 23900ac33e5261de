import ArgumentParser
import Foundation
import Localization
import Records
import TextViews
import XMLSupport

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
        @Option(help: "参训部门（含下级，可重复；省略为全部） / Department subtree, repeatable; all when omitted.")
        var department: [String] = []
        @Option(help: "人员类别 officer|assistant（可重复；省略为全部） / Role, repeatable; all when omitted.")
        var role: [String] = []
        @Option(help: "开始日期 / Opening date YYYY-MM-DD.") var opens: String
        @Option(help: "截止日期 / Due date YYYY-MM-DD.") var due: String
        @Flag(help: "允许窗口已结束的周期（补录历史，如 2018 年春节前培训）/ Allow a window that is already over (recording history).")
        var allowPast = false
        @OptionGroup var content: RecordsContentOptions
        @Flag(
            help:
                "不检查课程和蓝图是否存在（没有内容可读时）/ Do not check --course and --blueprint against content (when none is available)."
        )
        var unchecked = false

        func validate() throws {
            guard CalendarDay(opens) != nil else {
                throw ValidationError("--opens: not a date YYYY-MM-DD: \(opens) / 日期格式应为 YYYY-MM-DD")
            }
            guard CalendarDay(due) != nil else {
                throw ValidationError("--due: not a date YYYY-MM-DD: \(due) / 日期格式应为 YYYY-MM-DD")
            }
            for r in role where StaffRole(spreadsheetValue: r) == nil {
                throw ValidationError("--role: unknown role \(r); use officer or assistant / 人员类别应为 officer 或 assistant")
            }
        }

        /// The cycle as given, or the first rule it breaks (the store checks the same rules).
        func cycle(timeZoneID: String, now: Date, _ language: Language) throws -> TrainingCycle {
            let roles = role.compactMap(StaffRole.init(spreadsheetValue:))
            let cycle = TrainingCycle(
                id: id, title: title, courseID: course, blueprintID: blueprint,
                departments: department, roles: Array(Set(roles)).sorted { $0.rawValue < $1.rawValue },
                opens: CalendarDay(opens)!, due: CalendarDay(due)!, timeZoneID: timeZoneID, createdAt: now)
            if let violation = cycle.ruleViolation() { throw RecordsCLI.failure(violation, language) }
            return cycle
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let zone: String
            switch TrainingCycle.zoneFromEnvironment() {
            case .success(let z): zone = z
            case .failure(let e): throw RecordsCLI.failure(e, language)
            }
            let cycle = try cycle(timeZoneID: zone, now: clock.now(), language)
            let loaded = unchecked ? nil : try content.catalogIfPresent(language)
            if loaded == nil && !unchecked {
                // Without content, ids cannot be checked: refuse rather than accept a typo silently.
                throw RecordsCLI.failure(
                    StoreError.invalid(
                        field: "--course",
                        detail: language.pick(zh: "找不到内容（Courses/、QuestionBank/、--content 或 ACADEMY_CONTENT），无法核对课程 \(course) 和蓝图 \(blueprint)；请在项目根目录运行或给出 --content（确需跳过核对时加 --unchecked）", en: "no content found (Courses/, QuestionBank/, --content or ACADEMY_CONTENT) to check course \(course) and blueprint \(blueprint) against; run from the project root or give --content (or --unchecked to skip the check)")), language)
            }
            if let catalog = loaded {
                if catalog.courses[course] == nil {
                    throw RecordsCLI.failure(
                        StoreError.invalid(
                            field: "--course", detail: language.pick(zh: "内容中没有课程 \(course)", en: "no course \(course) in the content"))
                    , language)
                }
                if catalog.blueprints[blueprint] == nil {
                    throw RecordsCLI.failure(
                        StoreError.invalid(
                            field: "--blueprint",
                            detail: language.pick(zh: "内容中没有试卷蓝图 \(blueprint)", en: "no blueprint \(blueprint) in the content")), language)
                }
            }
            let store = try database.open(language)
            // A department must be one the staff list knows (a typo would give an empty population).
            let known = Set(try RecordsCLI.run(language) { try store.departments() })
            for d in department.map(DepartmentPath.normalize) where !d.isEmpty && !known.contains(d) {
                throw RecordsCLI.failure(
                    StoreError.invalid(
                        field: "--department",
                        detail: language.pick(zh: "人员名单中没有部门“\(InputQuote.clip(d, limit: 80))”（先导入人员名单；用 staff list 查看现有部门）", en: "no department '\(InputQuote.clip(d, limit: 80))' in the staff list (import staff first; staff list shows the departments)")), language)
            }
            if !allowPast, cycle.windowEnd <= clock.now() {
                throw CommandExit(
                    language.pick(zh: "培训周期 \(id) 的窗口已于 \(due) 结束；补录历史周期请加 --allow-past", en: "the window of cycle \(id) ended on \(due); add --allow-past to record a past cycle"))
            }
            try RecordsCLI.run(language) { try store.createCycle(cycle) }
            let size = try RecordsCLI.run(language) { try store.population(cycleID: id, department: nil).count }
            print(language.pick(zh: "已创建培训周期 \(id)（当前参训 \(size) 人）", en: "created cycle \(id) (population now \(size))"))
        }
    }

    struct List: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "列出培训周期 / List cycles.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "text | json") var format: OutputFormat = .text

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            let cycles = try RecordsCLI.run(language) { try store.cycles() }
            if format == .json {
                print(TextFormat.json(cycles.map(RecordView.json)))
                return
            }
            if cycles.isEmpty {
                print(language.pick(zh: "（没有培训周期）", en: "(no cycles)"))
                return
            }
            let zh = (language == .zhHans)
            print(
                TextFormat.table(
                    [zh ? ["编号", "开始", "截止", "课程", "蓝图", "标题"] : ["id", "opens", "due", "course", "blueprint", "title"]]
                        + cycles.map { [$0.id, $0.opens.description, $0.due.description, $0.courseID, $0.blueprintID, $0.title] })
            )
        }
    }

    struct Show: LocalizedCommand {
        static let configuration = CommandConfiguration(abstract: "查看培训周期及各状态人数 / Show a cycle with status counts.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "周期编号 / Cycle id.") var id: String
        @Option(help: "text | json") var format: OutputFormat = .text
        @OptionGroup var content: RecordsContentOptions

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            guard let cycle = try RecordsCLI.run(language, { try store.cycle(id: id) }) else { throw RecordsCLI.failure(StoreError.unknownCycle(id), language) }
            let now = clock.now()
            let rule = try content.catalogIfPresent(language).flatMap { $0.rule(for: cycle) }
            let population = try RecordsCLI.run(language) { try store.population(cycleID: id, department: nil).count }
            let counts = try rule.map { r in try RecordsCLI.run(language) { try store.statusCounts(cycleID: id, rule: r, now: now) } }
            let exemptions = try RecordsCLI.run(language) { try store.exemptions(cycleID: id).count }
            if format == .json {
                var obj = RecordView.json(cycle)
                obj["population"] = population
                obj["exempt"] = exemptions
                obj["statusCounts"] =
                    counts.map { c in Dictionary(uniqueKeysWithValues: CycleStatus.allKeys.map { ($0, c[$0] ?? 0) }) } ?? NSNull()
                print(TextFormat.json(obj))
                return
            }
            let zh = (language == .zhHans)
            let window = "\(cycle.opens) 00:00 – \(cycle.due) 23:59:59 (\(cycle.timeZoneID))"
            var rows: [[String]] = [
                [zh ? "编号" : "id", cycle.id], [zh ? "标题" : "title", cycle.title],
                [zh ? "课程" : "course", cycle.courseID], [zh ? "试卷蓝图" : "blueprint", cycle.blueprintID],
                [
                    zh ? "参训部门" : "departments",
                    cycle.departments.isEmpty ? (zh ? "全部" : "all") : cycle.departments.joined(separator: "; "),
                ],
                [
                    zh ? "人员类别" : "roles",
                    cycle.roles.isEmpty
                        ? (zh ? "全部" : "all") : cycle.roles.map { zh ? $0.chinese : $0.rawValue }.joined(separator: ", "),
                ],
                [zh ? "时间窗口" : "window", window],
                [zh ? "当前参训人数" : "population now", String(population)],
            ]
            if let counts {
                for key in CycleStatus.allKeys {
                    rows.append(["  " + RecordView.statusLabel(key).text(in: language), String(counts[key] ?? 0)])
                }
            } else {
                rows.append([
                    zh ? "状态统计" : "status counts",
                    zh
                        ? "（未找到课程 \(cycle.courseID) 或蓝图 \(cycle.blueprintID) 的内容，无法计算）"
                        : "(course \(cycle.courseID) or blueprint \(cycle.blueprintID) not found in the content; cannot compute)",
                ])
                rows.append([zh ? "免训" : "exempt", String(exemptions)])
            }
            print(TextFormat.table(rows))
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
            let store = try database.open(language)
            try RecordsCLI.run(language) { try store.exempt(cycleID: id, badge: badge, reason: reason, grantedBy: by, at: clock.now()) }
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
            let store = try database.open(language)
            try RecordsCLI.run(language) {
                try store.revokeExemption(cycleID: id, badge: badge, reason: reason, revokedBy: by, at: clock.now())
            }
            print(
                language.pick(zh: "已撤销 \(badge) 在培训周期 \(id) 的免训：\(reason)（批准人：\(by)）", en: "\(badge)'s exemption from cycle \(id) is revoked: \(reason) (by \(by))"))
        }
    }
}
