import Courseware
import Testing

/// The one reader of `key = value` lines behind academy.conf and report.toml.
@Suite struct KeyValueLineTests {
    @Test func settingsWithTheirLineNumbers() {
        let lines = KeyValueLine.parse("# comment\n\n  db = /x.sqlite  \ncontent=a = b\nno equals here\n")
        #expect(
            lines == [
                KeyValueLine(number: 3, text: "db = /x.sqlite", key: "db", value: "/x.sqlite"),
                KeyValueLine(number: 4, text: "content=a = b", key: "content", value: "a = b"),
                KeyValueLine(number: 5, text: "no equals here", key: nil, value: nil),
            ])
    }

    @Test func windowsAndOldMacLineEndsAreLines() {
        #expect(KeyValueLine.parse("a = 1\r\nb = 2\rc = 3").map(\.number) == [1, 2, 3])
        #expect(KeyValueLine.parse("#x\r\n\r\nk =\r\n").map(\.value) == [""])
    }

    @Test func emptyTextHasNoSettings() {
        #expect(KeyValueLine.parse("").isEmpty)
        #expect(KeyValueLine.parse("   \n# only a comment").isEmpty)
    }
}
