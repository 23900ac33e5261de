import Foundation
import TerminalUI
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The parts of the hall that were only checked by hand: the full-screen exam submitted over a
/// real SSH connection with a password, `hall status --watch` redrawing in place while an officer
/// comes and goes, and the printed exam-code slips.
extension HallEndToEndTests {
    /// A pty session through sshpass + OpenSSH (password login), answered and submitted in the
    /// full-screen exam; the result screen, the record and the chain agree.
    @Test func fullScreenExamSubmittedOverSSHWithAPassword() throws {
        let (hall, codes) = try setUp(officers: 1)
        defer { hall.dir.remove() }
        let server = try hall.serve()
        let port = try server.port()

        let term = try WatchedTerminal(width: 90, height: 28)
        let pty = term.pty
        func look() -> VirtualScreen { term.look() }
        var screen: VirtualScreen { term.screen }
        try pty.spawn(
            try Self.tool("sshpass"),
            ["-p", codes["E2E1"]!, try Self.tool("ssh"), "-tt", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"]
                + hall.ssh(port, "E2E1"),
            environment: ["LANG": "zh_CN.UTF-8"])
        try pty.wait(for: "the menu", timeout: 30) { look().contains("开始或继续考试") }
        pty.send("\r")
        try pty.wait(for: "question 1") { look().contains("第 1/6 题") }
        // The paper of E2E1 in this cycle (see wholeExamWithTheOpenSSHClientThroughADroppedConnection):
        // two single choices (A), two true/false (T), one blank, one multiple choice (A and B).
        for (n, keys) in [(1, "a"), (2, "a"), (3, "t"), (4, "t")] {
            pty.send(keys)
            try pty.wait(for: "\(n) answered and saved") { look().contains("已答 \(n)/6") && !look().contains("保存中") }
            pty.send("\u{1B}[C")
            try pty.wait(for: "question \(n + 1)") { look().contains("第 \(n + 1)/6 题") }
        }
        pty.send("1")  // edit blank 1
        pty.send("全过程记录")
        pty.send("\r")
        try pty.wait(for: "blank answered") { look().contains("已答 5/6") }
        pty.send("\u{1B}[C")
        try pty.wait(for: "question 6") { look().contains("第 6/6 题") }
        pty.send("a")
        pty.send("b")
        try pty.wait(for: "all answered") { look().contains("已答 6/6") }
        pty.send("s")
        try pty.wait(for: "the confirmation") { look().contains("确认交卷？") }
        pty.send("y")
        do {
            try pty.wait(for: "the result", timeout: 20) { look().contains("成绩：") }
        } catch {
            Issue.record("screen at the time: \(screen.text)")
            throw error
        }
        #expect(screen.contains("成绩：40 / 40 分") && screen.contains("全部答对"), "every answer typed over SSH counted: \(screen.text)")

        // The chain holds the submission; the officer leaves (q closes the result, then 离开).
        let record = try hall.run(["record", "show", "E2E1", "--format", "json"])
        #expect(record.stdout.contains("\"state\" : \"submitted\""), "\(record.stdout)")
        pty.send("q")
        pty.signal(SIGHUP)
        _ = try? pty.waitForExit(timeout: 10)
        #expect(try hall.run(["audit", "verify"]).status == 0)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
    }

    /// `hall status --watch` in a terminal: the table is redrawn in place (the header stays on the
    /// top row, nothing scrolls) and follows an officer who logs in and leaves from another shell.
    @Test func statusWatchRedrawsInPlaceAndFollowsTheRoom() throws {
        let (hall, codes) = try setUp(officers: 2)
        defer { hall.dir.remove() }
        let server = try hall.serve()
        let port = try server.port()

        let term = try WatchedTerminal(width: 110, height: 20)
        let pty = term.pty
        func look() -> VirtualScreen { term.look() }
        var screen: VirtualScreen { term.screen }
        try pty.spawn(
            try AcademyProcess.binaryURL().path, ["hall", "status", "--watch", "--cycle", "c1"],
            environment: hall.env)
        try pty.wait(for: "the first frame", timeout: 30) { look().rowText(0).hasPrefix("考场状态") }
        #expect(screen.rowText(0).contains("在线 0"))

        // An officer answers one question in line mode and leaves with q.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Self.tool("sshpass"))
        p.arguments =
            ["-p", codes["E2E2"]!, try Self.tool("ssh"), "-T", "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"]
            + hall.ssh(port, "E2E2")
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("A\n".utf8))
        try pty.wait(for: "the officer connected", timeout: 30) {
            let s = look()
            return s.contains("E2E2") && s.contains("考生2") && s.contains("在线") && s.rowText(0).contains("在线 1")
        }
        input.fileHandleForWriting.write(Data("q\n".utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        try pty.wait(for: "the officer gone", timeout: 30) { look().contains("已断开") && look().rowText(0).contains("在线 0") }
        // Redrawn in place: the header line is on the top row only, once.
        #expect(screen.rowText(0).hasPrefix("考场状态"))
        #expect((0..<20).filter { screen.rowText($0).contains("考场状态") }.count == 1, "\(screen.text)")
        #expect((0..<20).filter { screen.rowText($0).contains("执法证号") }.count == 1, "\(screen.text)")

        pty.signal(SIGINT)
        _ = try pty.waitForExit(timeout: 10)
        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitExit(timeout: 5))
    }

    /// The slips, printed by headless Chromium: every officer's name, badge and code and the
    /// host-key fingerprint land on the same page, so each slip can be cut out whole.
    @Test func printedSlipsKeepEachOfficerOnOnePage() throws {
        let (hall, _) = try setUp(officers: 1)
        defer { hall.dir.remove() }
        var csv = "执法证号,姓名,所属部门,人员类别,状态\n"
        for i in 2...40 { csv += "E2E\(i),考生\(i),测试局/二中队,执法人员,在岗\n" }
        #expect(try hall.run(["staff", "import", try hall.dir.write("more.csv", csv).path]).status == 0)
        let slips = hall.dir.url.appendingPathComponent("slips.html")
        let issued = try hall.run(["hall", "codes", "issue", "--cycle", "c1", "-o", slips.path, "--address", "hall.example:2222"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let html = try String(contentsOf: slips, encoding: .utf8)
        let fingerprint = try #require(html.range(of: #"SHA256:[A-Za-z0-9+/]{43}"#, options: .regularExpression).map { String(html[$0]) })

        let pdf = hall.dir.url.appendingPathComponent("slips.pdf")
        let chromium = try Self.capture(
            "chromium", ["--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", slips.absoluteString])
        #expect(chromium.status == 0, "chromium must be installed (scripts/install-deps.sh --test)")
        let info = try Self.capture("pdfinfo", [pdf.path]).output
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "0") ?? 0
        #expect(pages >= 2, "40 slips take more than one page: \(info)")

        // `issue` gives codes only to those without one: the 39 newcomers, not E2E1 (set up with a code).
        var pageOf: [String: Int] = [:]
        var textOf: [Int: String] = [:]
        for page in 1...max(pages, 1) {
            let text = try Self.capture("pdftotext", ["-f", "\(page)", "-l", "\(page)", "-layout", pdf.path, "-"]).output
            textOf[page] = text
            for i in 1...40 where text.contains("（执法证号 E2E\(i)）") { pageOf["E2E\(i)"] = page }
        }
        #expect(pageOf.count == 39 && pageOf["E2E1"] == nil, "every new slip printed: \(pageOf.keys.sorted())")
        for (badge, page) in pageOf {
            let text = textOf[page] ?? ""
            #expect(text.contains("ssh \(badge)@hall.example -p 2222"), "\(badge)'s login line is on its page")
        }
        for (page, text) in textOf {
            let slipsOnPage = pageOf.values.filter { $0 == page }.count
            let fingerprints = text.components(separatedBy: fingerprint).count - 1
            #expect(fingerprints == slipsOnPage, "page \(page): one fingerprint per slip, none split off")
        }
    }

    static func capture(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try Self.tool(tool))
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}
