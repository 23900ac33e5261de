import Foundation
import SeededRandom
import XCTest

@testable import Records

/// Issue 9 §3: edits an attacker with the `sqlite3` CLI could make, one row at a time, each on a
/// fresh copy of a store that holds every kind of record, with the append-only triggers dropped
/// first. Every edit must be caught by `audit verify` (or refused by a constraint, or make the
/// store refuse to open).
final class TamperSuiteTests: XCTestCase {
    /// A store with every table and every kind of event: updates, an inactivation, two cycles, an
    /// exemption granted, one revoked and one closing an open attempt, study progress, open,
    /// submitted and regraded attempts, answers saved twice, spot checks.
    static func richStore(_ f: StoreFixture) throws {
        try f.seedStaff()
        _ = try f.store.importStaff(
            [
                StoreFixture.staff("A001", "张三丰", line: 2),
                StoreFixture.staff("A002", "李四", dept: StoreFixture.department + "/一中队", line: 3),
                StoreFixture.staff("A003", "王五", role: .assistant, line: 4),
                StoreFixture.staff("A004", "钱七", dept: StoreFixture.department + "/二中队", line: 5),
            ], markMissingInactive: true, source: "staff2.csv", at: StoreFixture.date("2026-01-02T00:00:00Z"))
        try f.seedCycle()
        try f.seedCycle(id: "2026-autumn", roles: [])
        let a1 = try f.store.startAttempt(f.request("A001", questions: ["q1", "q2", "q3"]))
        try f.store.saveAnswer(attemptID: a1.id, questionKey: "q1", response: Data("{\"choice\":[1]}".utf8), at: StoreFixture.date("2026-01-15T02:01:00Z"))
        try f.store.saveAnswer(attemptID: a1.id, questionKey: "q1", response: Data("{\"choice\":[0]}".utf8), at: StoreFixture.date("2026-01-15T02:02:00Z"))
        try f.store.saveAnswer(attemptID: a1.id, questionKey: "q2", response: Data("{\"text\":\"全过程记录\"}".utf8), at: StoreFixture.date("2026-01-15T02:03:00Z"))
        try f.store.submitAttempt(
            attemptID: a1.id, report: Data("{\"score\":20.5}".utf8), score: 20.5, maxScore: 100, passed: false,
            submittedAt: StoreFixture.date("2026-01-15T02:10:00Z"), reason: .submitted)
        try f.store.regradeAttempt(
            attemptID: a1.id, report: Data("{\"score\":64}".utf8), score: 64, maxScore: 100, passed: true,
            reason: "key corrected", at: StoreFixture.date("2026-01-20T00:00:00Z"))
        let a2 = try f.store.startAttempt(f.request("A001", at: "2026-01-21T02:00:00Z", questions: ["q4"]))
        try f.store.saveAnswer(attemptID: a2.id, questionKey: "q4", response: Data("{\"choice\":[2]}".utf8), at: StoreFixture.date("2026-01-21T02:01:00Z"))
        let a3 = try f.store.startAttempt(f.request("A002", at: "2026-01-22T02:00:00Z"))
        try f.store.saveAnswer(attemptID: a3.id, questionKey: "q1", response: Data("{\"choice\":[3]}".utf8), at: StoreFixture.date("2026-01-22T02:01:00Z"))
        try f.store.exempt(
            cycleID: "2026-spring", badge: "A002", reason: "病假", grantedBy: "王科长", at: StoreFixture.date("2026-01-23T00:00:00Z"))
        try f.store.exempt(
            cycleID: "2026-autumn", badge: "A003", reason: "借调", grantedBy: "王科长", at: StoreFixture.date("2026-01-23T00:00:00Z"))
        try f.store.exempt(
            cycleID: "2026-autumn", badge: "A004", reason: "借调", grantedBy: "王科长", at: StoreFixture.date("2026-01-23T00:00:00Z"))
        try f.store.revokeExemption(
            cycleID: "2026-autumn", badge: "A004", reason: "已返岗", revokedBy: "王科长", at: StoreFixture.date("2026-01-24T00:00:00Z"))
        for (badge, item) in [("A001", "l1"), ("A001", "l2"), ("A003", "l1"), ("A004", "c1")] {
            try f.store.recordItemFinished(badge: badge, cycleID: "2026-autumn", itemID: item, at: StoreFixture.date("2026-01-16T00:00:00Z"))
        }
        try f.store.recordItemFinished(badge: "A001", cycleID: "2026-spring", itemID: "l1", at: StoreFixture.date("2026-01-16T00:00:00Z"))
        try f.store.recordSpotCheck(
            cycleID: "2026-spring", seed: 7, percent: 50, selected: ["A001", "A002"], inspectors: ["李督察", "周督察"],
            at: StoreFixture.date("2026-01-25T00:00:00Z"))
        try f.store.recordSpotCheck(
            cycleID: "2026-autumn", seed: 8, percent: 12.5, selected: ["A004"], inspectors: ["李督察"],
            at: StoreFixture.date("2026-01-26T00:00:00Z"))
        // The exam hall's codes (issued, one reissued, one revoked) and keys.
        if let hall = f.store as? any HallStore {
            func code(_ badge: String, _ fill: UInt8) -> HallCodeHash {
                HallCodeHash(
                    cycleID: "2026-spring", badge: badge, salt: Data(repeating: fill, count: 16),
                    hash: Data((0..<32).map { UInt8($0) &+ fill }), rounds: 210_000,
                    issuedAt: StoreFixture.date("2026-01-27T00:00:00Z"))
            }
            try hall.issueHallCodes(
                [code("A001", 1), code("A002", 2), code("A003", 3)], reissue: false, at: StoreFixture.date("2026-01-27T00:00:00Z"))
            try hall.issueHallCodes([code("A001", 4)], reissue: true, at: StoreFixture.date("2026-01-27T01:00:00Z"))
            try hall.revokeHallCodes(cycleID: "2026-spring", badges: ["A003"], at: StoreFixture.date("2026-01-27T02:00:00Z"))
            for (badge, n) in [("A001", "1"), ("A002", "2")] {
                try hall.addHallKey(
                    HallKey(
                        badge: badge, fingerprint: "SHA256:fixture\(n)",
                        publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixture\(n)", addedAt: StoreFixture.date("2026-01-28T00:00:00Z")))
            }
        }
    }

    struct Column {
        var name: String
        var pk: Bool
    }

    /// One table as the attacker sees it: columns, and every row as `quote()`d values.
    struct Table {
        var name: String
        var columns: [Column]
        var rows: [[String]]
        var keyIndexes: [Int] { columns.indices.filter { columns[$0].pk } }
    }

    enum Outcome: String { case detected, refusedByConstraint, refusedToOpen, noChange }

    func testRandomizedSingleRowTampering() throws {
        let f = try StoreFixture(backend: .sqlite)
        try Self.richStore(f)
        let clean = try f.store.verifyChain()
        XCTAssertNil(clean.problem, "\(clean.message)")
        _ = try f.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")

        let names = try f.sqlite("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .split(separator: "\n").map(String.init)
        // GRDB's bookkeeping of applied migrations is not part of the record (see docs/admin-guide.md).
        // Outside the replayed record, named so that any other new table still fails here:
        // grdb_migrations is bookkeeping; hall_sessions and hall_failures are the exam hall's
        // operational state (live sessions, failed logins), not part of the record.
        let notReplayed: Set = ["grdb_migrations", "hall_sessions", "hall_failures"]
        let tables = try names.filter { !notReplayed.contains($0) }.map { name -> Table in
            let info = try f.sqlite("SELECT name || '|' || pk FROM pragma_table_info('\(name)') ORDER BY cid")
                .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
            let columns = info.map { Column(name: String($0[0]), pk: $0[1] != "0") }
            let select = columns.map { "quote(\"\($0.name)\")" }.joined(separator: " || char(31) || ")
            let rows = try f.sqlite("SELECT \(select) FROM \"\(name)\"", options: ["-newline", "\u{1E}"])
                .split(separator: "\u{1E}").map { $0.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init) }
                .filter { $0.count == columns.count }
            return Table(name: name, columns: columns, rows: rows)
        }
        for t in tables { XCTAssertFalse(t.rows.isEmpty, "fixture has no rows in \(t.name)") }
        XCTAssertEqual(
            Set(tables.map(\.name)),
            ["answers", "attempts", "chain_head", "cycles", "departments", "events", "exemptions", "grades", "hall_codes",
             "hall_keys", "progress", "spot_check_selections", "spot_checks", "staff"])

        // The plan: every column of every table edited twice (same type, then another type or
        // NULL), every table deleted from three times, then random edits up to 320 trials.
        var rng = SplitMix64(seed: 2018)
        enum Kind { case edit(column: Int, retype: Bool), delete }
        var plan: [(Int, Kind)] = []
        for (ti, t) in tables.enumerated() {
            for c in t.columns.indices {
                plan.append((ti, .edit(column: c, retype: false)))
                plan.append((ti, .edit(column: c, retype: true)))
            }
            for _ in 0..<3 { plan.append((ti, .delete)) }
        }
        while plan.count < 320 {
            let ti = Int(rng.next() % UInt64(tables.count))
            let t = tables[ti]
            plan.append(rng.next() % 4 == 0 ? (ti, .delete) : (ti, .edit(column: Int(rng.next() % UInt64(t.columns.count)), retype: rng.next() % 3 == 0)))
        }

        var counts: [Outcome: Int] = [:]
        var perTable: [String: Int] = [:]
        var missed: [String] = []
        let copy = f.dir.appendingPathComponent("tampered.sqlite").path
        for (trial, (ti, kind)) in plan.enumerated() {
            let t = tables[ti]
            let row = t.rows[Int(rng.next() % UInt64(t.rows.count))]
            let keyIdx = t.name == "events" || t.keyIndexes.isEmpty ? [0] : t.keyIndexes
            let whereClause = keyIdx.map { "\"\(t.columns[$0].name)\" IS \(row[$0])" }.joined(separator: " AND ")
            let statement: String
            let description: String
            switch kind {
            case .delete:
                statement = "DELETE FROM \"\(t.name)\" WHERE \(whereClause);"
                description = "delete \(t.name) where \(whereClause)"
            case let .edit(c, retype):
                let other = t.rows.map { $0[c] }.filter { $0 != row[c] }
                let value = Self.newValue(old: row[c], others: other, retype: retype, rng: &rng)
                statement = "UPDATE \"\(t.name)\" SET \"\(t.columns[c].name)\" = \(value) WHERE \(whereClause);"
                description = "\(t.name).\(t.columns[c].name) \(row[c].prefix(40)) → \(value.prefix(40)) where \(whereClause.prefix(80))"
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            try FileManager.default.copyItem(atPath: f.path, toPath: copy)
            let outcome = try Self.tamper(copy, statement)
            let final: Outcome
            switch outcome {
            case .noChange:
                final = .noChange
            case .refusedByConstraint:
                final = .refusedByConstraint
            default:
                do {
                    let store = try SQLiteEducationStore(path: copy)
                    let integrity = try store.integrityProblem()
                    let v = try store.verifyChain()
                    final = integrity != nil || v.problem != nil ? .detected : .noChange
                    if final == .noChange { missed.append("trial \(trial): \(description)") }
                } catch {
                    final = .refusedToOpen
                }
            }
            counts[final, default: 0] += 1
            if final != .noChange { perTable[t.name, default: 0] += 1 }
        }
        let summary = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }
        print("tamper suite: \(plan.count) edits; " + summary.joined(separator: " ") + "; per table \(perTable.sorted { $0.key < $1.key })")
        XCTAssertGreaterThanOrEqual(plan.count, 300)
        XCTAssertTrue(missed.isEmpty, "undetected edits:\n" + missed.joined(separator: "\n"))
        XCTAssertEqual(counts[.noChange, default: 0], missed.count, "edits that changed nothing: the suite must generate real changes")
        // Most edits must reach verify; constraint refusals (NULL into NOT NULL, a CHECK, a
        // duplicate key) are the minority.
        XCTAssertGreaterThanOrEqual(counts[.detected, default: 0], 200)
        XCTAssertEqual(counts.values.reduce(0, +), plan.count)
    }

    /// A value of the same storage class but different (`retype` false), or of another class or
    /// NULL (`retype` true), as an SQL literal.
    static func newValue(old: String, others: [String], retype: Bool, rng: inout SplitMix64) -> String {
        let isText = old.hasPrefix("'"), isBlob = old.hasPrefix("X'"), isNull = old == "NULL"
        let isReal = !isText && !isBlob && !isNull && (old.contains(".") || old.contains("e"))
        if retype {
            switch rng.next() % 3 {
            case 0: return "NULL" == old ? "'x'" : "NULL"
            case 1: return isText ? "12345" : "'tampered'"
            default: return isBlob ? "'blob as text'" : "X'00FF'"
            }
        }
        // Half the time another row's value in the same column (a realistic swap), if any.
        if let pick = others.randomElement(using: &rng), rng.next() % 2 == 0, pick != "NULL" || isNull { return pick }
        if isNull { return "1" }
        if isText {
            let inner = String(old.dropFirst().dropLast())
            return inner.isEmpty ? "'x'" : "'" + inner + "x'"
        }
        if isBlob { return String(old.dropLast()) + "00'" }
        if isReal { return "(\(old) + 7.5)" }
        if let n = Int64(old) { return n == 0 ? "1" : (n == 1 ? "0" : String(n + 1)) }
        return "'x'"
    }

    /// Runs the edit with the sqlite3 CLI after dropping the triggers; how it went.
    static func tamper(_ path: String, _ statement: String) throws -> Outcome {
        let script = """
            .bail on
            DROP TRIGGER IF EXISTS events_append_only_update;
            DROP TRIGGER IF EXISTS events_append_only_delete;
            \(statement)
            SELECT 'changed=' || changes();
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [path]
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let error = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus != 0 {
            if error.contains("constraint failed") || error.contains("datatype mismatch") { return .refusedByConstraint }
            XCTFail("sqlite3 failed on \(statement): \(error)")
            return .noChange
        }
        return text.contains("changed=1") ? .detected : .noChange
    }
}
