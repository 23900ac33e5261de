import Foundation

/// A stored exam-hall code: only its slow salted hash (the code itself is never stored).
public struct HallCodeHash: Sendable, Hashable {
    public var cycleID: String
    public var badge: String
    public var salt: Data
    public var hash: Data
    public var rounds: Int
    public var issuedAt: Date

    public init(cycleID: String, badge: String, salt: Data, hash: Data, rounds: Int, issuedAt: Date) {
        self.cycleID = cycleID
        self.badge = badge
        self.salt = salt
        self.hash = hash
        self.rounds = rounds
        self.issuedAt = issuedAt
    }
}

/// An SSH public key allowed to log in as a badge.
public struct HallKey: Sendable, Hashable {
    public var badge: String
    /// `SHA256:…` as OpenSSH prints it.
    public var fingerprint: String
    /// The `ssh-ed25519 AAAA…` line, without its comment.
    public var publicKey: String
    public var addedAt: Date

    public init(badge: String, fingerprint: String, publicKey: String, addedAt: Date) {
        self.badge = badge
        self.fingerprint = fingerprint
        self.publicKey = publicKey
        self.addedAt = addedAt
    }
}

/// One failed login, as the invigilator sees it.
public struct HallFailure: Sendable, Hashable {
    public var at: Date
    /// What the client sent as the user name (cut to 64 characters).
    public var badge: String
    public var source: String
    /// Why, for the invigilator only (the client is only ever told the generic refusal).
    public var reason: String
}

/// The live state of one officer's hall session, written by the server, read by `hall status`.
public struct HallSessionRow: Sendable, Hashable {
    public enum State: String, Sendable { case connected, disconnected, finished, kicked }
    public var badge: String
    public var cycleID: String?
    public var source: String
    public var serverPID: Int32
    public var connectedAt: Date
    public var updatedAt: Date
    public var state: State
    /// 1-based current question, when in the exam.
    public var question: Int?
    public var questionCount: Int?
    public var answered: Int?
    public var deadline: Date?
    /// Set by `hall kick`; the server ends the session when it sees it.
    public var kickAt: Date?

    public init(
        badge: String, cycleID: String?, source: String, serverPID: Int32, connectedAt: Date, updatedAt: Date,
        state: State, question: Int? = nil, questionCount: Int? = nil, answered: Int? = nil, deadline: Date? = nil,
        kickAt: Date? = nil
    ) {
        self.badge = badge
        self.cycleID = cycleID
        self.source = source
        self.serverPID = serverPID
        self.connectedAt = connectedAt
        self.updatedAt = updatedAt
        self.state = state
        self.question = question
        self.questionCount = questionCount
        self.answered = answered
        self.deadline = deadline
        self.kickAt = kickAt
    }
}

/// What the exam hall keeps in the store: codes and keys (each change an event in the chain, the
/// rows its projection, rebuilt and compared by `audit verify`), failed logins and live sessions
/// (operational rows outside the record, shared between the server and `hall status`).
public protocol HallStore: Sendable {
    /// Replaces the codes of the given badges in one transaction, one `hall.code.issued` event each.
    func issueHallCodes(_ codes: [HallCodeHash], reissue: Bool, at: Date) throws
    /// Removes the codes of `badges` (all of the cycle's when nil); one `hall.code.revoked` event
    /// each. Returns the badges whose code was revoked.
    @discardableResult
    func revokeHallCodes(cycleID: String, badges: [String]?, at: Date) throws -> [String]
    func hallCodes(badge: String) throws -> [HallCodeHash]
    func hallCodeCount(cycleID: String) throws -> Int

    /// Adds a key (a `staff.key.added` event); false when that key was already there.
    @discardableResult
    func addHallKey(_ key: HallKey) throws -> Bool
    func hallKeys(badge: String) throws -> [HallKey]

    func recordHallFailure(badge: String, source: String, reason: String, at: Date) throws
    func hallFailureCount(badge: String, since: Date) throws -> Int
    func hallFailures(since: Date) throws -> [HallFailure]

    /// Writes session rows in one transaction (the server batches them: one commit for many
    /// officers' progress). A pending kick survives unless the row is a new connection.
    func upsertHallSessions(_ rows: [HallSessionRow]) throws
    func hallSessions() throws -> [HallSessionRow]
    func hallSession(badge: String) throws -> HallSessionRow?
    /// Asks the server to end the badge's session. False when no session is connected.
    func requestHallKick(badge: String, at: Date) throws -> Bool
    /// Marks every connected session disconnected (a server starting anew after a crash, or stopping).
    func closeHallSessions(at: Date) throws
}
