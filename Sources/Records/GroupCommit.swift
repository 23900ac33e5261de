import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Group commit: concurrent writes from many threads share one transaction and one fsync.
///
/// A caller hands in its write as a job and blocks. The first caller to find no batch running
/// becomes the leader: it takes every job queued so far (up to `maxBatch`), runs them in one
/// transaction through the store's `runBatch`, and wakes their callers. Whoever queued while it
/// ran is taken by the next leader, so under load each commit carries many writes and when idle a
/// lone write commits at once, without waiting for company.
///
/// What a caller is told is what the store holds:
/// - jobs run in submission order, so each one's events chain after the previous job's; a job
///   that fails (a refusal, a bad value) is rolled back alone and gets its own error, while the
///   others in the batch go on (SQLite gives each job a savepoint; PostgreSQL runs the batch
///   without them first, its answer saves as one server call that refuses a save alone, and, if
///   a job fails, runs the others again with them, so a job's body may run twice and must only
///   touch the store);
/// - a job succeeds only when the batch's COMMIT returned; if the commit (or the transaction
///   itself) fails, every job of the batch that had not failed on its own gets that error. No
///   job is acknowledged unless it is durable, and none is dropped without an error.
final class GroupCommit<Context>: @unchecked Sendable {
    final class Job {
        fileprivate let body: (Context) throws -> Void
        /// Set by `runBatch`: the job's own error, or the batch's when the commit failed.
        var error: (any Error)?
        fileprivate var finished = false

        fileprivate init(_ body: @escaping (Context) throws -> Void) { self.body = body }
    }

    /// Runs the jobs in one transaction: `run(job, context)` each in order (inside a savepoint),
    /// recording failures in `job.error`, then commits; on a failed commit it sets `error` on
    /// every job that has none. Must not throw.
    typealias BatchRunner = (_ jobs: [Job], _ run: (Job, Context) throws -> Void) -> Void

    let maxBatch: Int
    private let runBatch: BatchRunner
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var leading = false
    /// The leader's thread and the context its current job runs in, so that a write made from
    /// inside a job joins that job instead of waiting for a batch that can never start.
    private var leader: pthread_t?
    private var nestedContext: Context?

    private(set) var batches = 0
    private(set) var jobs = 0

    init(maxBatch: Int = 256, runBatch: @escaping BatchRunner) {
        self.maxBatch = max(1, maxBatch)
        self.runBatch = runBatch
    }

    /// Runs `body` in the next group transaction and returns once that transaction committed
    /// (or throws the job's own error, or the commit's).
    func perform<T>(_ body: (Context) throws -> T) throws -> T {
        if let context = nestedHere() { return try body(context) }
        return try withoutActuallyEscaping(body) { body in
            // The caller waits below until the job finished, so the non-escaping body outlives it.
            var result: T?
            let job = Job { context in result = try body(context) }
            condition.lock()
            queue.append(job)
            while !job.finished {
                if leading {
                    condition.wait()
                    continue
                }
                leading = true
                let batch = Array(queue.prefix(maxBatch))
                queue.removeFirst(batch.count)
                leader = pthread_self()
                condition.unlock()
                runBatch(batch) { job, context in try self.run(job, context) }
                condition.lock()
                for j in batch { j.finished = true }
                batches += 1
                jobs += batch.count
                leader = nil
                leading = false
                condition.broadcast()
            }
            condition.unlock()
            if let error = job.error { throw error }
            return result!
        }
    }

    /// Statistics: batches committed (or failed) and jobs they carried.
    var counts: (batches: Int, jobs: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (batches, jobs)
    }

    /// Jobs waiting for the next batch (tests use it to know a batch will carry them all).
    var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    private func run(_ job: Job, _ context: Context) throws {
        condition.lock()
        nestedContext = context
        condition.unlock()
        defer {
            condition.lock()
            nestedContext = nil
            condition.unlock()
        }
        try job.body(context)
    }

    private func nestedHere() -> Context? {
        condition.lock()
        defer { condition.unlock() }
        guard let leader, pthread_equal(leader, pthread_self()) != 0 else { return nil }
        return nestedContext
    }
}
