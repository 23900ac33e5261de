import Foundation
import Localization
import TerminalUI
import TestSupport
import XCTest

@testable import Hall
import Records

#if canImport(Glibc)
    import Glibc
#endif

/// A front end for testing the hall's SSH layer without the exam: admits the badges it is
/// given, greets, echoes each line ("GOT: …"), and leaves on "bye". `flood N` writes N bytes.
final class EchoFrontEnd: HallFrontEnd, @unchecked Sendable {
    let admitted: Set<String>
    let lock = NSLock()
    private(set) var shells: [String] = []
    private(set) var lines: [String] = []

    /// How long each admission check takes (to make concurrent login checks overlap).
    var admitDelay: TimeInterval = 0
    private(set) var admitsInFlight = 0
    private(set) var maxAdmitsInFlight = 0
    /// Names of the threads admission checks ran on.
    private(set) var admitThreads: [String] = []

    init(admitted: Set<String>) { self.admitted = admitted }

    func admits(badge: String) -> HallAdmission {
        let name = ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        lock.lock()
        admitsInFlight += 1
        maxAdmitsInFlight = max(maxAdmitsInFlight, admitsInFlight)
        admitThreads.append(name)
        lock.unlock()
        if admitDelay > 0 { Thread.sleep(forTimeInterval: admitDelay) }
        lock.lock()
        admitsInFlight -= 1
        lock.unlock()
        return admitted.contains(badge) ? .admitted : .refused("not admitted")
    }

    func record(badge: String, json: Bool, language: Language) -> String {
        json ? "{\"badge\":\"\(badge)\"}" : language.pick(zh: "档案 \(badge)", en: "record of \(badge)")
    }

    func runShell(_ session: HallSession) {
        lock.lock()
        shells.append(session.badge)
        lock.unlock()
        let nl = session.interactive ? "\r\n" : "\n"
        session.write("HELLO \(session.badge) \(session.language.rawValue) pty=\(session.interactive) size=\(session.terminalSize.width)x\(session.terminalSize.height)\(nl)")
        var buffer: [UInt8] = []
        while true {
            switch session.next(timeoutMilliseconds: 200) {
            case .bytes(let b):
                buffer += b
                while let i = buffer.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                    let line = String(decoding: buffer[..<i], as: UTF8.self)
                    buffer.removeSubrange(...i)
                    if line.isEmpty { continue }
                    lock.lock()
                    lines.append(line)
                    lock.unlock()
                    if line == "bye" { return }
                    if line.hasPrefix("flood "), let n = Int(line.dropFirst(6)) {
                        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                        var left = n
                        while left > 0, !session.isClosed {
                            session.write(Array(chunk.prefix(left)))
                            left -= chunk.count
                        }
                        continue
                    }
                    session.write("GOT: \(line)\(nl)")
                }
            case .resize(let w, let h):
                session.write("RESIZE \(w)x\(h)\(nl)")
            case .notice(let text):
                session.write("NOTICE \(text)\(nl)")
            case .timeout:
                continue
            case .closed:
                return
            }
        }
    }
}

/// An in-process hall on 127.0.0.1 with an ephemeral port, a temporary store and host key.
final class HallHarness: @unchecked Sendable {
    let dir: URL
    let store: any EducationStore
    let server: HallServer
    let port: Int
    let frontEnd: EchoFrontEnd
    let hostKey: HostKey
    let logLines: LogLines

    final class LogLines: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        func add(_ s: String) {
            lock.lock()
            lines.append(s)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    /// Badges "1001"… with codes "ABCD-EFGH" style given in `codes`; rounds are low in tests.
    init(
        codes: [String: String] = ["1001": "AAAA-BBBB", "1002": "CCCC-DDDD"], admitted: Set<String>? = nil,
        configure: (inout HallConfiguration) -> Void = { _ in }, admitDelay: TimeInterval = 0
    ) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hall-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try Self.store(in: dir)
        var config = HallConfiguration()
        config.host = "127.0.0.1"
        config.port = 0
        config.throttle.codeRounds = 1000
        config.progressInterval = 0
        configure(&config)
        let rounds = config.throttle.codeRounds
        try store.issueHallCodes(
            codes.map { ExamCode.hash($0.value, cycleID: "c1", badge: $0.key, at: Date(), rounds: rounds) },
            reissue: false, at: Date())
        hostKey = try HostKey.loadOrCreate(path: dir.appendingPathComponent("host_key").path, createIfMissing: true).0
        frontEnd = EchoFrontEnd(admitted: admitted ?? Set(codes.keys))
        frontEnd.admitDelay = admitDelay
        let lines = LogLines()
        logLines = lines
        server = HallServer(
            configuration: config, hostKey: hostKey, store: store, frontEnd: frontEnd,
            log: HallLog(sink: { lines.add($0) }))
        port = try server.start()
    }

    /// The store the run selects: a SQLite file in `dir`, or with `ACADEMY_TEST_BACKEND=postgres`
    /// a fresh PostgreSQL database (the same hall tests then run on the shared server's store).
    static func store(in dir: URL) throws -> any EducationStore {
        if TestPostgres.selected { return try PostgresEducationStore(url: try TestPostgres.freshDatabase(prefix: "hall")) }
        return try SQLiteEducationStore(path: dir.appendingPathComponent("a.sqlite").path)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    func events(_ name: String) -> [String] { logLines.all.filter { $0.contains("\"event\":\"\(name)\"") } }

    /// OpenSSH client options: no user config, no agent, no known_hosts.
    func sshArguments(_ badge: String, extra: [String] = [], key: String? = nil) -> [String] {
        var a = [
            "-F", "/dev/null", "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "IdentityAgent=none", "-o", "ConnectTimeout=10",
        ] + extra  // first value wins in ssh: the test's own options come before the defaults
        if let key {
            a += ["-o", "PreferredAuthentications=publickey", "-o", "IdentitiesOnly=yes", "-i", key]
        } else {
            a += ["-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1"]
        }
        return a + ["\(badge)@127.0.0.1"]
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `sshpass -p CODE ssh … [command]` with `stdin`, waiting at most `timeout`.
    func ssh(
        _ badge: String, code: String?, extra: [String] = [], command: [String] = [], stdin: String = "",
        key: String? = nil, env: [String: String] = [:], timeout: TimeInterval = 30
    ) throws -> Run {
        let p = Process()
        if let code {
            p.executableURL = URL(fileURLWithPath: try Tools.path("sshpass"))
            p.arguments = ["-p", code, try Tools.path("ssh")] + sshArguments(badge, extra: extra, key: key) + command
        } else {
            p.executableURL = URL(fileURLWithPath: try Tools.path("ssh"))
            p.arguments = sshArguments(badge, extra: extra, key: key) + command
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LANG"] = "C.UTF-8"
        environment.removeValue(forKey: "LC_ALL")
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let outPath = dir.appendingPathComponent("ssh-\(UUID().uuidString).out")
        let errPath = dir.appendingPathComponent("ssh-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outPath.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath.path, contents: nil)
        let out = try FileHandle(forWritingTo: outPath), err = try FileHandle(forWritingTo: errPath)
        let input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            XCTFail("ssh did not finish within \(timeout) s")
        }
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        let outData = (try? Data(contentsOf: outPath)) ?? Data()
        let errData = (try? Data(contentsOf: errPath)) ?? Data()
        return Run(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Real client programs the tests drive. A missing one fails the test (scripts/install-deps.sh
/// --test installs them); it never skips.
enum Tools {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not installed; run scripts/install-deps.sh --test" }
    }

    static func path(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"] {
            let p = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw Missing(name: name)
    }
}
