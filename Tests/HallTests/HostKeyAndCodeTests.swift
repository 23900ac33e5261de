import Foundation
import Localization
import XCTest

@testable import Hall
import Records

#if canImport(Glibc)
    import Glibc
#endif

final class HostKeyTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Tools.path(tool))
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testCreatedOnFirstUseWithMode0600AndStableAfter() throws {
        let path = dir.appendingPathComponent("k").path
        let (key, created) = try HostKey.loadOrCreate(path: path, createIfMissing: true)
        XCTAssertTrue(created)
        var st = stat()
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        let (again, createdAgain) = try HostKey.loadOrCreate(path: path, createIfMissing: true)
        XCTAssertFalse(createdAgain)
        XCTAssertEqual(again.fingerprint, key.fingerprint)
    }

    /// `--host-key` must exist; without it the key beside the database is made on first use.
    func testTheHallsKeyIsTheNamedFileOrTheDefaultOne() throws {
        let db = dir.appendingPathComponent("academy.sqlite").path
        let made = try HostKey.forHall(explicit: nil, database: db)
        XCTAssertEqual([made.path, "\(made.created)"], [db + ".hall_ed25519_key", "true"])
        let again = try HostKey.forHall(explicit: nil, database: db)
        XCTAssertEqual([again.key.fingerprint, "\(again.created)"], [made.key.fingerprint, "false"])
        XCTAssertEqual(try HostKey.forHall(explicit: made.path, database: "elsewhere").key.fingerprint, made.key.fingerprint)
        let missing = dir.appendingPathComponent("none").path
        XCTAssertThrowsError(try HostKey.forHall(explicit: missing, database: db)) {
            XCTAssertEqual(($0 as? HostKeyRefused)?.message(in: .en), "host key refused: \(missing): no such file")
            XCTAssertEqual(($0 as? HostKeyRefused)?.message(in: .zhHans), "主机密钥不可用：\(missing): no such file")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }

    func testFingerprintMatchesSshKeygenBothWays() throws {
        // Ours, read by ssh-keygen.
        let ours = dir.appendingPathComponent("ours").path
        let (key, _) = try HostKey.loadOrCreate(path: ours, createIfMissing: true)
        let (s1, out1) = try run("ssh-keygen", ["-l", "-f", ours])
        XCTAssertEqual(s1, 0, out1)
        XCTAssertTrue(out1.contains(key.fingerprint), "\(out1) vs \(key.fingerprint)")
        let (s2, pubFromPrivate) = try run("ssh-keygen", ["-y", "-f", ours])
        XCTAssertEqual(s2, 0, pubFromPrivate)
        XCTAssertTrue(pubFromPrivate.hasPrefix(key.publicLine(comment: "")))
        // ssh-keygen's, read by us.
        let theirs = dir.appendingPathComponent("theirs").path
        _ = try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", theirs])
        let loaded = try HostKey.load(path: theirs)
        let (_, out3) = try run("ssh-keygen", ["-l", "-f", theirs])
        XCTAssertTrue(out3.contains(loaded.fingerprint), "\(out3) vs \(loaded.fingerprint)")
    }

    func testLoosePermissionsAreRefused() throws {
        let path = dir.appendingPathComponent("k").path
        _ = try HostKey.loadOrCreate(path: path, createIfMissing: true)
        chmod(path, 0o644)
        XCTAssertThrowsError(try HostKey.load(path: path)) { e in
            XCTAssertTrue("\(e)".contains("permissions 0644 are too open"), "\(e)")
            XCTAssertTrue("\(e)".contains(path))
        }
    }

    func testBadFormatsAreRefusedClearly() throws {
        func write(_ name: String, _ text: String) -> String {
            let p = dir.appendingPathComponent(name).path
            _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            return p
        }
        let cases: [(String, String)] = [
            (write("empty", ""), "no -----BEGIN OPENSSH PRIVATE KEY----- block"),
            (write("pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"), "no -----BEGIN OPENSSH"),
            (
                write("junk", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"),
                "bad magic"
            ),
        ]
        for (path, expected) in cases {
            XCTAssertThrowsError(try HostKey.load(path: path)) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(path): \(e)")
            }
        }
        // A passphrase-protected key and an RSA key made by ssh-keygen.
        let enc = dir.appendingPathComponent("enc").path
        _ = try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret", "-f", enc])
        XCTAssertThrowsError(try HostKey.load(path: enc)) { XCTAssertTrue("\($0)".contains("passphrase"), "\($0)") }
        let rsa = dir.appendingPathComponent("rsa").path
        _ = try run("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa])
        XCTAssertThrowsError(try HostKey.load(path: rsa)) { XCTAssertTrue("\($0)".contains("ssh-rsa is not supported"), "\($0)") }
        XCTAssertThrowsError(try HostKey.loadOrCreate(path: dir.appendingPathComponent("missing").path, createIfMissing: false))
    }

    func testOfficerPublicKeys() throws {
        let k = dir.appendingPathComponent("id").path
        _ = try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "张三@pc", "-f", k])
        let text = try String(contentsOfFile: k + ".pub", encoding: .utf8)
        let key = try OfficerPublicKey(text: text, file: "id.pub")
        let (_, fp) = try run("ssh-keygen", ["-l", "-f", k + ".pub"])
        XCTAssertTrue(fp.contains(key.fingerprint))
        XCTAssertFalse(key.line.contains("张三"), "the comment is not kept")
        XCTAssertThrowsError(try OfficerPublicKey(text: "ssh-rsa AAAAB3NzaC1yc2E x\n", file: "r.pub")) {
            XCTAssertTrue("\($0)".contains("r.pub:1: key type ssh-rsa is not supported"), "\($0)")
        }
        XCTAssertThrowsError(try OfficerPublicKey(text: "ssh-ed25519 !!!\n", file: "b.pub")) {
            XCTAssertTrue("\($0)".contains("b.pub:1: the key data is malformed"), "\($0)")
        }
        XCTAssertThrowsError(try OfficerPublicKey(text: text + text, file: "two.pub")) {
            XCTAssertTrue("\($0)".contains("exactly one"), "\($0)")
        }
        XCTAssertEqual(try OfficerPublicKey(contentsOfFile: k + ".pub"), key)
        let missing = dir.appendingPathComponent("none.pub").path
        XCTAssertThrowsError(try OfficerPublicKey(contentsOfFile: missing)) {
            XCTAssertEqual(($0 as? OfficerPublicKey.Invalid)?.message(in: .zhHans), "无法读取 \(missing)")
            XCTAssertEqual("\($0)", "cannot read \(missing)")
        }
    }
}

final class ExamCodeTests: XCTestCase {
    func testShapeAndAlphabet() {
        let lookAlikes = Set("01OILU".filter { $0 != "U" })
        for _ in 0..<200 {
            let c = ExamCode.generate()
            XCTAssertEqual(c.count, 9)
            XCTAssertEqual(Array(c)[4], "-")
            XCTAssertTrue(c.replacingOccurrences(of: "-", with: "").allSatisfy { ExamCode.alphabet.contains($0) })
            XCTAssertTrue(Set(c).isDisjoint(with: lookAlikes), c)
        }
        // About 40 bits.
        XCTAssertGreaterThan(Double(ExamCode.length) * log2(Double(ExamCode.alphabet.count)), 39.5)
        XCTAssertEqual(Set((0..<1000).map { _ in ExamCode.generate() }).count, 1000)
    }

    func testHashMatchesTypedFormsOnly() {
        let h = ExamCode.hash("ABCD-EFGH", cycleID: "c", badge: "b", at: Date(), rounds: 1000)
        XCTAssertEqual(h.salt.count, 16)
        XCTAssertEqual(h.hash.count, 32)
        XCTAssertFalse(h.hash.contains(Data("ABCD".utf8)))
        for typed in ["ABCD-EFGH", "abcdefgh", "abcd efgh", " ABCD-efgh "] {
            XCTAssertTrue(ExamCode.matches(typed, h), typed)
        }
        for typed in ["ABCD-EFGJ", "", "ABCDEFG", "ABCD-EFGHX"] {
            XCTAssertFalse(ExamCode.matches(typed, h), typed)
        }
        // Same code, new salt: a different hash.
        let h2 = ExamCode.hash("ABCD-EFGH", cycleID: "c", badge: "b", at: Date(), rounds: 1000)
        XCTAssertNotEqual(h.hash, h2.hash)
    }

    /// Session rows on the selected backend: one statement for many officers, the last row of a
    /// badge wins, a pending kick survives progress updates and is cleared by a new connection.
    func testSessionRowsUpsertInBatchesAndKeepAPendingKick() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try HallHarness.store(in: dir)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        func row(_ badge: String, question: Int, connected: Date = t0, state: HallSessionRow.State = .connected) -> HallSessionRow {
            HallSessionRow(
                badge: badge, cycleID: "c1", source: "10.0.0.1", serverPID: 7, connectedAt: connected, updatedAt: t0,
                state: state, question: question, questionCount: 10, answered: question - 1, deadline: t0.addingTimeInterval(3600))
        }
        try store.upsertHallSessions((1...700).map { row(String(format: "B%04d", $0), question: 1) } + [row("B0001", question: 5)])
        XCTAssertEqual(try store.hallSessions().count, 700)
        XCTAssertEqual(try store.hallSession(badge: "B0001")?.question, 5, "the last row of a badge wins")
        XCTAssertEqual(try store.hallSession(badge: "B0700")?.deadline, t0.addingTimeInterval(3600))
        XCTAssertTrue(try store.requestHallKick(badge: "B0002", at: t0))
        try store.upsertHallSessions([row("B0002", question: 3)])
        XCTAssertEqual(try store.hallSession(badge: "B0002")?.kickAt, t0, "progress keeps the pending kick")
        try store.upsertHallSessions([row("B0002", question: 3, connected: t0.addingTimeInterval(60))])
        XCTAssertNil(try store.hallSession(badge: "B0002")?.kickAt, "a new connection clears it")
        try store.closeHallSessions(at: t0)
        XCTAssertTrue(try store.hallSessions().allSatisfy { $0.state == .disconnected })
        XCTAssertFalse(try store.requestHallKick(badge: "B0003", at: t0), "nobody connected")
        try store.recordHallFailure(badge: String(repeating: "x", count: 100), source: "10.0.0.9", reason: "unknown", at: t0)
        XCTAssertEqual(try store.hallFailureCount(badge: String(repeating: "x", count: 64), since: t0), 1, "badges cut to 64")
    }

    func testIssueAndRevokeAreEventsInTheChain() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("codes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try HallHarness.store(in: dir)
        let before = try store.chainHead().seq
        try store.issueHallCodes(
            [ExamCode.hash("AAAA-BBBB", cycleID: "c1", badge: "1", at: Date(), rounds: 1000)], reissue: false, at: Date())
        try store.issueHallCodes(
            [ExamCode.hash("CCCC-DDDD", cycleID: "c1", badge: "1", at: Date(), rounds: 1000)], reissue: true, at: Date())
        XCTAssertEqual(try store.hallCodes(badge: "1").count, 1, "a reissue replaces the code")
        XCTAssertTrue(ExamCode.matches("CCCC-DDDD", try store.hallCodes(badge: "1")[0]))
        XCTAssertEqual(try store.revokeHallCodes(cycleID: "c1", badges: nil, at: Date()), ["1"])
        XCTAssertTrue(try store.hallCodes(badge: "1").isEmpty)
        XCTAssertEqual(try store.chainHead().seq, before + 3)
        let v = try store.verifyChain()
        XCTAssertNil(v.problem)
    }
}
