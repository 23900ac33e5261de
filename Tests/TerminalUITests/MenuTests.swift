import Localization
import Testing

@testable import TerminalUI

@Suite struct MenuTests {
    func menu() -> Menu {
        Menu(entries: [
            .init(title: "模块一", isHeading: true),
            .init(title: "第一课 执法规范", detail: "课程 · 20 分钟", done: true),
            .init(title: "案例 某区占道经营", detail: "反面典型"),
            .init(title: "模块二", isHeading: true),
            .init(title: "第二课", detail: "课程 · 15 分钟"),
        ])
    }

    @Test func skipsHeadingsAndOpens() {
        var m = menu()
        #expect(m.selected == 1)
        _ = m.handle(.down)
        _ = m.handle(.down)
        #expect(m.selected == 4)
        _ = m.handle(.down)
        #expect(m.selected == 4)
        #expect(m.handle(.enter) == .open(4))
        _ = m.handle(.char("2"))
        #expect(m.selected == 2)
        #expect(m.handle(.char("q")) == .quit)
        #expect(m.number(of: 4) == 3)
        #expect(m.number(of: 0) == nil)
    }

    @Test func drawsDoneMarkAndFitsWidth() {
        var m = menu()
        for w in [40, 41, 80] {
            var b = ScreenBuffer(width: w, height: 12)
            MenuApp.draw(&m, title: "学习 · 张三", subtitle: "2026 年度培训", language: .zhHans, into: &b)
            #expect(b.rowText(4).contains("1. ✓ 第一课"))
            #expect(b.rowText(3).contains("模块一"))
            for r in 0..<12 { #expect(b.rowText(r).displayWidth == w) }
        }
    }
}
