import Foundation
import NIOSSH
import Records

/// Whether an officer who proved who they are may enter now. The exam service decides
/// (active, not exempt, an open attempt or an open cycle to start one in).
public enum HallAdmission: Sendable, Equatable {
    case admitted
    /// Why not, for the invigilator's log only; the officer sees the generic refusal.
    case refused(String)
}

/// Throttling rules. Defaults follow the issue: 3 password tries per connection; 5 failures for
/// one badge within 15 minutes lock it for 15 minutes; a source address with more than
/// `sourceFailures` failures within `sourceWindow` is refused without checking for
/// `sourceBlock`.
public struct HallThrottleRules: Sendable {
    public var triesPerConnection = 3
    public var badgeFailures = 5
    public var badgeWindow: TimeInterval = 15 * 60
    public var badgeLock: TimeInterval = 15 * 60
    public var sourceFailures = 30
    public var sourceWindow: TimeInterval = 60
    public var sourceBlock: TimeInterval = 60
    public var codeRounds = ExamCode.defaultRounds
    public init() {}
}

/// Failures per source address, in memory (a restart forgets them; badge locks live in the store).
final class SourceThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private var blockedUntil: [String: Date] = [:]
    let rules: HallThrottleRules

    init(rules: HallThrottleRules) { self.rules = rules }

    func isBlocked(_ host: String, now: Date) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let until = blockedUntil[host] {
            if until > now { return true }
            blockedUntil[host] = nil
        }
        return false
    }

    func fail(_ host: String, now: Date) {
        lock.lock()
        defer { lock.unlock() }
        var list = failures[host, default: []].filter { now.timeIntervalSince($0) < rules.sourceWindow }
        list.append(now)
        if list.count > rules.sourceFailures {
            blockedUntil[host] = now.addingTimeInterval(rules.sourceBlock)
            list.removeAll()
        }
        failures[host] = list.isEmpty ? nil : list
        // Bound the table: forget the oldest hosts when a scan sends thousands of addresses.
        if failures.count > 10_000 { failures.removeAll() }
    }
}

/// Decides logins. Every refusal looks the same to the client (a plain SSH auth failure) and
/// costs the same time: a badge with no code still pays for one key derivation.
public final class Gatekeeper: @unchecked Sendable {
    let store: any HallStore
    let rules: HallThrottleRules
    let admit: @Sendable (String) -> HallAdmission
    let clock: @Sendable () -> Date
    let log: HallLog
    let sources: SourceThrottle

    public init(
        store: any HallStore, rules: HallThrottleRules, clock: @escaping @Sendable () -> Date, log: HallLog,
        admit: @escaping @Sendable (String) -> HallAdmission
    ) {
        self.store = store
        self.rules = rules
        self.admit = admit
        self.clock = clock
        self.log = log
        self.sources = SourceThrottle(rules: rules)
    }

    public enum Credential: Sendable {
        case code(String)
        case key(NIOSSHPublicKey)
    }

    /// Checks a credential. Blocking (a key derivation and store reads): call off the event loop.
    public func check(badge rawBadge: String, credential: Credential, source: String, connection: Int) -> Bool {
        let now = clock()
        let badge = String(rawBadge.prefix(64))
        let host = Self.host(of: source)
        func refuse(_ reason: String, count: Bool = true) -> Bool {
            if count {
                do { try store.recordHallFailure(badge: badge, source: source, reason: reason, at: now) } catch {
                    log.event("store_error", ["conn": connection, "detail": "\(error)"])
                }
                sources.fail(host, now: now)
            }
            log.event("login_failed", ["conn": connection, "source": source, "badge": badge, "reason": reason])
            return false
        }
        switch credential {
        case .code(let typed):
            if sources.isBlocked(host, now: now) {
                ExamCode.dummyCheck(typed, rounds: rules.codeRounds)
                return refuse("source throttled", count: false)
            }
            let recent = (try? store.hallFailureCount(badge: badge, since: now.addingTimeInterval(-rules.badgeWindow))) ?? 0
            if recent >= rules.badgeFailures {
                ExamCode.dummyCheck(typed, rounds: rules.codeRounds)
                return refuse("badge locked")
            }
            let codes = (try? store.hallCodes(badge: badge)) ?? []
            if codes.isEmpty {
                ExamCode.dummyCheck(typed, rounds: rules.codeRounds)
                return refuse("no code for this badge")
            }
            guard codes.contains(where: { ExamCode.matches(typed, $0) }) else { return refuse("wrong code") }
        case .key(let key):
            let keys = (try? store.hallKeys(badge: badge)) ?? []
            let allowed = keys.contains { (try? NIOSSHPublicKey(openSSHPublicKey: $0.publicKey)) == key }
            // An unknown key is an offer, not a guess: OpenSSH tries each key it has before
            // asking for a password, so it is neither counted nor logged as a failure.
            if !allowed { return false }
            let recent = (try? store.hallFailureCount(badge: badge, since: now.addingTimeInterval(-rules.badgeWindow))) ?? 0
            if recent >= rules.badgeFailures { return refuse("badge locked") }
        }
        switch admit(badge) {
        case .admitted:
            log.event(
                "login",
                [
                    "conn": connection, "source": source, "badge": badge,
                    "method": { if case .key = credential { return "publickey" } else { return "password" } }(),
                ])
            return true
        case .refused(let why):
            return refuse(why)
        }
    }

    /// `1.2.3.4` from `1.2.3.4:5678`, `::1` from `[::1]:5678`.
    static func host(of source: String) -> String {
        if source.hasPrefix("["), let end = source.firstIndex(of: "]") {
            return String(source[source.index(after: source.startIndex)..<end])
        }
        if let colon = source.lastIndex(of: ":"), source.filter({ $0 == ":" }).count == 1 {
            return String(source[..<colon])
        }
        return source
    }
}
