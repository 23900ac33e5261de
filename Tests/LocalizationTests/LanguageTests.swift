import Localization
import Testing

@Suite struct LanguageTests {
    func pick(_ env: [String: String]) -> Language { Language.fromEnvironment(env) }

    @Test func chineseUnlessSomethingExplicitlySaysOtherwise() {
        #expect(pick([:]) == .zhHans)
        for c in ["C", "C.UTF-8", "c.utf8", "POSIX", "zh_CN.UTF-8", "zh_TW", "zh-Hans"] {
            #expect(pick(["LANG": c]) == .zhHans, "\(c)")
            #expect(pick(["LC_ALL": c]) == .zhHans, "\(c)")
            #expect(pick(["LC_MESSAGES": c]) == .zhHans, "\(c)")
        }
        for e in ["en_US.UTF-8", "en", "fr_FR.UTF-8", "de"] {
            #expect(pick(["LANG": e]) == .en, "\(e)")
            #expect(pick(["LC_ALL": e]) == .en, "\(e)")
            #expect(pick(["LC_MESSAGES": e]) == .en, "\(e)")
        }
        // Variables that do not name a locale play no part.
        #expect(pick(["LANGUAGE": "en_US", "TERM": "xterm"]) == .zhHans)
    }

    @Test func theFirstVariableSetDecides() {
        #expect(pick(["LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"]) == .zhHans)
        #expect(pick(["LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "zh_CN"]) == .en)
        #expect(pick(["LC_MESSAGES": "POSIX", "LANG": "en_US"]) == .zhHans)
        #expect(pick(["LC_ALL": "fr_FR.UTF-8", "LC_MESSAGES": "zh_CN", "LANG": "zh_CN"]) == .en)
        #expect(pick(["ACADEMY_LANG": "en", "LC_ALL": "zh_CN.UTF-8"]) == .en)
        #expect(pick(["ACADEMY_LANG": "zh-Hans", "LANG": "en_US"]) == .zhHans)
        #expect(pick(["ACADEMY_LANG": "", "LANG": "en_US"]) == .en)
    }

    @Test func langOptionValues() {
        #expect(Language.parse("zh-Hans") == .zhHans)
        #expect(Language.parse("zh") == .zhHans)
        #expect(Language.parse("zh_CN.UTF-8") == .zhHans)
        #expect(Language.parse("en") == .en)
        #expect(Language.parse("en_US") == .en)
        #expect(Language.parse("C") == nil)
        #expect(Language.parse("fr") == nil)
    }

    @Test func bilingualTextRendersInTheLanguageAsked() {
        let t = BilingualText(zh: "错误", en: "error") + "：" + BilingualText(zh: "甲", en: "A")
        #expect(t.text(in: .zhHans) == "错误：甲")
        #expect(t.text(in: .en) == "error：A")
        #expect(t.description == "错误：甲 / error：A")
        #expect(Language.zhHans.pick(zh: "中", en: "en") == "中")
        #expect(Language.en.pick(zh: "中", en: "en") == "en")
    }
}
