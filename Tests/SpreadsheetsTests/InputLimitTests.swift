import Foundation
import Testing
import XMLSupport

@testable import Spreadsheets

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 9 §4: record length, quoting input in messages, and the output-path rule at the
/// library level (the binary's behaviour is in EndToEndTests/HardeningTests).
@Suite struct InputLimitTests {
    @Test func recordLongerThanTheLimitIsRefusedNamingItsLine() throws {
        let limits = ReadLimits(maxRecordBytes: 100)
        let ok = String(repeating: "a", count: 100)
        let t = try SpreadsheetReader.read(data: Data("h\n\(ok)\n".utf8), source: "t.csv", limits: limits)
        #expect(cells(t) == [["h"], [ok]])
        // Unquoted, quoted over several lines, and a header: each names the line it starts on.
        for (text, line) in [
            ("h\nx\n" + String(repeating: "b", count: 101) + "\n", 3),
            ("h\n\"" + String(repeating: "c\n", count: 60) + "\"\n", 2),
            (String(repeating: "h,", count: 60) + "\nx\n", 1),
        ] {
            #expect {
                try SpreadsheetReader.read(data: Data(text.utf8), source: "t.csv", limits: limits)
            } throws: { error in
                guard let e = error as? SpreadsheetError else { return false }
                return e.kind == .sizeLimit && e.line == line && e.description.utf8.count < 300
            }
        }
    }

    @Test func defaultLimitRefusesATenMegabyteHeaderQuickly() throws {
        let text = String(repeating: "x", count: 10 << 20) + "\n1\n"
        #expect(throws: SpreadsheetError.self) { try csv(text) }
    }

    @Test func quotingClipsAndEscapes() {
        #expect(InputQuote.clip("张三") == "张三")
        let long = String(repeating: "长", count: 10_000)
        let q = InputQuote.clip(long)
        #expect(q.unicodeScalars.count == InputQuote.limit + 1 && q.hasSuffix("…"))
        #expect(InputQuote.clip(String(repeating: "a", count: InputQuote.limit)).count == InputQuote.limit)
        #expect(InputQuote.clip("a\nb\u{1B}[2Jc\u{85}") == "a\\u{A}b\\u{1B}[2Jc\\u{85}")
    }

    @Test func outputTargetNamesStandardOutputAndChecksFilesAtOnce() throws {
        #expect(try OutputTarget.resolve("-") == .standardOutput)
        #expect(try OutputTarget.resolve("/dev/stdout") == .standardOutput)
        #expect(throws: SpreadsheetError.self) { try OutputTarget.resolve("/dev/null") }
        #expect(throws: SpreadsheetError.self) { try OutputTarget.resolve("/tmp") }
        #expect(throws: SpreadsheetError.self) { try OutputTarget.resolve("/no/such/dir/x.csv") }
        let dir = try TempDir(); defer { dir.cleanup() }
        let target = dir.file("t.csv")
        try Data("x".utf8).write(to: target)
        let link = dir.file("l.csv")
        #expect(symlink(target.path, link.path) == 0)
        #expect(throws: SpreadsheetError.self) { try OutputTarget.resolve(link.path) }
        #expect(try OutputTarget.resolve(link.path, followSymlinks: true) == .file(URL(fileURLWithPath: target.path).resolvingSymlinksInPath()))
        // A dangling link, followed, names the file it would create.
        let dangling = dir.file("d.csv")
        #expect(symlink("new.csv", dangling.path) == 0)
        guard case .file(let url) = try OutputTarget.resolve(dangling.path, followSymlinks: true) else {
            Issue.record("expected a file")
            return
        }
        #expect(url.lastPathComponent == "new.csv")
    }

    @Test func writerRefusesWhatAppearsAtThePathWhileWriting() throws {
        let dir = try TempDir(); defer { dir.cleanup() }
        let path = dir.file("out.csv")
        let w = try AtomicFileWriter(destination: path)
        try w.write("data")
        #expect(mkfifo(path.path, 0o644) == 0)  // swapped in after the first check
        #expect(throws: SpreadsheetError.self) { try w.commit() }
        var st = stat()
        #expect(lstat(path.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "the FIFO is left as it was")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}
