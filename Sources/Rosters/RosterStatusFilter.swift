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
