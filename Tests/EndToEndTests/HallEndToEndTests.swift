import Foundation
import TerminalUI
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `academy hall serve` as a process, driven by real clients: the OpenSSH client in a
/// pseudo-terminal and with sshpass, and an asyncssh crowd (Benchmarks/hall_load.py) through a
/// SIGKILL and restart of the server.
@Suite(.serialized) struct HallEndToEndTests {
    static func tool(_ name: String) throws -> String {
        // PATH first: python3 must be the one scripts/install-deps.sh installed asyncssh for.
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for dir in path + ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw ToolMissing(name: name)
    }

    static func sqlite(_ db: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try tool("sqlite3"))
        p.arguments = [db, sql]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "the hall did not start: \(output)" }
    }

    struct ToolMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(name) is not installed; run scripts/install-deps.sh --test" }
    }

    /// A pseudo-terminal and the screen a terminal emulator would show from its output so far.
    final class WatchedTerminal {
        let pty: PseudoTerminal
        var screen: VirtualScreen
        private var seen = 0

        init(width: Int, height: Int) throws {
            pty = try PseudoTerminal(width: width, height: height)
            screen = VirtualScreen(width: width, height: height)
        }

        /// Feeds what arrived since the last look and returns the screen.
        func look() -> VirtualScreen {
            screen.feed(Array(pty.output[seen...]))
            seen = pty.output.count
            return screen
        }
    }

    /// The hall server as a child process; stdout and stderr are collected as they come.
    final class Server: @unchecked Sendable {
        let process = Process()
        let lock = NSLock()
        var out = Data()
        var err = Data()

        init(_ args: [String], env: [String: String], cwd: URL) throws {
            process.executableURL = try AcademyProcess.binaryURL()
            process.arguments = args
            process.currentDirectoryURL = cwd
            var e = ProcessInfo.processInfo.environment
            for (k, v) in env { e[k] = v }
            process.environment = e
            let o = Pipe(), r = Pipe()
            process.standardOutput = o
            process.standardError = r
            process.standardInput = FileHandle.nullDevice
            o.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, err: false) }
            r.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, err: true) }
            try process.run()
        }

        func append(_ d: Data, err isErr: Bool) {
            lock.lock()
            if isErr { err.append(d) } else { out.append(d) }
            lock.unlock()
        }

        var stdout: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: out, as: UTF8.self)
        }

        var stderr: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: err, as: UTF8.self)
        }

        /// The bound port, read from "… open: 127.0.0.1:PORT".
        func port(timeout: TimeInterval = 60) throws -> Int {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if let r = stdout.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    return Int(stdout[r].split(separator: ":").last!)!
                }
                if !process.isRunning { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw ServerFailed(output: stdout + stderr)
        }

        func waitExit(timeout: TimeInterval) -> Bool {
            let end = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < end { Thread.sleep(forTimeInterval: 0.02) }
            return !process.isRunning
        }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    struct Hall {
        let dir: TemporaryDirectory
        let content: URL
        /// A PostgreSQL database instead of the SQLite file in `dir`.
        var url: String? = nil
        var db: String { url ?? dir.url.appendingPathComponent("academy.sqlite").path }
        var env: [String: String] {
            ["ACADEMY_DB": db, "ACADEMY_CACHE_DIR": dir.url.appendingPathComponent("cache").path, "ACADEMY_LANG": "zh-Hans"]
        }

        /// `sql` through sqlite3 on the file, or psql on the server.
        func query(_ sql: String) throws -> String {
            if let url { return try TestPostgres.psql(url, sql) }
            return try HallEndToEndTests.sqlite(db, sql)
        }

        func run(_ args: [String]) throws -> AcademyProcess.Result {
            try AcademyProcess.run(args, cwd: dir.url, env: env.mapValues { Optional($0) }, timeout: 120)
        }

        func serve(port: Int = 0, extra: [String] = []) throws -> Server {
            try Server(
                ["hall", "serve", "--listen", "127.0.0.1:\(port)", "--content", content.path] + extra, env: env, cwd: dir.url)
        }

        /// One password login without a pty (sshpass + OpenSSH, one password prompt): types
        /// `input` and returns everything the line session printed until it closed.
        func lineSession(_ port: Int, _ badge: String, code: String, input: String) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: try HallEndToEndTests.tool("sshpass"))
            p.arguments =
                ["-p", code, try HallEndToEndTests.tool("ssh"), "-T", "-o", "PreferredAuthentications=password", "-o",
                 "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1"] + ssh(port, badge)
            let stdin = Pipe(), stdout = Pipe()
            p.standardInput = stdin
            p.standardOutput = stdout
            p.standardError = FileHandle.nullDevice
            try p.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return out
        }

        func ssh(_ port: Int, _ badge: String) -> [String] {
            [
                "-F", "/dev/null", "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "-o", "IdentityAgent=none", "\(badge)@127.0.0.1",
            ]
        }
    }

    /// Officers E2E1…E2En in one open cycle with codes; returns the codes by badge.
    func setUp(officers: Int, url: String? = nil) throws -> (Hall, [String: String]) {
        let dir = try TemporaryDirectory(prefix: "academy-hall-e2e")
        let hall = Hall(dir: dir, content: try ExamEndToEndTests.writeContent(dir, maxAttempts: 2), url: url)
        var csv = "执法证号,姓名,所属部门,人员类别,状态\n"
        for i in 1...officers { csv += "E2E\(i),考生\(i),测试局/一中队,执法人员,在岗\n" }
        let staff = try dir.write("staff.csv", csv)
        #expect(try hall.run(["staff", "import", staff.path]).status == 0)
        let y = Calendar(identifier: .gregorian).component(.year, from: Date())
        let cycle = try hall.run([
            "cycle", "create", "c1", "--title", "考场测试", "--course", "e2e-course", "--blueprint", "e2e-exam",
            "--opens", "\(y - 1)-01-01", "--due", "\(y + 1)-12-31", "--content", hall.content.path,
        ])
        #expect(cycle.status == 0, "\(cycle.stderr)")
        let codesFile = dir.url.appendingPathComponent("codes.csv").path
        let issued = try hall.run(["hall", "codes", "issue", "--cycle", "c1", "-o", codesFile, "--address", "127.0.0.1:2222"])
        #expect(issued.status == 0, "\(issued.stderr)")
        var codes: [String: String] = [:]
        for line in try String(contentsOfFile: codesFile, encoding: .utf8).split(separator: "\r\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            codes[f[1]] = f[3]
        }
        #expect(codes.count == officers)
        return (hall, codes)
    }

    @Test func wholeExamWithTheOpenSSHClientThroughADroppedConnection() throws {
        let (hall, codes) = try setUp(officers: 2)
        defer { hall.dir.remove() }
        // A key for E2E1 (the pty session); E2E1 comes back later with its exam code.
        let key = hall.dir.url.appendingPathComponent("id_ed25519").path
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: try Self.tool("ssh-keygen"))
        gen.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", key]
        try gen.run()
        gen.waitUntilExit()
        #expect(try hall.run(["staff", "key", "add", "E2E1", "--file", key + ".pub"]).status == 0)
        let server = try hall.serve()
        let port = try server.port()
        #expect(server.stdout.contains("SHA256:"))

        // 1. With a pty: log in with the key; the menu, then the full-screen exam. Answer two
        //    questions, resize, then the client is killed.
        let term = try WatchedTerminal(width: 100, height: 30)
        let pty = term.pty
        func look() -> VirtualScreen { term.look() }
        var screen: VirtualScreen { term.screen }
        try pty.spawn(
            try Self.tool("ssh"),
            ["-tt", "-o", "PreferredAuthentications=publickey", "-o", "IdentitiesOnly=yes", "-i", key] + hall.ssh(port, "E2E1"),
            environment: ["LANG": "C.UTF-8"])
        try pty.wait(for: "the menu", timeout: 30) { look().contains("开始或继续考试") }
        #expect(screen.contains("考生1（E2E1）"))
        pty.send("\r")
        try pty.wait(for: "question 1") { look().contains("第 1/6 题") }
        #expect(screen.onAlternateScreen)
        pty.send("a")
        try pty.wait(for: "1 answered") { look().contains("已答 1/6") }
        pty.resize(width: 70, height: 20)
        term.screen.resize(width: 70, height: 20)
        try pty.wait(for: "redrawn at 70 columns") { look().rowText(0).contains("剩余") && look().contains("第 1/6 题") }
        pty.send("\u{1B}[C")
        try pty.wait(for: "question 2") { look().contains("第 2/6 题") }
        pty.send("a")
        try pty.wait(for: "2 answered") { look().contains("已答 2/6") }
        pty.signal(SIGKILL)
        _ = try pty.waitForExit(timeout: 10)

        // The invigilator sees the officer (from another process) with progress.
        // (Session rows are written in batches every 2 s.)
        var status = try hall.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        let statusEnd = Date().addingTimeInterval(15)
        while !status.stdout.contains("\"answered\" : 2"), Date() < statusEnd {
            Thread.sleep(forTimeInterval: 0.5)
            status = try hall.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        }
        #expect(status.stdout.contains("\"badge\" : \"E2E1\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"answered\" : 2"), "\(status.stdout)")

        // 2. Reconnect with the exam code, without a pty: the same paper resumes at question 3.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Self.tool("sshpass"))
        p.arguments =
            ["-p", codes["E2E1"]!, try Self.tool("ssh"), "-T", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"]
            + hall.ssh(port, "E2E1")
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("T\nT\n= 全过程记录\nAB\no\ns\nyes\n".utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out.contains("继续第 1 次考试"), "\(out)")
        #expect(out.contains("[Q 3/6]"), "\(out)")
        #expect(out.contains("已保存 saved 6/6"), "\(out)")
        #expect(out.contains("成绩 score: 40/40"), "\(out)")

        // 3. The record shows the submitted attempt; `record` over SSH shows only the officer's own.
        let record = try hall.run(["record", "show", "E2E1", "--format", "json"])
        #expect(record.stdout.contains("\"state\" : \"submitted\""), "\(record.stdout)")
        let own = Process()
        own.executableURL = URL(fileURLWithPath: try Self.tool("sshpass"))
        own.arguments = ["-p", codes["E2E2"]!, try Self.tool("ssh"), "-o", "PubkeyAuthentication=no"] + hall.ssh(port, "E2E2") + ["record", "--json"]
        let ownOut = Pipe()
        own.standardOutput = ownOut
        own.standardError = FileHandle.nullDevice
        own.standardInput = FileHandle.nullDevice
        try own.run()
        let ownText = String(decoding: ownOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        own.waitUntilExit()
        #expect(ownText.contains("\"badge\" : \"E2E2\""), "\(ownText)")
        #expect(!ownText.contains("E2E1"), "another officer's record never shows")

        // 4. SIGTERM: a graceful stop within 5 seconds; the log has one line per event.
        let t0 = Date()
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(server.process.terminationStatus == 0)
        for event in ["listen", "connect", "login", "session_start", "exam_start", "submit", "disconnect", "stop"] {
            #expect(server.stderr.contains("\"event\":\"\(event)\""), "\(event)")
        }
        #expect(try hall.run(["audit", "verify"]).status == 0)
    }

    /// The same hall on a city's PostgreSQL server: codes issued there, the OpenSSH client logs in
    /// with its code (sshpass), answers and submits; the invigilator's commands read the server;
    /// `audit verify` replays the chain, hall events included.
    @Test func passwordLoginOnAPostgreSQLHallSavesAndVerifies() throws {
        let url = try TestPostgres.freshDatabase(prefix: "hall_e2e")
        let (hall, codes) = try setUp(officers: 2, url: url)
        defer { hall.dir.remove() }
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM hall_codes") == "2")
        let server = try hall.serve()
        let port = try server.port()
        // The host key has a home without a database file to sit beside.
        let parts = try #require(URLComponents(string: url))
        let keyName = "\(parts.host ?? "")-\(parts.port ?? 0)-\(parts.path.dropFirst()).hall_ed25519_key"
        #expect(FileManager.default.fileExists(atPath: hall.dir.url.appendingPathComponent(keyName).path), "\(keyName)")

        func ssh(_ badge: String, _ code: String, _ input: String) throws -> String {
            try hall.lineSession(port, badge, code: code, input: input)
        }
        // A wrong code is refused and counted in the server's table.
        _ = try ssh("E2E2", "AAAA-AAAA", "")
        let failures = try TestPostgres.psql(url, "SELECT count(*) FROM hall_failures WHERE badge = 'E2E2'")
        #expect(failures == "1", "\(failures)")
        // The right code: the line session on the paper; answer, submit.
        let out = try ssh("E2E1", codes["E2E1"]!, "A\ns\nyes\n")
        #expect(out.contains("[Q 1/6]"), "\(out)")
        #expect(out.contains("已保存 saved 1/6"), "\(out)")
        #expect(out.contains("成绩 score:"), "\(out)")
        let stored = try TestPostgres.psql(
            url, "SELECT count(*) FROM answers JOIN attempts a ON a.id = answers.attempt_id WHERE a.badge = 'E2E1'")
        #expect((Int(stored) ?? 0) >= 1, "\(stored)")
        // The invigilator, from another process, sees the finished officer and the failure.
        var status = try hall.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        let end = Date().addingTimeInterval(15)
        while !status.stdout.contains("\"badge\" : \"E2E1\""), Date() < end {
            Thread.sleep(forTimeInterval: 0.5)
            status = try hall.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        }
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"badge\" : \"E2E1\""), "\(status.stdout)")
        // A reissue and a key, then the chain replays with every hall event on the server.
        #expect(try hall.run(["hall", "codes", "reissue", "E2E2", "--cycle", "c1", "--address", "127.0.0.1:2222"]).status == 0)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
        let audit = try hall.run(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM events WHERE type LIKE 'hall.code.%'") == "3")
    }

    /// A county runs its own hall on the city's server with the role `db grant` made: its officer
    /// sits the exam through it; another county's officer, with a valid code, is refused like any
    /// unknown badge; the county's `hall status` lists only its own; the city verifies the chain.
    @Test func aCountyRoleRunsItsOwnHallOnTheCitysServer() throws {
        let cityURL = try TestPostgres.freshDatabase(prefix: "hall_county")
        let (city, codes) = try setUp(officers: 1, url: cityURL)
        defer { city.dir.remove() }
        let other = try city.dir.write("other.csv", "执法证号,姓名,所属部门,人员类别,状态\nX1,外县考生,他局/一中队,执法人员,在岗\n")
        #expect(try city.run(["staff", "import", other.path]).status == 0)
        let xCodes = city.dir.url.appendingPathComponent("x.csv").path
        #expect(try city.run(["hall", "codes", "reissue", "X1", "--cycle", "c1", "-o", xCodes]).status == 0)
        let xCode = try #require(
            try String(contentsOfFile: xCodes, encoding: .utf8).split(separator: "\r\n").dropFirst().first?.split(separator: ",")[3])
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(10)
        let role = "county_\(suffix)"
        let pw = try city.dir.write("pw", "county-pw-\(suffix)\n")
        let grant = try city.run(["db", "grant", "--department", "测试局", "--role", role, "--password-file", pw.path])
        #expect(grant.status == 0, "\(grant.stderr)")
        var parts = try #require(URLComponents(string: cityURL))
        parts.user = role
        parts.password = "county-pw-\(suffix)"
        var county = city
        county.url = try #require(parts.string)

        let server = try county.serve()
        let port = try server.port()
        func ssh(_ badge: String, _ code: String, _ input: String) throws -> String {
            try county.lineSession(port, badge, code: code, input: input)
        }
        let refused = try ssh("X1", String(xCode), "A\ns\nyes\n")
        #expect(!refused.contains("[Q 1/6]"), "\(refused)")
        let out = try ssh("E2E1", codes["E2E1"]!, "A\ns\nyes\n")
        #expect(out.contains("已保存 saved 1/6"), "\(out)")
        #expect(out.contains("成绩 score:"), "\(out)")
        // The county's invigilator sees its own officer and the failure at its door, not X1's record.
        // (Session rows are written in batches every 2 s.)
        var status = try county.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        let end = Date().addingTimeInterval(15)
        while !status.stdout.contains("\"badge\" : \"E2E1\""), Date() < end {
            Thread.sleep(forTimeInterval: 0.5)
            status = try county.run(["hall", "status", "--cycle", "c1", "--format", "json"])
        }
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"badge\" : \"E2E1\""), "\(status.stdout)")
        #expect(status.stdout.contains("\"badge\" : \"X1\""), "the failure at its door is the county's to see")
        #expect(try TestPostgres.psql(county.url!, "SELECT count(*) FROM hall_codes WHERE badge = 'X1'") == "0")
        #expect(try TestPostgres.psql(cityURL, "SELECT count(*) FROM hall_codes WHERE badge = 'X1'") == "1")
        #expect(try TestPostgres.psql(cityURL, "SELECT count(*) FROM attempts WHERE badge = 'X1'") == "0")
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
        let audit = try city.run(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
    }

    @Test func crowdThroughAServerKillLosesNoAcknowledgedAnswer() throws {
        try crowdThroughAServerKill(url: nil)
    }

    /// The same crowd and SIGKILL with the hall's store on a PostgreSQL server.
    @Test func crowdOnPostgreSQLThroughAServerKillLosesNoAcknowledgedAnswer() throws {
        try crowdThroughAServerKill(url: try TestPostgres.freshDatabase(prefix: "hall_crowd"))
    }

    func crowdThroughAServerKill(url: String?) throws {
        let officers = Int(ProcessInfo.processInfo.environment["ACADEMY_HALL_OFFICERS"] ?? "") ?? 16
        let (hall, _) = try setUp(officers: officers, url: url)
        defer { hall.dir.remove() }
        var server = try hall.serve()
        let port = try server.port()
        let results = hall.dir.url.appendingPathComponent("load.json").path
        let load = Process()
        load.executableURL = URL(fileURLWithPath: try Self.tool("python3"))
        load.arguments = [
            AcademyProcess.packageRoot.appendingPathComponent("Benchmarks/hall_load.py").path, "--port", String(port),
            "--codes", hall.dir.url.appendingPathComponent("codes.csv").path, "--out", results, "--timeout", "240",
            // Officers read each question for up to 0.6 s, so sessions are open when the kill comes.
            "--think", "0.3",
        ]
        let loadLog = hall.dir.url.appendingPathComponent("load.log")
        _ = FileManager.default.createFile(atPath: loadLog.path, contents: nil)
        load.standardOutput = FileHandle.nullDevice
        load.standardError = try FileHandle(forWritingTo: loadLog)
        try load.run()
        // Kill the server in the middle of the exam (a third of the answers stored), then start it again.
        func storedAnswers() throws -> Int {
            Int(try hall.query("SELECT count(*) FROM answers").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        let end = Date().addingTimeInterval(120)
        while Date() < end, try storedAnswers() < officers * 2, load.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        kill(server.process.processIdentifier, SIGKILL)
        #expect(server.waitExit(timeout: 5))
        server = try hall.serve(port: port)
        _ = try server.port()
        let loadEnd = Date().addingTimeInterval(240)
        while load.isRunning, Date() < loadEnd { Thread.sleep(forTimeInterval: 0.1) }
        if load.isRunning { load.terminate() }
        load.waitUntilExit()
        guard let data = FileManager.default.contents(atPath: results) else {
            Issue.record("no results from hall_load.py: \((try? String(contentsOf: loadLog, encoding: .utf8)) ?? "")\n\(server.stderr)")
            return
        }
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["submitted"] as? Int == officers, "\(json)")
        // The kill really cut clients off: they had to connect again.
        #expect((json["error_count"] as? Int ?? 0) > 0, "\(json)")
        let acked = try #require(json["acked"] as? [String: Int])
        // Every acknowledged answer is in the store.
        let stored = try hall.query(
            "SELECT a.badge || ' ' || count(*) FROM answers JOIN attempts a ON a.id = answers.attempt_id GROUP BY a.badge")
        var storedBy: [String: Int] = [:]
        for line in stored.split(separator: "\n") {
            let f = line.split(separator: " ")
            storedBy[String(f[0])] = Int(f[1])
        }
        var lost = 0
        for (badge, n) in acked { lost += max(0, n - (storedBy[badge] ?? 0)) }
        #expect(lost == 0, "acked \(acked) stored \(storedBy)")
        #expect(acked.values.reduce(0, +) >= officers * 6)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
        let audit = try hall.run(["audit", "verify"])
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
    }
}

extension PseudoTerminal {
    var text: String { String(decoding: output, as: UTF8.self) }
}
