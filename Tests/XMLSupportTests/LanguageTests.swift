import Testing

@testable import XMLSupport

@Suite struct LanguageTests {
    func pick(_ env: [String: String]) -> MessageLanguage { MessageLanguage.fromEnvironment { env[$0] } }

    @Test func chineseUnlessSomethingExplicitlySaysOtherwise() {
        #expect(pick([:]) == .zhHans)
        for c in ["C", "C.UTF-8", "c.utf8", "POSIX", "zh_CN.UTF-8", "zh_TW", "zh-Hans"] {
            #expect(pick(["LANG": c]) == .zhHans, "\(c)")
        }
        for e in ["en_US.UTF-8", "en", "fr_FR.UTF-8", "de"] {
            #expect(pick(["LANG": e]) == .en, "\(e)")
        }
    }

    @Test func theFirstVariableSetDecides() {
        #expect(pick(["LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"]) == .zhHans)
        #expect(pick(["LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "zh_CN"]) == .en)
        #expect(pick(["ACADEMY_LANG": "en", "LC_ALL": "zh_CN.UTF-8"]) == .en)
        #expect(pick(["ACADEMY_LANG": "zh-Hans", "LANG": "en_US"]) == .zhHans)
    }

    @Test func langOptionValues() {
        #expect(MessageLanguage.parse("zh-Hans") == .zhHans)
        #expect(MessageLanguage.parse("en") == .en)
        #expect(MessageLanguage.parse("C") == nil)
        #expect(MessageLanguage.parse("fr") == nil)
    }
}
