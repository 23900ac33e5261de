import Foundation
import Localization
import TerminalUI
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `academy exam take` (full screen) and `academy study` through a real pseudo-terminal, on a
/// tiny content set in a temporary directory (independent of the shipped content).
@Suite(.serialized) struct PtyExamTests {
    static let xsi = #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#

    /// Options are never shuffled and every key is A (single), AB (multiple), true, 「全过程记录」.
    static func writeContent(_ root: URL, minutes: Int) throws {
        func write(_ name: String, _ text: String) throws {
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try write(
            "provisions.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <provisions \(xsi) id="tui-notice" title="测试条款">
              <source>测试</source>
              <section id="tui-s1" number="一" title="执法规范">
                <provision id="tui-p1" title="全过程记录"><summary>全过程记录执法活动。</summary></provision>
                <provision id="tui-p2" title="文明用语"><summary>严禁辱骂当事人。</summary></provision>
              </section>
            </provisions>
            """)
        let longParagraph = String(repeating: "执法人员应当严格规范公正文明执法，", count: 30)
        try write(
            "course.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <course \(xsi) id="tui-course" title="终端测试课程" provisions="tui-notice">
              <summary>测试。</summary>
              <module id="tui-m1" title="第一单元 规范执法">
                <lesson id="tui-l1" title="第一课 全过程记录" minutes="15"><cite provision="tui-p1"/>
                  <section title="一、为什么要记录"><p>\(longParagraph)</p><p>第二段。</p></section>
                  <key-points><point>执法全过程应当记录。</point></key-points></lesson>
                <case-study ref="tui-c1"/>
              </module>
            </course>
            """)
        try write(
            "case.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <case-study \(xsi) id="tui-c1" polarity="negative">
              <title>某区占道经营查处案</title>
              <setting fictional="true">虚构的江北市东城区</setting>
              <background><p>某日上午，队员在巡查中发现占道经营。</p></background>
              <events><event time="上午9时">队员未出示证件即开始处理。</event><event>当事人投诉。</event></events>
              <analysis><finding provision="tui-p2" verdict="broken">队员言语粗暴。</finding>
                        <finding provision="tui-p1" verdict="kept">执法记录仪全程开启。</finding></analysis>
              <lessons-drawn><point>先亮证，后执法。</point></lessons-drawn>
              <discussion><question>本案中队员应当如何改进？</question></discussion>
            </case-study>
            """)
        var qs = ""
        for i in 1...3 {
            qs += """
                  <single-choice id="tui-s\(i)" topic="纪律" difficulty="2" shuffle="false">
                    <stem>单选题\(i)：执法时首先应当怎么做？</stem>
                    <option correct="true">出示执法证件\(i)</option><option>直接扣押物品\(i)</option><option>先行处罚\(i)</option>
                    <cite provision="tui-p1"/><explanation>单选解析\(i)。</explanation>
                  </single-choice>
                  <true-false id="tui-t\(i)" topic="程序" difficulty="2" answer="true">
                    <stem>判断题\(i)：执法活动应当全过程记录。</stem><cite provision="tui-p1"/><explanation>判断解析\(i)。</explanation>
                  </true-false>
                  <multiple-choice id="tui-m\(i)" topic="纪律" difficulty="2" shuffle="false">
                    <stem>多选题\(i)：哪些做法正确？</stem>
                    <option correct="true">文明用语\(i)</option><option correct="true">亮证执法\(i)</option><option>辱骂当事人\(i)</option>
                    <cite provision="tui-p2"/><explanation>多选解析\(i)。</explanation>
                  </multiple-choice>
                  <fill-in id="tui-f\(i)" topic="程序" difficulty="2">
                    <stem>填空题\(i)：执法应当<blank><accept>全过程记录</accept></blank>。</stem>
                    <cite provision="tui-p1"/><explanation>填空解析\(i)。</explanation>
                  </fill-in>

                """
        }
        try write(
            "bank.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <question-bank \(xsi) id="tui-bank" title="测试题库">
            \(qs)</question-bank>
            """)
        try write(
            "blueprint.xml",
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <exam-blueprint \(xsi) id="tui-exam" version="1" title="终端测试考试" course="tui-course">
              <pool><bank ref="tui-bank"/></pool>
              <scoring total="40" pass="24" multiple-choice="partial"/>
              <timing minutes="\(minutes)"/>
              <attempts max="3"/>
              <review show="immediately"/>
              <section id="a" title="一、单选"><draw count="1" type="single-choice" points="10"/></section>
              <section id="b" title="二、判断"><draw count="1" type="true-false" points="10"/></section>
              <section id="c" title="三、多选"><draw count="1" type="multiple-choice" points="10"/></section>
              <section id="d" title="四、填空"><draw count="1" type="fill-in" points="10"/></section>
            </exam-blueprint>
            """)
    }

    struct Env {
        let dir: URL
        var content: URL { dir.appendingPathComponent("content") }
        var db: String { dir.appendingPathComponent("academy.sqlite").path }

        func session(_ args: [String], width: Int = 80, height: Int = 24, env: [String: String] = [:]) throws -> PtySession {
            var e = ["ACADEMY_DB": db]
            for (k, v) in env { e[k] = v }
            return try PtySession(args + ["--content", content.path], width: width, height: height, environment: e)
        }

        func exam(width: Int = 80, height: Int = 24, env: [String: String] = [:]) throws -> PtySession {
            try session(["exam", "take", "--officer", "TUI1"], width: width, height: height, env: env)
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    func setUp(minutes: Int = 1) throws -> Env {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("academy-pty-exam-\(UUID().uuidString)")
        let env = Env(dir: dir)
        try Self.writeContent(env.content, minutes: minutes)
        let setup = try PtySession([
            "exam", "bench", "setup", "--db", env.db, "--blueprint", "tui-exam",
            "--course", "tui-course", "--badge", "TUI1", "--cycle", "tui-cycle",
        ])
        #expect(try setup.exitCode(timeout: 60) == 0, "\(setup.outputText)")
        return env
    }

    /// Answers the four questions correctly (single A, true, multiple AB, fill-in).
    func answerAll(_ s: PtySession) throws {
        try s.waitFor("第 1/4 题")
        s.type("a")
        try s.waitFor("(●) A. 出示执法证件")
        try s.waitFor("✓ 已保存")
        s.type("n")
        try s.waitFor("第 2/4 题")
        s.type("t")
        try s.waitFor("(●) T. 正确")
        s.type("n")
        try s.waitFor("第 3/4 题")
        s.type("ab")
        try s.waitFor("[✓] B. 亮证执法")
        s.type("n")
        try s.waitFor("第 4/4 题")
        s.type("\r全过程记录\r")
        try s.waitFor("第 1 空：全过程记录")
        try s.waitFor("已答 4/4")
    }

    @Test func wholeExamByKeystrokes() throws {
        let env = try setUp(minutes: 30)
        defer { env.remove() }
        let s = try env.exam()
        try answerAll(s)
        if ProcessInfo.processInfo.environment["SHOW_SCREENS"] != nil { print(s.screen.text) }
        s.type("s")
        try s.waitFor("全部题目均已作答")
        s.type("y")
        try s.waitFor("成绩：40 / 40 分")
        try s.waitFor("合格")
        if ProcessInfo.processInfo.environment["SHOW_SCREENS"] != nil { print(s.screen.text) }
        s.type("q")
        #expect(try s.exitCode() == 0)
        #expect(s.pty.isCooked)
        #expect(!s.screen.onAlternateScreen)
        #expect(s.outputText.contains("已交卷：40/40 分，合格"))
    }

    @Test func killInTheMiddleThenResumeLosesNothing() throws {
        let env = try setUp(minutes: 30)
        defer { env.remove() }
        let s = try env.exam()
        try s.waitFor("第 1/4 题")
        s.type("a")
        try s.waitFor("✓ 已保存")
        s.type("n")
        try s.waitFor("第 2/4 题")
        s.type("m")  // flag
        try s.waitFor("⚑ 已标记")
        s.type("f")  // false, on a true/false question
        try s.waitFor("(●) F. 错误")
        try s.waitFor("✓ 已保存")
        s.pty.signal(SIGKILL)
        #expect(try s.exitCode() == 128 + SIGKILL)

        let r = try env.exam()
        // Resumes at the first unanswered question, with the clock still running.
        try r.waitFor("第 3/4 题")
        try r.waitFor("续考")
        try r.waitFor("已答 2/4")
        r.type("g1\r")
        try r.waitFor("(●) A. 出示执法证件")
        r.type("g2\r")
        try r.waitFor("(●) F. 错误")
        try r.waitFor("⚑ 已标记")
        r.type("q")
        try r.waitFor("暂时离开考试")
        r.type("y")
        #expect(try r.exitCode() == 0)
        #expect(r.outputText.contains("答案均已保存"))
    }

    @Test func timeOutSubmitsWhatWasSaved() throws {
        let env = try setUp(minutes: 1)
        defer { env.remove() }
        let s = try env.exam()
        try s.waitFor("第 1/4 题")
        s.type("a")
        try s.waitFor("✓ 已保存")
        s.type("q")
        s.type("y")
        #expect(try s.exitCode() == 0)
        // Two minutes later (test clock hook): the 1-minute exam is over on entry.
        let r = try env.exam(env: ["ACADEMY_CLOCK_OFFSET": "120"])
        try r.waitFor("考试时间到，已按已保存的答案自动交卷")
        try r.waitFor("成绩：10 / 40 分")
        try r.waitFor("不合格")
        r.type("q")
        #expect(try r.exitCode() == 0)
        // The attempt is closed: the next run starts attempt 2 rather than resuming.
        let again = try env.exam()
        try again.waitFor("第 1/4 题")
        #expect(!again.screen.contains("续考"))
        again.pty.signal(SIGTERM)
        #expect(try again.exitCode() == 128 + SIGTERM)
    }

    @Test func countdownTicksAndWarns() throws {
        let env = try setUp(minutes: 1)
        defer { env.remove() }
        // Start the attempt, leave, and come back 56 s later (test clock hook): the clock kept
        // running while away, so the countdown resumes below 10 s and then runs out.
        let first = try env.exam()
        try first.waitFor("第 1/4 题")
        first.type("q")
        first.type("y")
        #expect(try first.exitCode() == 0)
        let s = try env.exam(env: ["ACADEMY_CLOCK_OFFSET": "56"])
        try s.waitUntil("countdown below 10 s") { $0.rowText(0).contains("剩余 00:0") }
        try s.waitFor("考试时间到，已按已保存的答案自动交卷", timeout: 20)
        s.type("q")
        #expect(try s.exitCode() == 0)
    }

    @Test func pasteFloodIsSavedOnceAndSurvivesAKill() throws {
        let env = try setUp(minutes: 30)
        defer { env.remove() }
        let s = try env.exam()
        try s.waitFor("第 1/4 题")
        // 20,000 raw answer keys: the last one wins, written once per batch.
        s.type(Array(String(repeating: "ab", count: 10000).utf8))
        try s.waitFor("(●) B. 直接扣押物品")
        try s.waitFor("✓ 已保存")
        s.type("g4\r\r")
        try s.waitFor("第 1 空：")
        var paste = Array("\u{1B}[200~".utf8)
        for _ in 0..<20000 { paste += Array("全过程记录\n".utf8) }
        paste += Array("\u{1B}[201~\r".utf8)
        s.type(paste)
        try s.waitFor("✓ 已保存", timeout: 30)
        try s.waitFor("已答 2/4")
        s.pty.signal(SIGKILL)
        #expect(try s.exitCode() == 128 + SIGKILL)
        let r = try env.exam()
        try r.waitFor("已答 2/4")
        r.type("g1\r")
        try r.waitFor("(●) B. 直接扣押物品")
        r.type("g4\r")
        // The blank holds the first 200 characters of the paste (newlines became spaces).
        try r.waitFor("第 1 空：全过程记录 全过程记录")
        r.pty.signal(SIGTERM)
        #expect(try r.exitCode() == 128 + SIGTERM)
    }

    @Test func resizeDuringTheExam() throws {
        let env = try setUp(minutes: 30)
        defer { env.remove() }
        let s = try env.exam()
        try s.waitFor("第 1/4 题")
        s.resize(width: 30, height: 20)
        s.pty.signal(SIGWINCH)
        try s.waitFor("窗口太小")
        s.resize(width: 41, height: 14)
        s.pty.signal(SIGWINCH)
        try s.waitFor("第 1/4 题")
        for r in 0..<14 { #expect(s.screen.rowText(r).displayWidth == 41) }
        s.type("a")
        try s.waitFor("✓ 已保存")
        s.pty.signal(SIGHUP)
        #expect(try s.exitCode() == 128 + SIGHUP)
        #expect(s.pty.isCooked)
    }

    @Test func studyRecordsFinishedAtTheEnd() throws {
        let env = try setUp(minutes: 30)
        defer { env.remove() }
        let s = try env.session(["study", "--officer", "TUI1"], width: 60, height: 16)
        try s.waitFor("第一单元 规范执法")
        try s.waitFor("已学完 0/2")
        s.type("\r")
        try s.waitFor("第一课 全过程记录")
        try s.waitFor("依据：一、全过程记录")
        s.type("q")  // left before the end: not finished
        try s.waitFor("已学完 0/2")
        s.type("\r")
        try s.waitFor("为什么要记录")
        s.type("G")
        try s.waitFor("（完）")
        if ProcessInfo.processInfo.environment["SHOW_SCREENS"] != nil { print(s.screen.text) }
        s.type("q")
        try s.waitFor("已学完 1/2")
        try s.waitFor("1. ✓ 第一课")
        s.type("2\r")
        try s.waitFor("反面典型")
        try s.waitFor("场景（虚构）：虚构的江北市东城区")
        if ProcessInfo.processInfo.environment["SHOW_SCREENS"] != nil { print(s.screen.text) }
        s.type("q")
        try s.waitFor("已学完 1/2")
        s.type("q")
        #expect(try s.exitCode() == 0)
        #expect(s.pty.isCooked)
        // Progress is in the store: a new run shows it.
        let again = try env.session(["study", "--officer", "TUI1", "--plain"])
        #expect(try again.exitCode() == 0)
        #expect(again.outputText.contains("[✓] 第一课 全过程记录"))
        #expect(again.outputText.contains("[ ] 某区占道经营查处案"))
    }
}
