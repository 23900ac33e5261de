import Foundation
import TestSupport
import Testing

/// Drives the built `academy` binary: preview, stats, and whole `--plain` exams from a script
/// against a temporary database.
@Suite(.serialized) struct ExamEndToEndTests {
    static let xsi = #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#

    /// A small content set whose keys do not depend on the seed: options are never shuffled, every
    /// single choice has A correct, every multiple choice A and B, every true/false is true.
    static func writeContent(_ dir: TemporaryDirectory, maxAttempts: Int = 2, review: String = "immediately") throws -> URL {
        let root = dir.url.appendingPathComponent("content")
        try dir.write(
            "content/provisions.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <provisions \(xsi) id="e2e-notice" title="测试条款">
              <source>测试</source>
              <section id="e2e-sec1" number="一" title="第一部分">
                <provision id="e2e-p1" title="条款一"><summary>全过程记录执法活动。</summary></provision>
                <provision id="e2e-p2" title="条款二"><summary>严禁辱骂当事人。</summary></provision>
              </section>
            </provisions>
            """)
        try dir.write(
            "content/course.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <course \(xsi) id="e2e-course" title="测试课程" provisions="e2e-notice">
              <summary>测试。</summary>
              <module id="e2e-mod1" title="模块">
                <lesson id="e2e-l1" title="课时" minutes="10"><cite provision="e2e-p1"/><cite provision="e2e-p2"/><section><p>正文。</p></section><key-points><point>要点。</point></key-points></lesson>
              </module>
            </course>
            """)
        var qs = ""
        for i in 1...4 {
            qs += """
                  <single-choice id="e2e-s\(i)" topic="纪律" difficulty="2" shuffle="false">
                    <stem>单选题\(i)：正确的是？</stem>
                    <option correct="true">正确做法\(i)</option><option>错误做法甲\(i)</option><option>错误做法乙\(i)</option><option>错误做法丙\(i)</option>
                    <cite provision="e2e-p1"/><explanation>单选解析\(i)。</explanation>
                  </single-choice>
                  <true-false id="e2e-t\(i)" topic="程序" difficulty="2" answer="true">
                    <stem>判断题\(i)：应当全过程记录。</stem><cite provision="e2e-p1"/><explanation>判断解析\(i)。</explanation>
                  </true-false>
                  <multiple-choice id="e2e-m\(i)" topic="纪律" difficulty="2" shuffle="false">
                    <stem>多选题\(i)：哪些正确？</stem>
                    <option correct="true">做法一\(i)</option><option correct="true">做法二\(i)</option><option>做法三\(i)</option>
                    <cite provision="e2e-p2"/><explanation>多选解析\(i)。</explanation>
                  </multiple-choice>
                  <fill-in id="e2e-f\(i)" topic="程序" difficulty="2">
                    <stem>填空题\(i)：执法应当<blank><accept>全过程记录</accept></blank>。</stem>
                    <cite provision="e2e-p1"/><explanation>填空解析\(i)。</explanation>
                  </fill-in>

                """
        }
        try dir.write(
            "content/bank.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <question-bank \(xsi) id="e2e-bank" title="测试题库">
            \(qs)</question-bank>
            """)
        try dir.write(
            "content/blueprint.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <exam-blueprint \(xsi) id="e2e-exam" version="1" title="测试考试" course="e2e-course">
              <pool><bank ref="e2e-bank"/></pool>
              <scoring total="40" pass="24" multiple-choice="partial"/>
              <timing minutes="30"/>
              <attempts max="\(maxAttempts)"/>
              <review show="\(review)"/>
              <section id="a" title="一、单选"><draw count="2" type="single-choice" points="5"/></section>
              <section id="b" title="二、判断"><draw count="2" type="true-false" points="5"/></section>
              <section id="c" title="三、填空"><draw count="1" type="fill-in" points="10"/></section>
              <section id="d" title="四、多选"><draw count="1" type="multiple-choice" points="10"/></section>
            </exam-blueprint>
            """)
        return root
    }

    struct Env {
        let dir: TemporaryDirectory
        let content: URL
        var db: String { dir.url.appendingPathComponent("academy.sqlite").path }
        var cache: String { dir.url.appendingPathComponent("cache").path }

        func run(_ args: [String], stdin: String? = nil) throws -> AcademyProcess.Result {
            try AcademyProcess.run(
                args + ["--content", content.path], cwd: dir.url,
                env: ["ACADEMY_DB": db, "ACADEMY_CACHE_DIR": cache], stdin: stdin.map { Data($0.utf8) },
                timeout: 60)
        }

        func take(_ script: String) throws -> AcademyProcess.Result {
            try run(["exam", "take", "--officer", "E2E1", "--plain"], stdin: script)
        }
    }

    func setUp(maxAttempts: Int = 2, review: String = "immediately") throws -> Env {
        let dir = try TemporaryDirectory(prefix: "academy-exam-e2e")
        let env = Env(dir: dir, content: try Self.writeContent(dir, maxAttempts: maxAttempts, review: review))
        let setup = try AcademyProcess.run(
            [
                "exam", "bench", "setup", "--db", env.db, "--blueprint", "e2e-exam",
                "--course", "e2e-course", "--badge", "E2E1", "--cycle", "e2e-cycle",
            ], cwd: dir.url)
        #expect(setup.status == 0, "\(setup.stderr)")
        let lint = try AcademyProcess.run(["lint", env.content.path], cwd: dir.url)
        #expect(lint.stdout.contains(" 0 errors"), "\(lint.stdout)")
        return env
    }

    @Test func wholeExamFromAScript() throws {
        let env = try setUp()
        defer { env.dir.remove() }
        // Sections keep their order; within a section every question has the same key.
        let r = try env.take("A\nA\nT\n对\n=  全过程 记录 \nAB\no\ns\nyes\n")
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout
        #expect(out.contains("[Q 1/6]"))
        #expect(out.contains("[30:00] > ") || out.contains("[29:59] > "))
        for n in 1...6 { #expect(out.contains("已保存 saved \(n)/6")) }
        #expect(out.contains("已答 answered (6): 1 2 3 4 5 6"))
        #expect(out.contains("未答 unanswered (0): -"))
        #expect(out.contains("确认交卷 confirm:"))
        #expect(out.contains("成绩 score: 40/40"))
        #expect(out.contains("结果 result: 合格 PASS"))
        // The breakdown names each provision by id and title.
        #expect(out.contains("e2e-p1 条款一"))
        // A saved line never precedes the block of the question it acknowledges.
        let firstSave = try #require(out.range(of: "已保存 saved 1/6"))
        let firstBlock = try #require(out.range(of: "[Q 1/6]"))
        #expect(firstBlock.lowerBound < firstSave.lowerBound)
    }

    @Test func resumeKeepsPaperAndAnswersThenPolicyRefuses() throws {
        let env = try setUp(maxAttempts: 1)
        defer { env.dir.remove() }
        let first = try env.take("A\nf\nq\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("已保存 saved 1/6"))
        #expect(first.stdout.contains("已标记 flagged 2"))
        #expect(first.stdout.contains("已暂停 paused"))
        let firstBlock2 = try #require(
            first.stdout.components(separatedBy: "[Q 2/6]").dropFirst().first?.components(separatedBy: "\n").first)

        // Resume: the same paper, the saved answer, the flag; lands on question 2, the first unanswered.
        let second = try env.take("o\n")
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Resuming attempt 1"))
        #expect(second.stdout.contains("[Q 2/6]" + firstBlock2))
        #expect(second.stdout.contains("已答 answered (1): 1"))
        #expect(second.stdout.contains("标记 flagged (1): 2"))

        // Wrong answers and bad input are refused without saving.
        let third = try env.take("g 1\nZ\ng 99\ns\nno\ns\nyes\n")
        #expect(third.stdout.contains("错误 error: cannot read \"Z\""))
        #expect(third.stdout.contains("错误 error: there is no question 99"))
        #expect(third.stdout.contains("submission cancelled"))
        #expect(third.stdout.contains("成绩 score: 5/40"))
        #expect(third.stdout.contains("结果 result: 不合格 FAIL"))
        #expect(third.stdout.contains("Review of missed questions (5)"))

        // One attempt allowed: a fourth run is refused by the store, exit 1.
        let fourth = try env.take("q\n")
        #expect(fourth.status == 1)
        #expect(fourth.stderr.contains("no attempts left"))
    }

    @Test func timeRunsWhileAwayAndReentryAfterTheLimitSubmits() throws {
        let env = try setUp()
        defer { env.dir.remove() }
        // Answer one question and leave (limit 30 minutes).
        let first = try env.take("A\nq\n")
        #expect(first.stdout.contains("已保存 saved 1/6"), "\(first.stdout)\(first.stderr)")
        // Back 40 minutes later: the clock kept running, so the attempt is submitted with what was saved.
        let back = try AcademyProcess.run(
            ["exam", "take", "--officer", "E2E1", "--plain", "--content", env.content.path],
            cwd: env.dir.url,
            env: ["ACADEMY_DB": env.db, "ACADEMY_CLOCK_OFFSET": "2400", "ACADEMY_CACHE_DIR": env.cache],
            stdin: Data("A\n".utf8))
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("时间到 time is up"))
        #expect(back.stdout.contains("成绩 score: 5/40"))
        #expect(!back.stdout.contains("已保存 saved 2/6"))
    }

    @Test func contentCacheIsUsedAndInvalidatedByAnyEdit() throws {
        let env = try setUp(maxAttempts: 3)
        defer { env.dir.remove() }
        func cached() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: env.cache).filter { $0.hasPrefix("exam-") }.sorted()
        }
        let first = try env.take("q\n")
        #expect(first.status == 0, "\(first.stderr)")
        let one = try cached()
        #expect(one.count == 1)
        // Resuming from the cache shows the same question.
        let block = try #require(first.stdout.components(separatedBy: "\n").first { $0.hasPrefix("[Q 1/6]") })
        let again = try env.take("q\n")
        #expect(again.stdout.contains(block))
        #expect(try cached() == one)
        // Change a stem: a new cache entry, and the new text is shown.
        let bankURL = env.content.appendingPathComponent("bank.xml")
        let bank = try String(contentsOf: bankURL, encoding: .utf8)
        try bank.replacingOccurrences(of: "单选题1：", with: "单选题1（修订）：").replacingOccurrences(of: "单选题2：", with: "单选题2（修订）：")
            .replacingOccurrences(of: "单选题3：", with: "单选题3（修订）：").replacingOccurrences(of: "单选题4：", with: "单选题4（修订）：")
            .write(to: bankURL, atomically: true, encoding: .utf8)
        let edited = try env.take("q\n")
        #expect(edited.stdout.contains("（修订）"))
        #expect(try cached().count == 2)
        // A damaged cache file is ignored, not trusted.
        for f in try cached() { try Data("junk".utf8).write(to: URL(fileURLWithPath: env.cache).appendingPathComponent(f)) }
        let damaged = try env.take("q\n")
        #expect(damaged.status == 0)
        #expect(damaged.stdout.contains("（修订）"))
    }

    @Test func reviewAfterCloseIsHidden() throws {
        let env = try setUp(review: "after-close")
        defer { env.dir.remove() }
        let r = try env.take("s\nyes\n")
        #expect(r.stdout.contains("成绩 score: 0/40"))
        #expect(r.stdout.contains("The review opens after the training cycle closes."))
        #expect(!r.stdout.contains("Review of missed"))
    }

    @Test func regradeRescoresFromStoredPaperOnlyWhereChanged() throws {
        let env = try setUp()
        defer { env.dir.remove() }
        let r = try env.take("A\nA\nT\nT\n= 全过程记录\nAB\ns\nyes\n")
        #expect(r.stdout.contains("成绩 score: 40/40"))
        // Nothing changed yet.
        let none = try env.run(["exam", "regrade", "--cycle", "e2e-cycle"])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(none.stdout.contains("1 attempts checked, 0 changed, 1 unchanged"))
        // The trainer corrects the single-choice keys: B is right, not A.
        let bankURL = env.content.appendingPathComponent("bank.xml")
        var bank = try String(contentsOf: bankURL, encoding: .utf8)
        for i in 1...4 {
            bank = bank.replacingOccurrences(
                of: "<option correct=\"true\">正确做法\(i)</option><option>错误做法甲\(i)</option>",
                with: "<option>正确做法\(i)</option><option correct=\"true\">错误做法甲\(i)</option>")
        }
        try bank.write(to: bankURL, atomically: true, encoding: .utf8)
        let dry = try env.run(["exam", "regrade", "--cycle", "e2e-cycle", "--dry-run"])
        #expect(dry.stdout.contains("E2E1 #1: 40 → 30"))
        #expect(dry.stdout.contains("1 would change"))
        let real = try env.run(["exam", "regrade", "--cycle", "e2e-cycle"])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(real.stdout.contains("1 changed"))
        let again = try env.run(["exam", "regrade", "--cycle", "e2e-cycle"])
        #expect(again.stdout.contains("0 changed, 1 unchanged"))
    }

    @Test func previewAndStats() throws {
        let env = try setUp()
        defer { env.dir.remove() }
        let p = try env.run(["exam", "preview", "e2e-exam", "--seed", "7"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("seed 7"))
        #expect(p.stdout.components(separatedBy: "✓").count - 1 == 2 + 2)  // 2 singles + 1 multiple with 2 keys
        #expect(p.stdout.contains("Key: AB"))
        let again = try env.run(["exam", "preview", "e2e-exam", "--seed", "7", "--json"])
        let again2 = try env.run(["exam", "preview", "e2e-exam", "--seed", "7", "--json"])
        #expect(again.stdoutData == again2.stdoutData)
        #expect(again.stdout.hasPrefix("{\"bankHash\":"))

        let s = try env.run(["exam", "stats", "e2e-exam", "--papers", "400"])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("400 papers simulated"))
        #expect(s.stdout.contains("single choice: A 800 (100.0%)"))
        #expect(s.stdout.contains("true/false: true 800 (100.0%)"))
        #expect(s.stdout.contains("## Never drawn (0)"))
        #expect(s.stdout.contains("## 3 consecutive papers per officer (2 attempts allowed + 1 双随机 re-examination)"))
        let two = try env.run(["exam", "stats", "e2e-exam", "--papers", "5", "--attempts", "2", "--officers", "7"])
        #expect(two.stdout.contains("## 2 consecutive papers per officer\n7 officers simulated: "), "\(two.stdout)")
        #expect(try env.run(["exam", "stats", "e2e-exam", "--attempts", "0"]).status == 2)
        let missing = try env.run(["exam", "stats", "nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no blueprint with id nope"))
    }

    /// Issue 13 §2: with the shipped bank, the 3 attempts plus a 双随机 re-examination give one
    /// officer 4 papers that share no question.
    @Test func shippedBankGivesFourPapersWithoutRepeats() throws {
        let dir = try TemporaryDirectory(prefix: "academy-stats-shipped")
        defer { dir.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let r = try AcademyProcess.run(
            [
                "exam", "stats", "all-staff-2018", "--papers", "20", "--officers", "300",
                "--content", root.appendingPathComponent("Courses").path,
                "--content", root.appendingPathComponent("QuestionBank").path,
            ], cwd: dir.url, env: ["ACADEMY_CACHE_DIR": dir.url.appendingPathComponent("cache").path], timeout: 600)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("## 4 consecutive papers per officer (3 attempts allowed + 1 双随机 re-examination)"), "\(r.stdout)")
        #expect(r.stdout.contains("300 officers simulated: 0 met a question twice; at most 0 repeated for one officer"), "\(r.stdout)")
    }
}
