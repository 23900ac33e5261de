import Courseware
import Foundation
import Records

/// The officer's study progress in a cycle: which course applies, which of its lessons and case
/// studies are finished, and recording that one was read to its end. Takes the store, the
/// content and the clock as values; the cycle is resolved exactly as for the exam.
public struct StudyService {
    public let store: any EducationStore
    public let content: ContentSet
    public let clock: WallClock

    public init(store: any EducationStore, content: ContentSet, clock: WallClock) {
        self.store = store
        self.content = content
        self.clock = clock
    }

    public func open(badge: String, cycleID: String?) throws -> StudyProgress {
        let cycle = try CycleResolver.resolve(store: store, badge: badge, cycleID: cycleID, now: clock.now())
        guard let member = try store.staffMember(badge: badge) else { throw ExamServiceError.noStaffMember(badge: badge) }
        guard let course = content.course(cycle.courseID) else {
            throw ExamServiceError.courseNotLoaded(cycleID: cycle.id, courseID: cycle.courseID)
        }
        let finished = Set(try store.finishedItems(badge: badge, cycleID: cycle.id).map(\.itemID))
        return StudyProgress(store: store, clock: clock, member: member, cycle: cycle, course: course, finished: finished)
    }
}

/// One officer's progress through one cycle's course.
public final class StudyProgress {
    public let member: StaffMember
    public let cycle: TrainingCycle
    public let course: Course
    /// Ids of the items already read to their end.
    public private(set) var finished: Set<String>
    let store: any EducationStore
    let clock: WallClock

    init(
        store: any EducationStore, clock: WallClock, member: StaffMember, cycle: TrainingCycle, course: Course,
        finished: Set<String>
    ) {
        self.store = store
        self.clock = clock
        self.member = member
        self.cycle = cycle
        self.course = course
        self.finished = finished
    }

    /// Records that the officer reached the end of `itemID` (committed before it returns).
    /// Returns false when it was already recorded.
    @discardableResult
    public func recordFinished(_ itemID: String) throws -> Bool {
        let recorded = try store.recordItemFinished(
            badge: member.badge, cycleID: cycle.id, itemID: itemID, at: clock.now())
        if recorded { finished.insert(itemID) }
        return recorded
    }
}
