import CourseLoading
import Foundation
import Localization
import Testing

/// Which database a run uses (`--db`, the global `--db`, ACADEMY_DB, academy.conf, the default).
@Suite struct DatabaseChoiceTests {
    private func config(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("academy-\(UUID()).conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theOptionThenTheEnvironmentThenTheConfigurationThenTheDefault() throws {
        let conf = try config("db = /srv/academy/city.sqlite\n")
        defer { try? FileManager.default.removeItem(atPath: conf) }
        let env = ["ACADEMY_DB": "/env.sqlite", "ACADEMY_CONFIG": conf]
        #expect(DatabaseChoice.path(explicit: "/opt.sqlite", environment: env) == "/opt.sqlite")
        #expect(DatabaseChoice.path(explicit: nil, environment: env) == "/env.sqlite")
        #expect(DatabaseChoice.path(explicit: "", environment: env) == "/env.sqlite")
        #expect(DatabaseChoice.path(explicit: nil, environment: ["ACADEMY_DB": "", "ACADEMY_CONFIG": conf]) == "/srv/academy/city.sqlite")
        let empty = try config("# nothing\n")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(DatabaseChoice.path(explicit: nil, environment: ["ACADEMY_CONFIG": empty]) == "academy.sqlite")
        // An unreadable configuration is refused before any command runs; here it counts as none.
        let bad = try config("db\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect(DatabaseChoice.path(explicit: nil, environment: ["ACADEMY_CONFIG": bad]) == "academy.sqlite")
    }

    @Test func theGlobalOptionIsTakenOnlyFromBeforeTheCommand() throws {
        #expect(try DatabaseChoice.leading(["--db", "/a.sqlite", "staff", "list"]) == (["staff", "list"], "/a.sqlite"))
        #expect(try DatabaseChoice.leading(["--db=/a.sqlite", "--db", "/b", "cycle"]) == (["cycle"], "/b"))
        #expect(try DatabaseChoice.leading(["--db="]) == ([], ""))
        let after = ["staff", "list", "--db", "/c.sqlite"]
        #expect(try DatabaseChoice.leading(after) == (after, nil))
        #expect(throws: UsageProblem.self) { try DatabaseChoice.leading(["--db"]) }
        #expect(throws: UsageProblem.self) { try DatabaseChoice.leading(["--db=/a", "--db"]) }
    }
}
