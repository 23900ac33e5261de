import Foundation
import Localization

/// Why the store could not be opened or a write was refused. Every case leaves the file untouched.
public enum StoreError: BilingualError, Equatable {
    case unreadable(path: String, detail: String)
    case notADatabase(path: String)
    case corrupt(path: String, detail: String)
    /// Written by a newer Academy: migrations this build does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A SQLite database, but another application's.
    case foreignDatabase(path: String)
    case unknownBadge(String)
    case unknownCycle(String)
    case duplicateCycle(String)
    case unknownAttempt(Int64)
    case attemptNotOpen(Int64)
    /// An answer arrived after the attempt's time limit.
    case attemptTimeUp(Int64)
    case invalid(field: String, detail: String)
    case sqlite(detail: String)
    /// An exemption for someone the cycle does not require.
    case notInPopulation(badge: String, cycleID: String)
    /// Revoking an exemption that does not exist.
    case notExempt(badge: String, cycleID: String)
    /// A command that reads the record refused a store whose tables do not match its chain.
    case notVerified(detail: BilingualText)
    /// A PostgreSQL server could not be reached, refused the login, lacks the database, or
    /// refused a statement (a permission or row-level-security denial among them).
    case server(target: String, detail: String)
    /// A copy or restore target that already holds records.
    case targetNotEmpty(target: String, events: Int64)

    public var message: BilingualText {
        switch self {
        case let .unreadable(path, detail):
            BilingualText(
                zh: "\(path): 无法读取数据库文件（\(detail)），未写入任何内容",
                en: "\(path): cannot read the database file (\(detail)); nothing was written")
        case let .notADatabase(path):
            BilingualText(
                zh: "\(path): 不是 SQLite 数据库文件，未写入任何内容",
                en: "\(path): not an SQLite database file; nothing was written")
        case let .corrupt(path, detail):
            BilingualText(
                zh: "\(path): 数据库文件已损坏（\(detail)），未写入任何内容",
                en: "\(path): the database file is corrupt (\(detail)); nothing was written")
        case let .newerSchema(path, unknown):
            BilingualText(
                zh: "\(path): 数据库由更新版本的 Academy 写入（未知迁移：\(unknown.joined(separator: ", "))），请升级后再使用；未写入任何内容",
                en:
                    "\(path): the database was written by a newer Academy (unknown migrations: \(unknown.joined(separator: ", "))); upgrade first; nothing was written"
            )
        case let .foreignDatabase(path):
            BilingualText(
                zh: "\(path): 这是其他程序的 SQLite 数据库，不是 Academy 数据库；未写入任何内容",
                en: "\(path): an SQLite database of another application, not an Academy database; nothing was written")
        case let .unknownBadge(badge):
            BilingualText(zh: "未找到执法证号 \(badge)", en: "no staff member with badge \(badge)")
        case let .unknownCycle(id):
            BilingualText(zh: "未找到培训周期 \(id)", en: "no training cycle \(id)")
        case let .duplicateCycle(id):
            BilingualText(zh: "培训周期 \(id) 已存在", en: "training cycle \(id) already exists")
        case let .unknownAttempt(id):
            BilingualText(zh: "未找到考试记录 #\(id)", en: "no attempt #\(id)")
        case let .attemptNotOpen(id):
            BilingualText(zh: "考试 #\(id) 已交卷，不能再修改", en: "attempt #\(id) is already submitted and cannot change")
        case let .attemptTimeUp(id):
            BilingualText(zh: "考试 #\(id) 已到时间，不能再保存答案", en: "attempt #\(id) is out of time; no more answers can be saved")
        case let .invalid(field, detail):
            BilingualText(zh: "\(field): \(detail)", en: "\(field): \(detail)")
        case let .sqlite(detail):
            BilingualText(zh: "数据库错误：\(detail)", en: "database error: \(detail)")
        case let .notInPopulation(badge, cycleID):
            BilingualText(
                zh: "\(badge) 不在培训周期 \(cycleID) 的培训范围内（部门、人员类别或在岗状态不符），无需免训",
                en: "\(badge) is not in the population of cycle \(cycleID) (department, role or status); there is nothing to exempt")
        case let .notExempt(badge, cycleID):
            BilingualText(zh: "\(badge) 在培训周期 \(cycleID) 中没有免训记录", en: "\(badge) is not exempt from cycle \(cycleID)")
        case let .notVerified(detail):
            BilingualText(
                zh: "数据库未通过 audit verify（\(detail.zh)），拒绝执行；请先查明原因",
                en: "the database does not pass audit verify (\(detail.en)); refusing to run until it is explained")
        case let .server(target, detail):
            BilingualText(zh: "\(target): \(detail)", en: "\(target): \(detail)")
        case let .targetNotEmpty(target, events):
            BilingualText(
                zh: "\(target): 目标数据库不是空的（已有 \(events) 个事件），拒绝复制；未写入任何内容",
                en: "\(target): the target already holds \(events) events; refusing to copy; nothing was written")
        }
    }
}

/// Why `startAttempt` refused. Each is a distinct case so the exam can explain it.
public enum AttemptRefusal: BilingualError, Equatable {
    case unknownBadge(String)
    case unknownCycle(String)
    case inactive(badge: String)
    case notInPopulation(badge: String, cycleID: String)
    case exempt(badge: String, cycleID: String, reason: String)
    case notOpenYet(cycleID: String, opens: CalendarDay)
    case closed(cycleID: String, due: CalendarDay)
    case attemptInProgress(attemptID: Int64)
    case noAttemptsLeft(used: Int, max: Int)

    public var message: BilingualText {
        switch self {
        case let .unknownBadge(b):
            BilingualText(zh: "未找到执法证号 \(b)", en: "no staff member with badge \(b)")
        case let .unknownCycle(c):
            BilingualText(zh: "未找到培训周期 \(c)", en: "no training cycle \(c)")
        case let .inactive(b):
            BilingualText(zh: "\(b) 已离岗，不能参加考试", en: "\(b) is inactive and cannot sit the exam")
        case let .notInPopulation(b, c):
            BilingualText(zh: "\(b) 不在培训周期 \(c) 的参训范围内", en: "\(b) is not in the population of cycle \(c)")
        case let .exempt(b, c, reason):
            BilingualText(
                zh: "\(b) 已免于培训周期 \(c)（\(reason)），无需考试", en: "\(b) is exempt from cycle \(c) (\(reason)); no exam is needed")
        case let .notOpenYet(c, opens):
            BilingualText(zh: "培训周期 \(c) 尚未开始（\(opens) 开始）", en: "cycle \(c) has not opened yet (opens \(opens))")
        case let .closed(c, due):
            BilingualText(zh: "培训周期 \(c) 已截止（截止日期 \(due)）", en: "cycle \(c) is closed (was due \(due))")
        case let .attemptInProgress(id):
            BilingualText(zh: "已有一场未交卷的考试（#\(id)），请继续该场考试", en: "an attempt is already in progress (#\(id)); resume it instead")
        case let .noAttemptsLeft(used, max):
            BilingualText(zh: "考试次数已用完（已用 \(used) 次，最多 \(max) 次）", en: "no attempts left (\(used) of \(max) used)")
        }
    }
}
