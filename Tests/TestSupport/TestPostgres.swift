import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The PostgreSQL server the tests use: `ACADEMY_TEST_PG` (a superuser URL; `scripts/test.sh`
/// starts a throw-away cluster and sets it), else a cluster this process starts itself through
/// `scripts/pg-test-cluster.sh` and stops at exit. If neither works the calling test fails:
/// a missing server never skips a test.
public enum TestPostgres {
    /// Which backend the store suites run on: `ACADEMY_TEST_BACKEND=postgres`, else SQLite.
    public static var selected: Bool { ProcessInfo.processInfo.environment["ACADEMY_TEST_BACKEND"] == "postgres" }

    nonisolated(unsafe) private static var started: String?
    private static let lock = NSLock()

    /// The superuser URL of the test server (database `postgres`).
    public static func adminURL() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let u = ProcessInfo.processInfo.environment["ACADEMY_TEST_PG"], !u.isEmpty { return u }
        if let started { return started }
        let dir = "/tmp/academy-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let script = repositoryRoot().appendingPathComponent("scripts/pg-test-cluster.sh").path
        let (status, out, err) = try run("/bin/bash", [script, "start", dir])
        guard status == 0 else {
            throw Failure("could not start a PostgreSQL test cluster (\(script)): \(err)")
        }
        let url = out.trimmingCharacters(in: .whitespacesAndNewlines)
        started = url
        stopDir = dir
        stopScript = script
        atexit {
            if let d = TestPostgres.stopDir, let s = TestPostgres.stopScript { _ = try? TestPostgres.run("/bin/bash", [s, "stop", d]) }
        }
        return url
    }

    nonisolated(unsafe) private static var stopDir: String?
    nonisolated(unsafe) private static var stopScript: String?

    /// A new, empty database on the test server; its URL (same user and password).
    public static func freshDatabase(prefix: String = "t") throws -> String {
        let admin = try adminURL()
        let name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20))"
        try psql(admin, "CREATE DATABASE \(name)")
        return url(admin, database: name)
    }

    /// `admin` with its database replaced.
    public static func url(_ admin: String, database: String) -> String {
        var c = URLComponents(string: admin)!
        c.path = "/" + database
        return c.string!
    }

    /// `admin` with another user and password.
    public static func url(_ admin: String, user: String, password: String, database: String) -> String {
        var c = URLComponents(string: admin)!
        c.user = user
        c.password = password
        c.path = "/" + database
        return c.string!
    }

    /// Runs SQL through `psql` (stop on the first error); returns its unaligned output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let (status, out, err) = try run("/usr/bin/env", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", url, "-c", sql])
        guard status == 0 else { throw Failure("psql: \(err)") }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }

    static func repositoryRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func run(_ exe: String, _ args: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
