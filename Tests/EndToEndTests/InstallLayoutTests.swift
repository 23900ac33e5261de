import Foundation
import TestSupport
import Testing

/// The installed layout, as the Debian package lays it out: content found beside the binary
/// (`<prefix>/share/academy`) and in `content.d/` beside the configuration file, the database
/// named by the configuration file, a bad configuration file refused before any work, and
/// `--version` naming the content and its digest.
@Suite(.serialized) struct InstallLayoutTests {
    /// `<dir>/prefix/bin/academy` (the built binary) with the package's content and schemas in
    /// `<dir>/prefix/share/academy`, and `<dir>/etc/academy.conf` holding `config`.
    static func install(_ dir: TemporaryDirectory, config: String = "") throws -> (bin: String, conf: String) {
        let fm = FileManager.default
        let prefix = dir.url.appendingPathComponent("prefix")
        try fm.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: prefix.appendingPathComponent("share/academy"), withIntermediateDirectories: true)
        let bin = prefix.appendingPathComponent("bin/academy")
        try placeExecutable(from: try AcademyProcess.binaryURL(), to: bin)
        for d in ["Courses", "QuestionBank", "schemas"] {
            try fm.copyItem(
                at: AcademyProcess.packageRoot.appendingPathComponent(d),
                to: prefix.appendingPathComponent("share/academy/\(d)"))
        }
        let conf = try dir.write("etc/academy.conf", config)
        return (bin.path, conf.path)
    }

    /// A hard link to the built binary, else a copy written through a close-on-exec descriptor:
    /// a plain copy's write descriptor can leak into a process another test forks meanwhile, and
    /// executing the copy then fails with "Text file busy".
    static func placeExecutable(from source: URL, to destination: URL) throws {
        if (try? FileManager.default.linkItem(at: source, to: destination)) != nil { return }
        let data = try Data(contentsOf: source)
        let fd = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Runs the installed copy from `<dir>/work` (no Courses/ there), with its configuration.
    static func run(
        _ dir: TemporaryDirectory, _ bin: String, _ conf: String, _ args: [String], env: [String: String?] = [:]
    ) throws -> AcademyProcess.Result {
        let work = dir.url.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        var e: [String: String?] = [
            "ACADEMY_CONFIG": conf, "ACADEMY_CONTENT": nil, "ACADEMY_DB": nil,
            "ACADEMY_CACHE_DIR": "off",
        ]
        for (k, v) in env { e[k] = v }
        return try AcademyProcess.run(args, cwd: work, env: e, executable: URL(fileURLWithPath: bin))
    }

    @Test func installedContentIsFoundBesideTheBinary() throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let (bin, conf) = try Self.install(dir)
        let r = try Self.run(dir, bin, conf, ["lint", "--strict"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(": 0 errors, 0 warnings"), "\(r.stdout)")
        // --content and ACADEMY_CONTENT still win over the installed content.
        let other = try dir.write("mine/empty.txt", "")
        let explicit = try Self.run(dir, bin, conf, ["lint", other.deletingLastPathComponent().path])
        #expect(explicit.status == 2)
        #expect(
            explicit.stderr.contains("no .xml files found in \(other.deletingLastPathComponent().path)"), "\(explicit.stderr)")
        let env = try Self.run(dir, bin, conf, ["lint"], env: ["ACADEMY_CONTENT": other.deletingLastPathComponent().path])
        #expect(env.status == 2)
    }

    @Test func contentDirectoryAndConfiguredPathsAddToTheShippedContent() throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let (bin, conf) = try Self.install(dir, config: "content = extra\n")
        // A bureau's own file whose id clashes with the shipped provisions: lint must see it
        // together with the shipped content, from content.d/ and from the `content =` path.
        let shipped = try String(
            contentsOf: AcademyProcess.packageRoot.appendingPathComponent("Courses/notice-2018/provisions.xml"), encoding: .utf8)
        try dir.write("etc/content.d/ours.xml", shipped)
        try dir.write("etc/extra/ours-too.xml", shipped)
        let r = try Self.run(dir, bin, conf, ["lint"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("etc/content.d/ours.xml:"), "\(r.stdout)")
        #expect(r.stdout.contains("etc/extra/ours-too.xml:"), "\(r.stdout)")
        #expect(r.stdout.contains("duplicate-id") || r.stdout.contains("duplicate"), "\(r.stdout)")
    }

    @Test func configuredDatabaseIsUsedUnlessOverridden() throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let (bin, conf) = try Self.install(dir, config: "# the hall's database\n  db = data/hall.sqlite  \n")
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("etc/data"), withIntermediateDirectories: true)
        let csv = try dir.write("staff.csv", "执法证号,姓名,所属部门,人员类别\nI1,测试乙（虚构）,示例省/示例市,执法人员\n")
        let r = try Self.run(dir, bin, conf, ["staff", "import", csv.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("etc/data/hall.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("work/academy.sqlite").path))
        // ACADEMY_DB and --db still win.
        let byEnv = try Self.run(dir, bin, conf, ["staff", "list"], env: ["ACADEMY_DB": "env.sqlite"])
        #expect(byEnv.status == 0, "\(byEnv.stderr)")
        #expect(!byEnv.stdout.contains("I1"))
        let byOption = try Self.run(dir, bin, conf, ["--db", "opt.sqlite", "staff", "list"])
        #expect(byOption.status == 0, "\(byOption.stderr)")
        #expect(!byOption.stdout.contains("I1"))
        let configured = try Self.run(dir, bin, conf, ["staff", "list"])
        #expect(configured.stdout.contains("I1"), "\(configured.stdout)")
    }

    @Test(arguments: [
        ("db = a.sqlite\nport = 22\n", ":2: unknown key \"port\""),
        ("db\n", ":1: expected \"key = value\""),
        ("content =\n", ":1: content has an empty value"),
        ("db = a.sqlite\ndb = b.sqlite\n", ":2: db is set twice"),
        // Windows line ends: still two lines (Swift reads "\r\n" as one character).
        ("db = a.sqlite\r\ndb = b.sqlite\r\n", ":2: db is set twice"),
        ("# 配置\r\ndb = a.sqlite\r\nport = 22\r\n", ":3: unknown key \"port\""),
    ])
    func badConfigurationIsAUsageErrorBeforeAnyWork(config: String, message: String) throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let conf = try dir.write("academy.conf", config)
        let db = dir.url.appendingPathComponent("x.sqlite").path
        let r = try AcademyProcess.run(
            ["staff", "list", "--db", db], cwd: dir.url, env: ["ACADEMY_CONFIG": conf.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(conf.path + message), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db), "nothing was created")
    }

    @Test func versionNamesTheContentAndItsDigest() throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let (bin, conf) = try Self.install(dir)
        let r = try Self.run(dir, bin, conf, ["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        let share = dir.url.appendingPathComponent("prefix/share/academy").path
        #expect(r.stdout.hasPrefix("academy "), "\(r.stdout)")
        #expect(r.stdout.contains("content in use: \(share)/Courses, \(share)/QuestionBank"), "\(r.stdout)")
        #expect(r.stdout.contains("bank all-staff-2018 "), "\(r.stdout)")
        // The digest is the documented shell pipeline's.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = [
            "-c",
            "cd \"$1\" && find Courses QuestionBank -type f -name '*.xml' | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1",
            "sh", share,
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let digest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(digest.count == 64)
        #expect(r.stdout.contains("content SHA-256 \(digest)"), "\(r.stdout) vs \(digest)")
        // Editing one shipped file changes it.
        let bank = dir.url.appendingPathComponent("prefix/share/academy/QuestionBank/notice-2018/bank-s1.xml")
        try (try String(contentsOf: bank, encoding: .utf8) + "\n").write(to: bank, atomically: true, encoding: .utf8)
        let edited = try Self.run(dir, bin, conf, ["--version"])
        #expect(!edited.stdout.contains("content SHA-256 \(digest)"), "\(edited.stdout)")
    }

    @Test(.disabled(if: FileManager.default.fileExists(atPath: "/usr/share/academy/Courses"), "the package is installed here"))
    func noContentAnywhereSaysWhereItLooked() throws {
        let dir = try TemporaryDirectory(prefix: "academy-install")
        defer { dir.remove() }
        let conf = dir.url.appendingPathComponent("none/academy.conf").path
        let r = try AcademyProcess.run(
            ["lint"], cwd: dir.url, env: ["ACADEMY_CONFIG": conf, "ACADEMY_CONTENT": nil])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no content found"), "\(r.stderr)")
        #expect(r.stderr.contains("/usr/share/academy"), "\(r.stderr)")
    }
}
