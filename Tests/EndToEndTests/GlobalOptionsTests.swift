import Foundation
import TestSupport
import Testing

/// Options that apply to the whole invocation, whatever the command: `--db` before the command
/// and `--lang` anywhere.
@Suite struct GlobalOptionsTests {
    @Test func databaseNamedBeforeTheCommand() throws {
        let dir = try TemporaryDirectory(prefix: "academy-global")
        defer { dir.remove() }
        try dir.write("staff.csv", "执法证号,姓名,所属部门,人员类别\nG1,测试甲（虚构）,示例省/示例市,执法人员\n")
        let db = dir.url.appendingPathComponent("named.sqlite").path
        let imported = try AcademyProcess.run(
            ["--db", db, "staff", "import", "staff.csv"], cwd: dir.url,
            env: ["ACADEMY_DB": nil])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("academy.sqlite").path))
        let shown = try AcademyProcess.run(
            ["--db=\(db)", "--lang", "zh-Hans", "staff", "show", "G1"], cwd: dir.url,
            env: ["ACADEMY_DB": nil])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("测试甲"))
    }

    @Test func databaseOptionWithoutAPathIsAUsageError() throws {
        let r = try AcademyProcess.run(["--db"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--db needs a path"))
    }

    @Test func badClockHooksAreUsageErrorsBeforeAnyWork() throws {
        let dir = try TemporaryDirectory(prefix: "academy-clock")
        defer { dir.remove() }
        let db = dir.url.appendingPathComponent("clock.sqlite").path
        let offset = try AcademyProcess.run(["staff", "list", "--db", db], cwd: dir.url, env: ["ACADEMY_CLOCK_OFFSET": "abc"])
        #expect(offset.status == 2)
        #expect(offset.stderr.contains("ACADEMY_CLOCK_OFFSET"))
        let now = try AcademyProcess.run(["staff", "list", "--db", db], cwd: dir.url, env: ["ACADEMY_NOW": "yesterday"])
        #expect(now.status == 2)
        #expect(now.stderr.contains("ACADEMY_NOW"))
        #expect(!FileManager.default.fileExists(atPath: db), "nothing was created")
    }
}
