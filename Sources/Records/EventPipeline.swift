import Foundation

/// An event whose canonical payload text and chain hash were computed ahead of its append, from
/// the head it names (`seq` follows `prevHash`'s event). The recorder appends it only if that is
/// still its head, then projects it as any other event.
struct PreparedEvent: Sendable {
    var type: EventType
    var badge: String?
    var payload: CanonicalJSON
    var text: String
    var seq: Int64
    var prevHash: String
    var hash: String
}

/// Prepares a bulk write's events on a second thread while the caller appends and projects them:
/// the producer pulls events from `source` (a staff import plan) and computes each one's canonical
/// text and hash, chained from `head`; the caller takes them in order, a chunk at a time. Hashing
/// and JSON writing were a third of a staff import's work, done one after the other with the
/// inserts. The chain is the same: each hash is `EventHash.compute` over the same bytes, and
/// the recorder refuses an event that does not follow its head.
final class EventPipeline: @unchecked Sendable {
    typealias Source = () -> (type: EventType, badge: String?, payload: CanonicalJSON)?

    private let source: Source
    private let atMillis: Int64
    private let condition = NSCondition()
    private var chunks: [[PreparedEvent]] = []
    /// Chunks the caller is done with, released on the producer's thread: freeing each event's
    /// payload was a tenth of the writing thread's work, and the producer has time to spare.
    private var spent: [[PreparedEvent]] = []
    private var finished = false
    /// The caller has taken the last chunk.
    private var drained = false
    private var cancelled = false
    private let stopped = DispatchSemaphore(value: 0)
    private var head: (seq: Int64, hash: String)

    static let chunkSize = 500
    /// Chunks prepared ahead at most (the producer then waits), so memory stays bounded.
    static let maxChunks = 16

    /// Starts the producer. `source` is called on the producer's thread only, until it returns
    /// nil or the pipeline is cancelled; once `next()` returned nil (or after `cancel()`) it is
    /// no longer called, and what it changed is visible to the caller.
    init(head: (seq: Int64, hash: String), atMillis: Int64, source: @escaping Source) {
        self.head = head
        self.atMillis = atMillis
        self.source = source
        DispatchQueue.global().async { [self] in produce() }
    }

    private func produce() {
        defer { stopped.signal() }
        var chunk: [PreparedEvent] = []
        chunk.reserveCapacity(Self.chunkSize)
        var (seq, hash) = head
        while true {
            if chunk.count == Self.chunkSize {
                guard push(chunk) else { return }
                chunk = []
                chunk.reserveCapacity(Self.chunkSize)
            }
            guard let e = source() else { break }
            seq += 1
            let text = e.payload.text
            let newHash = EventHash.compute(
                seq: seq, prevHash: hash, type: e.type.rawValue, atMillis: atMillis, badge: e.badge, cycleID: nil, payload: text)
            chunk.append(
                PreparedEvent(type: e.type, badge: e.badge, payload: e.payload, text: text, seq: seq, prevHash: hash, hash: newHash))
            hash = newHash
        }
        _ = push(chunk)
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
        // Release what the caller hands back until it has taken the last chunk.
        while true {
            var released: [[PreparedEvent]] = []
            condition.lock()
            while spent.isEmpty, !drained, !cancelled { condition.wait() }
            swap(&released, &spent)
            let done = drained || cancelled
            condition.unlock()
            released.removeAll()
            if done { return }
        }
    }

    /// Hands a chunk to the caller, waiting while too many are ahead; false when cancelled.
    /// Releases the chunks the caller has handed back meanwhile (after unlocking).
    private func push(_ chunk: [PreparedEvent]) -> Bool {
        var released: [[PreparedEvent]] = []
        condition.lock()
        defer {
            condition.unlock()
            released.removeAll()
        }
        while chunks.count >= Self.maxChunks, !cancelled { condition.wait() }
        if cancelled { return false }
        if !chunk.isEmpty { chunks.append(chunk) }
        swap(&released, &spent)
        condition.broadcast()
        return true
    }

    /// Hands back a chunk `next()` gave out, once the caller has written it, for the producer to
    /// release.
    func release(_ chunk: consuming [PreparedEvent]) {
        condition.lock()
        spent.append(chunk)
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk in chain order, or nil when every event was handed out (the producer has
    /// then stopped).
    func next() -> [PreparedEvent]? {
        condition.lock()
        while chunks.isEmpty, !finished { condition.wait() }
        if chunks.isEmpty {
            drained = true
            condition.broadcast()
            condition.unlock()
            stopped.wait()
            stopped.signal()
            return nil
        }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        condition.unlock()
        return chunk
    }

    /// Stops the producer (the caller failed) and waits until it has.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        stopped.wait()
        stopped.signal()
    }
}
