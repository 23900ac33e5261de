import Courseware
import Foundation
import Records

/// Whether an officer may sit the exam now, decided without starting anything: the question
/// the exam hall asks at login. Mirrors the store's attempt policy (`startAttempt`): known,
/// active, in the cycle's population, not exempt, and either an open attempt to resume or the
/// cycle open and attempts left.
public enum ExamAdmission: Equatable, Sendable {
    case admitted(cycleID: String, resume: Bool)
    case refused(AttemptRefusalReason)
}

/// Why not, for the invigilator's log (an officer only ever sees a generic refusal).
public enum AttemptRefusalReason: String, Equatable, Sendable {
    case unknownBadge = "unknown badge"
    case inactive
    case exempt
    case notInPopulation = "not in population"
    case noOpenCycle = "no open cycle"
    case severalOpenCycles = "several open cycles"
    case cycleNotOpen = "cycle not open"
    case noAttemptsLeft = "no attempts left"
    case blueprintNotLoaded = "blueprint not loaded"
}

extension ExamService {
    public func admission(badge: String, cycleID: String?) -> ExamAdmission {
        let now = clock.now()
        do {
            guard let member = try store.staffMember(badge: badge) else { return .refused(.unknownBadge) }
            guard member.status == .active else { return .refused(.inactive) }
            let cycle: TrainingCycle
            do {
                cycle = try CycleResolver.resolve(store: store, badge: badge, cycleID: cycleID, now: now)
            } catch ExamServiceError.severalOpenCycles {
                return .refused(.severalOpenCycles)
            } catch {
                return .refused(.noOpenCycle)
            }
            if try store.exemption(cycleID: cycle.id, badge: badge) != nil { return .refused(.exempt) }
            if try store.openAttempt(badge: badge, cycleID: cycle.id) != nil {
                return .admitted(cycleID: cycle.id, resume: true)
            }
            guard cycle.covers(department: member.department, role: member.role) else {
                return .refused(.notInPopulation)
            }
            guard cycle.isWithinWindow(now) else { return .refused(.cycleNotOpen) }
            guard let blueprint = content.blueprint(cycle.blueprintID) else { return .refused(.blueprintNotLoaded) }
            let used = try store.attempts(badge: badge, cycleID: cycle.id).count
            guard used < blueprint.maxAttempts else { return .refused(.noAttemptsLeft) }
            return .admitted(cycleID: cycle.id, resume: false)
        } catch {
            return .refused(.noOpenCycle)
        }
    }
}
