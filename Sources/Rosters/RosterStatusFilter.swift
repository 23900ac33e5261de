import Foundation
import Records

/// `roster export --status`: the statuses of `CycleStatus` plus `not-completed` (anyone required
/// to train who has not completed) and `spot-checked`.
public enum RosterStatusFilter: String, Sendable, CaseIterable, Hashable {
    case notStarted = "not-started"
    case studying
    case passed
    case failed
    case completed
    case exempt
    case overdue
    case notCompleted = "not-completed"

    public func matches(_ r: RosterRow) -> Bool {
        switch (self, r.status) {
        case (.notStarted, .notStarted), (.studying, .studying), (.passed, .passed), (.failed, .failed),
            (.completed, .completed), (.exempt, .exempt), (.overdue, .overdue):
            true
        case (.notCompleted, .completed), (.notCompleted, .exempt): false
        case (.notCompleted, _): true
        default: false
        }
    }
}

extension RosterStatusFilter {
    /// The filters `--status` names: each value repeatable or comma-separated, blanks around a
    /// name ignored; `unknown` is the first name that is none of them.
    public static func parse(_ values: [String]) -> (filters: [RosterStatusFilter], unknown: String?) {
        let names = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return (names.compactMap(RosterStatusFilter.init(rawValue:)), names.first { RosterStatusFilter(rawValue: $0) == nil })
    }
}
