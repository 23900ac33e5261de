import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9 §4 through the binary: what `-o` may replace, inputs that would never return,
/// length limits, and the rules of `cycle create`. Each refusal is checked for its message, its
/// exit code and for leaving the thing at the path exactly as it was.
@Suite(.serialized) struct HardeningTests {
    /// A directory with a staff list imported and one cycle, `c`.
    final class Fixture {
        let dir: TemporaryDirectory
        var url: URL { dir.url }
        var db: String { url.appendingPathComponent("t.sqlite").path }

        init() throws {
            dir = try TemporaryDirectory(prefix: "academy-hardening")
            try dir.write(
                "staff.csv",
                "执法证号,姓名,所属部门,人员类别\nH1,测试甲（虚构）,示例省/示例市/甲区,执法人员\nH2,测试乙（虚构）,示例省/示例市/乙区,协管人员\n")
            let imported = try run(["staff", "import", "staff.csv"])
            #expect(imported.status == 0, "\(imported.stderr)")
            let created = try run(
                [
                    "cycle", "create", "c", "--title", "测试周期", "--course", "c", "--blueprint", "b",
                    "--opens", "2018-01-15", "--due", "2018-02-14", "--unchecked",
                ], env: ["TZ": "Asia/Shanghai"])
            #expect(created.status == 0, "\(created.stderr)")
        }

        deinit { dir.remove() }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        @discardableResult
        func run(_ args: [String], env: [String: String?] = [:], timeout: TimeInterval = 60) throws -> AcademyProcess.Result {
            var e = env
            e["ACADEMY_DB"] = db
            // No content unless a test names it (updateValue: a nil value removes the variable).
            if !e.keys.contains("ACADEMY_CONTENT") { e.updateValue(nil, forKey: "ACADEMY_CONTENT") }
            e["ACADEMY_NOW"] = e["ACADEMY_NOW"] ?? "2018-02-01T00:00:00Z"
            return try AcademyProcess.run(args, cwd: url, env: e, timeout: timeout)
        }

        func export(_ output: String, _ extra: [String] = []) throws -> AcademyProcess.Result {
            try run(["roster", "export", "--cycle", "c", "-o", output] + extra)
        }
    }

    static func mode(_ path: String) -> (type: mode_t, perm: mode_t)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT, st.st_mode & 0o7777)
    }

    static func currentUmask() -> mode_t {
        let m = umask(0o022)
        umask(m)
        return m
    }

    // MARK: -o

    @Test func outputRefusesCharacterDevicesAndLeavesThemAlone() throws {
        let f = try Fixture()
        // As root this once turned /dev/null and /dev/full into regular files.
        for device in ["/dev/null", "/dev/full"] {
            let before = try #require(Self.mode(device))
            let r = try f.export(device)
            #expect(r.status == 1)
            #expect(r.stderr.contains("character device"), "\(r.stderr)")
            #expect(Self.mode(device)?.type == S_IFCHR)
            #expect(Self.mode(device)?.perm == before.perm)
        }
        // A device node made for the test (only root may make one; /dev/null above covers others).
        if geteuid() == 0 {
            let node = f.path("out.csv")
            #expect(mknod(node, S_IFCHR | 0o644, dev_t((1 << 8) | 3)) == 0)  // makedev(1, 3): /dev/null
            let r = try f.export("out.csv")
            #expect(r.status == 1)
            #expect(r.stderr.contains("out.csv") && r.stderr.contains("character device"), "\(r.stderr)")
            #expect(Self.mode(node)?.type == S_IFCHR)
        }
        let zh = try f.run(["roster", "export", "--cycle", "c", "-o", "/dev/null", "--lang", "zh-Hans"])
        #expect(zh.status == 1)
        #expect(zh.stderr.contains("字符设备"), "\(zh.stderr)")
    }

    @Test func outputRefusesFIFOSocketAndDirectoryWithoutHanging() throws {
        let f = try Fixture()
        #expect(mkfifo(f.path("pipe.csv"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: f.path("dir.csv"), withIntermediateDirectories: false)
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(sock >= 0)
        defer { close(sock) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let sockPath = f.path("sock.csv")
        withUnsafeMutableBytes(of: &addr.sun_path) { buf in
            for (i, b) in sockPath.utf8.prefix(buf.count - 1).enumerated() { buf[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        for (name, type, word) in [
            ("pipe.csv", S_IFIFO, "FIFO"), ("dir.csv", S_IFDIR, "directory"), ("sock.csv", S_IFSOCK, "socket"),
        ] {
            for format in ["csv", "xlsx", "json"] {
                let r = try f.run(["roster", "export", "--cycle", "c", "--format", format, "-o", name], timeout: 30)
                #expect(r.status == 1, "\(name) \(format): \(r.stderr)")
                #expect(r.stderr.contains(word), "\(r.stderr)")
                #expect(Self.mode(f.path(name))?.type == type)
            }
        }
        let report = try f.run(["roster", "report", "--cycle", "c", "-o", "pipe.csv"], timeout: 30)
        #expect(report.status == 1)
        #expect(report.stderr.contains("FIFO"))
        #expect(Self.mode(f.path("pipe.csv"))?.type == S_IFIFO)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: f.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func dashAndDevStdoutWriteToStandardOutput() throws {
        let f = try Fixture()
        for target in ["-", "/dev/stdout"] {
            let r = try f.export(target)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("H1") && r.stdout.contains("H2"))
            #expect(!FileManager.default.fileExists(atPath: f.path(target)))
            let report = try f.run(["roster", "report", "--cycle", "c", "-o", target])
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.hasPrefix("<!DOCTYPE html>"))
        }
    }

    @Test func symlinkIsRefusedUnlessFollowed() throws {
        let f = try Fixture()
        try f.dir.write("target.csv", "old\n")
        #expect(chmod(f.path("target.csv"), 0o640) == 0)
        #expect(symlink("target.csv", f.path("link.csv")) == 0)
        let refused = try f.export("link.csv")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("symbolic link") && refused.stderr.contains("--follow-symlinks"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: f.path("target.csv"), encoding: .utf8) == "old\n")
        #expect(Self.mode(f.path("link.csv"))?.type == S_IFLNK)

        let followed = try f.export("link.csv", ["--follow-symlinks"])
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(Self.mode(f.path("link.csv"))?.type == S_IFLNK, "the link itself stays a link")
        #expect(try String(contentsOfFile: f.path("target.csv"), encoding: .utf8).contains("H1"))
        #expect(Self.mode(f.path("target.csv"))?.perm == 0o640, "the target keeps its mode")

        // A link to a device stays refused when followed: the rule applies to what it points to.
        #expect(symlink("/dev/null", f.path("null.csv")) == 0)
        let device = try f.export("null.csv", ["--follow-symlinks"])
        #expect(device.status == 1)
        #expect(device.stderr.contains("character device"), "\(device.stderr)")
    }

    @Test func overwritingKeepsTheModeAndNewFilesArePrivate() throws {
        let f = try Fixture()
        let fresh = try f.export("new.csv")
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(Self.mode(f.path("new.csv"))?.perm == 0o600 & ~Self.currentUmask())
        for format in ["csv", "xlsx", "json"] {
            let name = "kept.\(format)"
            try f.dir.write(name, "old")
            #expect(chmod(f.path(name), 0o604) == 0)
            let r = try f.run(["roster", "export", "--cycle", "c", "--format", format, "-o", name])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(Self.mode(f.path(name))?.perm == 0o604, "\(format)")
        }
        let xlsx = try f.run(["roster", "export", "--cycle", "c", "--format", "xlsx", "-o", "new.xlsx"])
        #expect(xlsx.status == 0, "\(xlsx.stderr)")
        #expect(Self.mode(f.path("new.xlsx"))?.perm == 0o600 & ~Self.currentUmask())
        let report = try f.run(["roster", "report", "--cycle", "c", "-o", "r.html"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(Self.mode(f.path("r.html"))?.perm == 0o600 & ~Self.currentUmask())
    }

    // MARK: inputs that never return

    @Test func lintAndContentLoadingRefuseFIFOsInsteadOfHanging() throws {
        let f = try Fixture()
        try f.dir.write(
            "content/provisions.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <provisions id="p" title="条款"><source>测试</source>
              <section id="s1" number="一" title="一"><provision id="s1.p1" title="条款一"><summary>摘要。</summary></provision></section>
            </provisions>

            """)
        #expect(mkfifo(f.path("content/f.xml"), 0o644) == 0)
        let lint = try f.run(["lint", "content"], timeout: 30)
        #expect(lint.status == 1, "\(lint.stderr)")
        #expect(lint.stdout.contains("content/f.xml:1:1: error: cannot read file: a FIFO"), "\(lint.stdout)")
        // Named directly, and through the content option of a command that loads content.
        let direct = try f.run(["lint", "content/f.xml"], timeout: 30)
        #expect(direct.status == 1)
        #expect(direct.stdout.contains("FIFO"))
        let course = try f.run(["course", "list", "--content", "content"], timeout: 30)
        #expect(course.status == 0, "returns (a FIFO once hung every command that loads content)")
        #expect(course.stderr.contains("1 errors; run academy lint"), "\(course.stderr)")
        // A device behind a .xml name.
        #expect(symlink("/dev/zero", f.path("content/zero.xml")) == 0)
        let zero = try f.run(["lint", "content"], timeout: 30)
        #expect(zero.stdout.contains("content/zero.xml:1:1: error: cannot read file: a character device"), "\(zero.stdout)")
    }

    @Test func staffImportRefusesFIFOsAndDevices() throws {
        let f = try Fixture()
        #expect(mkfifo(f.path("staff-fifo.csv"), 0o644) == 0)
        let fifo = try f.run(["staff", "import", "staff-fifo.csv"], timeout: 30)
        #expect(fifo.status == 1)
        #expect(fifo.stderr.contains("staff-fifo.csv") && fifo.stderr.contains("FIFO"), "\(fifo.stderr)")
        let device = try f.run(["staff", "import", "/dev/zero"], timeout: 30)
        #expect(device.status == 1)
        #expect(device.stderr.contains("character device"), "\(device.stderr)")
    }

    @Test func spotCheckInspectorListRefusesFIFOsAndDevices() throws {
        let f = try Fixture()
        #expect(mkfifo(f.path("inspectors.txt"), 0o644) == 0)
        for list in ["inspectors.txt", "/dev/zero"] {
            let r = try f.run(
                ["spotcheck", "draw", "--cycle", "c", "--percent", "50", "--seed", "1", "--inspectors", list], timeout: 30)
            #expect(r.status == 1, "\(list): \(r.stderr)")
            #expect(r.stderr.contains("FIFO") || r.stderr.contains("character device"), "\(r.stderr)")
        }
    }

    // MARK: length limits

    @Test func tenMegabyteHeaderIsRefusedWithAShortMessage() throws {
        let f = try Fixture()
        try f.dir.write("header.csv", String(repeating: "a", count: 10 << 20) + "\nX1,n,示例省,officer\n")
        let r = try f.run(["staff", "import", "header.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("header.csv:1:"), "\(r.stderr.prefix(500))")
        #expect(r.stderr.utf8.count < 1000, "message is \(r.stderr.utf8.count) bytes")
        // A long header under the record limit: the unknown name is quoted, clipped.
        try f.dir.write("header2.csv", "badge,name,department,role," + String(repeating: "x", count: 100_000) + "\nX1,n,示例省,officer\n")
        let long = try f.run(["staff", "import", "header2.csv"])
        #expect(long.status == 1)
        #expect(long.stderr.contains("unknown header") && long.stderr.contains("…"), "\(long.stderr.prefix(500))")
        #expect(long.stderr.utf8.count < 1000, "message is \(long.stderr.utf8.count) bytes")
    }

    @Test func nineMegabyteNameIsRefusedAndNothingImported() throws {
        let f = try Fixture()
        let huge = String(repeating: "张", count: 3 << 20)  // 9 MB of UTF-8
        try f.dir.write("huge.csv", "badge,name,department,role\nX1,\(huge),示例省/示例市,officer\n")
        let r = try f.run(["staff", "import", "huge.csv"])
        #expect(r.status == 1)
        #expect(r.stderr.utf8.count < 1000, "message is \(r.stderr.utf8.count) bytes")
        // Under the record limit, the field limit speaks, naming line and column.
        try f.dir.write("long.csv", "badge,name,department,role\nX1,\(String(repeating: "张", count: 5000)),示例省/示例市,officer\n")
        let long = try f.run(["staff", "import", "long.csv"])
        #expect(long.status == 1)
        #expect(long.stderr.contains("long.csv:2: column 'name': too long (5000 characters, the limit is 100)"), "\(long.stderr)")
        #expect(long.stderr.utf8.count < 1000)
        try f.dir.write("ctl.csv", "badge,name,department,role\nX1,\"张\u{1B}[2J三\",示例省/示例市,officer\n")
        let ctl = try f.run(["staff", "import", "ctl.csv"])
        #expect(ctl.status == 1)
        #expect(ctl.stderr.contains("control character (U+001B)"), "\(ctl.stderr)")
        #expect(!ctl.stderr.contains("\u{1B}"), "the escape is not echoed raw")
        let list = try f.run(["staff", "list"])
        #expect(!list.stdout.contains("X1"), "nothing was imported")
    }

    // MARK: cycle create

    @Test func cycleCreateRefusesBadIdsDatesDepartmentsAndZones() throws {
        let f = try Fixture()
        func create(_ id: String, opens: String = "2018-01-15", extra: [String] = [], env: [String: String?] = [:]) throws
            -> AcademyProcess.Result
        {
            try f.run(
                ["cycle", "create", id, "--title", "t", "--course", "c", "--blueprint", "b", "--opens", opens, "--due", "2018-02-14", "--unchecked"]
                    + extra, env: env)
        }
        for bad in ["../etc", "a/b", "有中文", "-x", "a b", String(repeating: "a", count: 65), "a..b"] {
            let r = try create(bad)
            #expect(r.status != 0, "\(bad) accepted")
            #expect(r.stderr.contains("plain identifier") || r.status == 2, "\(bad): \(r.stderr)")
        }
        let year0 = try create("y0", opens: "0000-01-01")
        #expect(year0.status == 1)
        #expect(year0.stderr.contains("0000-01-01") && year0.stderr.contains("1970"), "\(year0.stderr)")
        let dept = try create("d1", extra: ["--department", "火星/基地"])
        #expect(dept.status == 1)
        #expect(dept.stderr.contains("no department '火星/基地'"), "\(dept.stderr)")
        let zone = try create("z1", env: ["TZ": "Mars/Olympus"])
        #expect(zone.status == 1)
        #expect(zone.stderr.contains("unknown time zone 'Mars/Olympus'"), "\(zone.stderr)")
        let list = try f.run(["cycle", "list", "--format", "json"])
        for id in ["y0", "d1", "z1", "../etc"] { #expect(!list.stdout.contains("\"\(id)\"")) }

        // The accepted forms: a known department (or its ancestor), TZ with a leading colon.
        let good = try create("2018.spring_2", extra: ["--department", "示例省/示例市"], env: ["TZ": ":Asia/Shanghai"])
        #expect(good.status == 0, "\(good.stderr)")
        let shown = try f.run(["cycle", "show", "2018.spring_2", "--format", "json"])
        #expect(shown.stdout.contains("\"timeZone\" : \"Asia\\/Shanghai\"") || shown.stdout.contains("Asia/Shanghai"), "\(shown.stdout)")
    }

    // MARK: content cache for the records commands (§5)

    /// `cycle show` (like `record show`, `roster …` and `cycle create`) needs only the course's
    /// required items and the blueprint's attempts; it takes them from the content cache when
    /// the content is unchanged. Proven by doctoring the cached entry: the command believes it.
    @Test func cycleShowTakesTheCompletionRuleFromTheContentCache() throws {
        let f = try Fixture()
        let root = AcademyProcess.packageRoot
        let content = [root.appendingPathComponent("Courses").path, root.appendingPathComponent("QuestionBank").path]
        let cache = f.url.appendingPathComponent("cache")
        let env: [String: String?] = ["ACADEMY_CONTENT": content.joined(separator: ":"), "ACADEMY_CACHE_DIR": cache.path]
        let created = try f.run(
            [
                "cycle", "create", "shipped", "--title", "t", "--course", "strict-enforcement-2018", "--blueprint",
                "all-staff-2018", "--opens", "2018-01-15", "--due", "2018-02-14",
            ], env: env)
        #expect(created.status == 0, "\(created.stderr)")
        let first = try f.run(["cycle", "show", "shipped", "--format", "json"], env: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"not_started\" : 2"), "\(first.stdout)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasPrefix("completion-catalog-") }
        #expect(entries.count == 1, "\(entries)")
        let entry = try #require(entries.first)
        try Data(#"{"courses":{},"blueprints":{}}"#.utf8).write(to: cache.appendingPathComponent(entry))
        let cached = try f.run(["cycle", "show", "shipped", "--format", "json"], env: env)
        #expect(cached.status == 0)
        #expect(cached.stdout.contains("\"statusCounts\" : null"), "the doctored cache was used: \(cached.stdout)")
        // Without the cache, the content is read again.
        let fresh = try f.run(["cycle", "show", "shipped", "--format", "json"], env: env.merging(["ACADEMY_CACHE_DIR": "off"]) { $1 })
        #expect(fresh.stdout.contains("\"not_started\" : 2"), "\(fresh.stdout)")
    }
}
