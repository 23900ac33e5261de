import Localization
import Testing

/// `--lang` taken out of a command line wherever it stands (before `--`).
@Suite struct LanguageOptionTests {
    @Test func takenFromAnyPlace() {
        let r = LanguageOption.extract(from: ["roster", "--lang", "en", "export", "--cycle", "c"])
        #expect(r.arguments == ["roster", "export", "--cycle", "c"])
        #expect(r.language == .en)
        #expect(r.error == nil)
        let eq = LanguageOption.extract(from: ["lint", "--lang=zh-Hans"])
        #expect(eq.arguments == ["lint"])
        #expect(eq.language == .zhHans)
    }

    @Test func absentLeavesTheArgumentsAlone() {
        let r = LanguageOption.extract(from: ["staff", "list", "--db", "x.sqlite"])
        #expect(r.arguments == ["staff", "list", "--db", "x.sqlite"])
        #expect(r.language == nil)
        #expect(r.error == nil)
    }

    @Test func afterDoubleDashIsAnArgument() {
        let r = LanguageOption.extract(from: ["lint", "--", "--lang", "en"])
        #expect(r.arguments == ["lint", "--", "--lang", "en"])
        #expect(r.language == nil)
    }

    @Test func missingOrUnknownValueIsAnError() {
        let missing = LanguageOption.extract(from: ["lint", "--lang"])
        #expect(missing.error == "--lang needs a value: zh-Hans | en")
        #expect(missing.arguments == ["lint"])
        let unknown = LanguageOption.extract(from: ["--lang", "fr", "lint"])
        #expect(unknown.language == nil)
        #expect(unknown.error?.contains("unknown --lang \"fr\"") == true)
        #expect(unknown.error?.contains("不支持的语言") == true)
        #expect(unknown.arguments == ["lint"])
    }

    @Test func theLastOneWins() {
        #expect(LanguageOption.extract(from: ["--lang", "en", "x", "--lang", "zh"]).language == .zhHans)
    }
}
