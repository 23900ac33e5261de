import Foundation
import Localization
import XMLSupport

/// What `cycle create` asks for, checked in the order the command reports problems: the values
/// themselves (usage), the cycle's rules, the content's course and blueprint, the staff list's
/// departments and the window; then the cycle is created.
public struct CycleRequest: Sendable {
    public var id: String
    public var title: String
    public var course: String
    public var blueprint: String
    public var departments: [String]
    /// `officer` / `assistant` (or their Chinese names), as given.
    public var roles: [String]
    public var opens: String
    public var due: String
    /// A window that is already over is allowed (recording history).
    public var allowPast: Bool

    public init(
        id: String, title: String, course: String, blueprint: String, departments: [String], roles: [String], opens: String,
        due: String, allowPast: Bool
    ) {
        (self.id, self.title, self.course, self.blueprint) = (id, title, course, blueprint)
        (self.departments, self.roles, self.opens, self.due, self.allowPast) = (departments, roles, opens, due, allowPast)
    }

    /// A refusal of `cycle create` (exit 1), in both languages.
    public struct Refusal: BilingualError {
        public var message: BilingualText
    }

    /// The first value that is not even well formed (a usage error), as the bilingual line shown.
    public var usageProblem: String? {
        if CalendarDay(opens) == nil { return "--opens: not a date YYYY-MM-DD: \(opens) / 日期格式应为 YYYY-MM-DD" }
        if CalendarDay(due) == nil { return "--due: not a date YYYY-MM-DD: \(due) / 日期格式应为 YYYY-MM-DD" }
        for r in roles where StaffRole(spreadsheetValue: r) == nil {
            return "--role: unknown role \(r); use officer or assistant / 人员类别应为 officer 或 assistant"
        }
        return nil
    }

    /// The cycle as given, or the first rule it breaks (the store checks the same rules).
    /// `usageProblem` must be nil.
    public func cycle(timeZoneID: String, createdAt: Date) throws(StoreError) -> TrainingCycle {
        let roles = Set(roles.compactMap(StaffRole.init(spreadsheetValue:))).sorted { $0.rawValue < $1.rawValue }
        let cycle = TrainingCycle(
            id: id, title: title, courseID: course, blueprintID: blueprint, departments: departments, roles: roles,
            opens: CalendarDay(opens)!, due: CalendarDay(due)!, timeZoneID: timeZoneID, createdAt: createdAt)
        if let violation = cycle.ruleViolation() { throw violation }
        return cycle
    }

    /// The course and blueprint must be in the content; without content (nil) the ids cannot be
    /// checked, which is refused rather than accepting a typo silently.
    public func checkContent(hasCourse: (String) -> Bool, hasBlueprint: (String) -> Bool) throws(Refusal) {
        if !hasCourse(course) {
            throw Refusal(zh: "--course: 内容中没有课程 \(course)", en: "--course: no course \(course) in the content")
        }
        if !hasBlueprint(blueprint) {
            throw Refusal(zh: "--blueprint: 内容中没有试卷蓝图 \(blueprint)", en: "--blueprint: no blueprint \(blueprint) in the content")
        }
    }

    /// The refusal when no content is found to check the course and blueprint against.
    public var noContent: Refusal {
        Refusal(
            zh: "--course: 找不到内容（Courses/、QuestionBank/、--content 或 ACADEMY_CONTENT），无法核对课程 \(course) 和蓝图 \(blueprint)；请在项目根目录运行或给出 --content（确需跳过核对时加 --unchecked）",
            en: "--course: no content found (Courses/, QuestionBank/, --content or ACADEMY_CONTENT) to check course \(course) and blueprint \(blueprint) against; run from the project root or give --content (or --unchecked to skip the check)")
    }

    /// Creates `cycle` (from `cycle(timeZoneID:createdAt:)`) after checking that every department
    /// is one the staff list knows (a typo would give an empty population) and, unless
    /// `allowPast`, that the window is not over at `now`. Returns the population now.
    public func create(_ cycle: TrainingCycle, in store: any EducationStore, now: Date) throws -> Int {
        let known = Set(try store.departments())
        for d in departments.map(DepartmentPath.normalize) where !d.isEmpty && !known.contains(d) {
            let name = InputQuote.clip(d, limit: 80)
            throw Refusal(
                zh: "--department: 人员名单中没有部门“\(name)”（先导入人员名单；用 staff list 查看现有部门）",
                en: "--department: no department '\(name)' in the staff list (import staff first; staff list shows the departments)")
        }
        if !allowPast, cycle.windowEnd <= now {
            throw Refusal(
                zh: "培训周期 \(id) 的窗口已于 \(due) 结束；补录历史周期请加 --allow-past",
                en: "the window of cycle \(id) ended on \(due); add --allow-past to record a past cycle")
        }
        try store.createCycle(cycle)
        return try store.population(cycleID: id, department: nil).count
    }
}

extension CycleRequest.Refusal {
    init(zh: String, en: String) { message = BilingualText(zh: zh, en: en) }
}
