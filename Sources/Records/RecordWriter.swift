import Crypto
import Foundation
import GRDB

/// The only way state changes: append a complete event to the chain and apply its projection to
/// the tables, in the caller's write transaction. Nothing writes a projected table directly.
struct RecordWriter {
    private var events: EventWriter
    private let projection: SQLiteProjection

    init(_ db: Database) throws {
        events = try EventWriter(db)
        projection = SQLiteProjection(db)
    }

    /// The state the projection reads, for checks before an event is written.
    var state: SQLiteProjection { projection }

    /// Appends the event and applies what it changes. `blobs` are the large values whose SHA-256
    /// the payload carries (see `blob(_:)`).
    @discardableResult
    mutating func record(
        _ type: EventType, atMillis: Int64, badge: String?, cycleID: String?, payload: CanonicalJSON, blobs: [Data] = []
    ) throws -> Int64 {
        let seq = try events.append(type.rawValue, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload.text)
        let event = RecordedEvent(seq: seq, atMillis: atMillis, type: type.rawValue, badge: badge, cycleID: cycleID, payload: payload)
        let p = try Projector.project(event, state: projection, legacy: false)
        var byHash: [String: Data] = [:]
        for b in blobs { byHash[Self.sha256(b)] = b }
        try projection.apply(p.changes, blobs: byHash)
        return seq
    }

    /// The head after the events appended so far in this transaction.
    var head: (seq: Int64, hash: String) { (events.seq, events.hash) }

    /// Appends an event prepared from `head` (`EventPipeline`) and applies what it changes.
    mutating func record(prepared e: PreparedEvent, atMillis: Int64) throws {
        try events.append(prepared: e, atMillis: atMillis)
        let event = RecordedEvent(seq: e.seq, atMillis: atMillis, type: e.type.rawValue, badge: e.badge, cycleID: nil, payload: e.payload)
        let p = try Projector.project(event, state: projection, legacy: false)
        try projection.apply(p.changes, blobs: [:])
    }

    mutating func finish() throws { try events.finish() }

    /// Appends one event exactly as given, with no projection (synthetic benchmark events only).
    mutating func appendUnprojected(_ type: String, atMillis: Int64, badge: String?, cycleID: String?, payload: String) throws {
        try events.append(type, atMillis: atMillis, badge: badge, cycleID: cycleID, payload: payload)
    }

    static func sha256(_ data: Data) -> String { EventHash.hex(SHA256.hash(data: data)) }
}
