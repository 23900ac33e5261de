import Foundation
import Localization
import Records

/// Why the exam service could not do what was asked, beyond the store's own refusals
/// (`AttemptRefusal`: unknown badge or cycle, inactive, exempt, closed, no attempts left …).
public enum ExamServiceError: BilingualError, Equatable {
    /// No cycle was named and none is open for the badge.
    case noOpenCycle(badge: String)
    /// No cycle was named and several are open for the badge.
    case severalOpenCycles(badge: String, cycleIDs: [String])
    case blueprintNotLoaded(cycleID: String, blueprintID: String)
    case courseNotLoaded(cycleID: String, courseID: String)
    case noStaffMember(badge: String)
    case unreadablePaper(attempt: Int, detail: String)
    /// The paper cannot be drawn or resolved against the content (pool too small, question gone).
    case content(BilingualText)

    public var message: BilingualText {
        switch self {
        case let .noOpenCycle(badge):
            BilingualText(
                zh: "\(badge) 当前没有进行中的培训周期；请用 --cycle 指定",
                en: "no training cycle is open for \(badge) now; name one with --cycle")
        case let .severalOpenCycles(badge, ids):
            BilingualText(
                zh: "\(badge) 同时属于多个进行中的培训周期（\(ids.joined(separator: "、"))）；请用 --cycle 指定",
                en: "\(badge) is in several open cycles (\(ids.joined(separator: ", "))); name one with --cycle")
        case let .blueprintNotLoaded(cycle, blueprint):
            BilingualText(
                zh: "培训周期 \(cycle) 的试卷蓝图 \(blueprint) 不在已加载的内容中",
                en: "cycle \(cycle) uses blueprint \(blueprint), which is not in the loaded content")
        case let .courseNotLoaded(cycle, course):
            BilingualText(
                zh: "培训周期 \(cycle) 的课程 \(course) 不在已加载的内容中",
                en: "cycle \(cycle) uses course \(course), which is not in the loaded content")
        case let .noStaffMember(badge):
            BilingualText(zh: "没有执法证号为 \(badge) 的人员", en: "no staff member with badge \(badge)")
        case let .unreadablePaper(n, detail):
            BilingualText(
                zh: "无法读取第 \(n) 次考试保存的试卷：\(detail)",
                en: "cannot read the stored paper of attempt \(n): \(detail)")
        case let .content(text):
            text
        }
    }
}
