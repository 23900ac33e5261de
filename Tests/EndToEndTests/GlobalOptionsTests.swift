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

    /// `--help` at any level and the `help` command print ArgumentParser's help and exit 0
    /// (they were once put into words as a failure: the help arrives as an error).
    @Test(arguments: [["--help"], ["staff", "--help"], ["staff", "import", "-h"], ["help", "staff"], ["dev", "--help"]])
    func helpIsPrintedAndExitsZero(_ args: [String]) throws {
        let r = try AcademyProcess.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("USAGE: academy"), "\(r.stdout)")
        #expect(!r.stdout.contains("CommandError") && !r.stderr.contains("CommandError"))
        #expect(r.stderr.isEmpty, "\(r.stderr)")
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

/// The users are Chinese: a server's C/POSIX locale gives Chinese; only an explicit
/// non-Chinese language (ACADEMY_LANG, a locale such as en_US.UTF-8, or --lang) gives English.
@Suite struct DefaultLanguageTests {
    func staffShowError(_ env: [String: String?], _ args: [String] = []) throws -> String {
        let dir = try TemporaryDirectory(prefix: "academy-lang")
        defer { dir.remove() }
        var e: [String: String?] = ["ACADEMY_LANG": nil, "LC_ALL": nil, "LC_MESSAGES": nil, "LANG": nil]
        for (k, v) in env { e[k] = v }
        let r = try AcademyProcess.run(args + ["staff", "show", "NOBODY", "--db", dir.url.appendingPathComponent("l.sqlite").path], cwd: dir.url, env: e)
        #expect(r.status == 1)
        return r.stderr
    }

    @Test(arguments: ["C", "C.UTF-8", "POSIX", "zh_CN.UTF-8"])
    func noLanguageInTheLocaleGivesChinese(_ locale: String) throws {
        #expect(try staffShowError(["LANG": locale]).contains("未找到执法证号 NOBODY"))
        #expect(try staffShowError(["LC_ALL": locale, "LANG": "en_US.UTF-8"]).contains("未找到执法证号 NOBODY"))
    }

    @Test func nothingSetGivesChinese() throws {
        #expect(try staffShowError([:]).contains("未找到执法证号 NOBODY"))
    }

    @Test func anExplicitOtherLanguageGivesEnglish() throws {
        #expect(try staffShowError(["LANG": "en_US.UTF-8"]).contains("no staff member with badge NOBODY"))
        #expect(try staffShowError(["LANG": "C", "ACADEMY_LANG": "en"]).contains("no staff member with badge NOBODY"))
        #expect(try staffShowError(["LANG": "C"], ["--lang", "en"]).contains("no staff member with badge NOBODY"))
        #expect(try staffShowError(["LANG": "en_US.UTF-8"], ["--lang", "zh-Hans"]).contains("未找到执法证号 NOBODY"))
    }
}
