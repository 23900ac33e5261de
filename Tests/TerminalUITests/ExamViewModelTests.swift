import Localization
import Testing

@testable import TerminalUI

@Suite struct ExamViewModelTests {
    func model() -> ExamViewModel {
        ExamViewModel(
            language: .zhHans, title: "年度考试", subtitle: "2026 周期",
            items: [
                ExamItem(
                    sectionTitle: "单选", typeLabel: "单选", kind: .singleChoice, stem: "题一", options: ["甲", "乙", "丙"], points: 2),
                ExamItem(
                    sectionTitle: "多选", typeLabel: "多选", kind: .multipleChoice, stem: "题二", options: ["甲", "乙", "丙", "丁"],
                    points: 4),
                ExamItem(sectionTitle: "判断", typeLabel: "判断", kind: .trueFalse, stem: "题三", points: 1),
                ExamItem(sectionTitle: "填空", typeLabel: "填空", kind: .fillIn(blanks: 2), stem: "题四（ 1 ）（ 2 ）", points: 2),
            ], remainingSeconds: 600)
    }

    @Test func savedOnlyAfterConfirmation() {
        var vm = model()
        let effects = vm.apply(.option(1))
        #expect(effects == [.save(item: 0, response: .choices([1]), revision: 1)])
        #expect(vm.items[0].saveState == .pending)
        #expect(vm.hasUnsavedChanges)
        // A newer change makes the older confirmation stale.
        let e2 = vm.apply(.option(2))
        #expect(e2 == [.save(item: 0, response: .choices([2]), revision: 2)])
        vm.markSaved(item: 0, revision: 1)
        #expect(vm.items[0].saveState == .pending)
        vm.markSaved(item: 0, revision: 2)
        #expect(vm.items[0].saveState == .saved)
        #expect(!vm.hasUnsavedChanges)
        // Same answer again: nothing to save.
        #expect(vm.apply(.option(2)).isEmpty)
    }

    @Test func failedSaveIsShown() {
        var vm = model()
        vm.apply(.option(0))
        vm.markSaveFailed(item: 0, revision: 1, reason: "disk full")
        #expect(vm.items[0].saveState == .failed("disk full"))
        var b = ScreenBuffer(width: 80, height: 24)
        ExamScreen.draw(vm, into: &b)
        #expect(b.rowText(22).contains("✗ 未保存"))
        #expect(b.rowText(22).contains("disk full"))
    }

    @Test func multipleChoiceToggles() {
        var vm = model()
        vm.apply(.next)
        vm.apply(.option(0))
        vm.apply(.option(3))
        #expect(vm.items[1].response == .choices([0, 3]))
        vm.apply(.option(0))
        #expect(vm.items[1].response == .choices([3]))
        vm.apply(.option(3))
        #expect(vm.items[1].response == .none)
        #expect(vm.apply(.option(7)).isEmpty)  // no option H
    }

    @Test func keymapPerKind() {
        var vm = model()
        #expect(ExamKeymap.action(for: .char("b"), in: vm) == .option(1))
        #expect(ExamKeymap.action(for: .char("3"), in: vm) == .option(2))
        #expect(ExamKeymap.action(for: .char("f"), in: vm) == .toggleFlag)
        vm.apply(.jump(3))
        #expect(ExamKeymap.action(for: .char("t"), in: vm) == .setTrueFalse(true))
        #expect(ExamKeymap.action(for: .char("2"), in: vm) == .setTrueFalse(false))
        #expect(ExamKeymap.action(for: .char("F"), in: vm) == .setTrueFalse(false))
        #expect(ExamKeymap.action(for: .char("m"), in: vm) == .toggleFlag)
        vm.apply(.next)
        #expect(ExamKeymap.action(for: .enter, in: vm) == .editBlank(0))
        #expect(ExamKeymap.action(for: .char("2"), in: vm) == .editBlank(1))
        #expect(ExamKeymap.action(for: .ctrl("c"), in: vm) == .quit)
    }

    @Test func fillInWithWideCharacters() {
        var vm = model()
        vm.apply(.jump(4))
        vm.apply(.editBlank(0))
        for k: Key in [.char("严"), .char("格"), .char("x"), .backspace, .backspace, .char("谨"), .enter] {
            vm.apply(.editor(k))
        }
        #expect(vm.items[3].response == .blanks(["严谨", ""]))
        // Enter moved on to blank 2.
        guard case .editingBlank(1, _) = vm.mode else { Issue.record("\(vm.mode)"); return }
        vm.apply(.editor(.paste("公正\n文明")))
        let e = vm.apply(.editor(.enter))
        #expect(e.count == 1)
        #expect(vm.items[3].response == .blanks(["严谨", "公正 文明"]))
        #expect(vm.mode == .question)
    }

    @Test func lineEditorCursorByWidth() {
        var ed = LineEditor(text: "执法abc")
        #expect(ed.visible(width: 20).cursorColumn == 7)
        _ = ed.handle(.home)
        _ = ed.handle(.right)
        #expect(ed.visible(width: 20).cursorColumn == 2)
        _ = ed.handle(.backspace)
        #expect(ed.text == "法abc")
        let long = LineEditor(text: String(repeating: "执", count: 30))
        let v = long.visible(width: 10)
        #expect(v.text.displayWidth <= 10)
        #expect(v.cursorColumn <= 9)
    }

    @Test func jumpAndOverview() {
        var vm = model()
        vm.apply(.beginJump)
        vm.apply(.jumpInput(.char("9")))
        vm.apply(.jumpInput(.enter))
        #expect(vm.current == 0)
        #expect(vm.message?.contains("1–4") == true)
        vm.apply(.beginJump)
        vm.apply(.jumpInput(.char("3")))
        vm.apply(.jumpInput(.enter))
        #expect(vm.current == 2)
        vm.apply(.showOverview)
        vm.apply(.overviewMove(-1))
        vm.apply(.overviewOpen)
        #expect(vm.current == 1)
        #expect(vm.mode == .question)
    }

    @Test func submitNeedsConfirmationAndCountsUnanswered() {
        var vm = model()
        vm.apply(.option(0))
        #expect(vm.apply(.submit).isEmpty)
        #expect(vm.mode == .confirmSubmit)
        var b = ScreenBuffer(width: 80, height: 24)
        ExamScreen.draw(vm, into: &b)
        #expect((0..<24).contains { b.rowText($0).contains("还有 3 题未作答") })
        #expect(vm.apply(.cancel).isEmpty)
        vm.apply(.submit)
        #expect(vm.apply(.confirm) == [.submit(timedOut: false)])
    }

    @Test func timeUpSubmitsOnce() {
        var vm = model()
        #expect(vm.apply(.tick(remaining: 5)).isEmpty)
        #expect(vm.apply(.tick(remaining: 0)) == [.submit(timedOut: true)])
        #expect(vm.apply(.tick(remaining: 0)).isEmpty)
        #expect(vm.apply(.option(1)).isEmpty)  // no answering after time-up
    }

    @Test func quitAsksFirst() {
        var vm = model()
        #expect(vm.apply(.quit).isEmpty)
        #expect(vm.apply(.confirm) == [.leave])
    }

    @Test func screenAt80x24() {
        var vm = model()
        vm.apply(.option(1))
        vm.markSaved(item: 0, revision: 1)
        vm.remainingSeconds = 299
        var b = ScreenBuffer(width: 80, height: 24)
        ExamScreen.draw(vm, into: &b)
        #expect(b.rowText(0).hasPrefix(" 年度考试 · 2026 周期"))
        #expect(b.rowText(0).hasSuffix("剩余 04:59 "))
        #expect(b[0, 79 - "剩余 04:59".displayWidth].style.contains(.warning))
        #expect(b.rowText(1).contains("第 1/4 题 · 单选 · 2 分"))
        #expect(b.rowText(3).hasPrefix(" 题一"))
        #expect(b.rowText(6).hasPrefix(" (●) B. 乙"))
        #expect(b.rowText(22).contains("✓ 已保存"))
        #expect(b.rowText(23).contains("s 交卷"))
        for r in 0..<24 { #expect(b.rowText(r).displayWidth == 80) }
    }

    @Test func tooSmallShowsMessage() {
        let vm = model()
        var b = ScreenBuffer(width: 39, height: 24)
        ExamScreen.draw(vm, into: &b)
        let text = (0..<24).map { b.rowText($0) }.joined(separator: "\n")
        #expect(text.contains("窗口太小"))
        #expect(text.contains("Window too small"))
        #expect(!text.contains("第 1/4 题"))
        var ok = ScreenBuffer(width: 40, height: 10)
        ExamScreen.draw(vm, into: &ok)
        #expect(ok.rowText(1).contains("第 1/4 题"))
        var short = ScreenBuffer(width: 80, height: 9)
        ExamScreen.draw(vm, into: &short)
        #expect((0..<9).contains { short.rowText($0).contains("窗口太小") })
    }

    @Test func countdownFormat() {
        #expect(ExamScreen.countdown(0) == "00:00")
        #expect(ExamScreen.countdown(65) == "01:05")
        #expect(ExamScreen.countdown(3725) == "1:02:05")
    }
}

@Suite struct PagerTests {
    func doc(_ n: Int) -> PagerDocument {
        PagerDocument(blocks: (1...n).map { .item(marker: "", text: "第\($0)行") })
    }

    @Test func pagesAndReportsEnd() {
        var p = Pager(document: doc(50))
        p.layout(width: 40, height: 10)
        #expect(!p.reachedEnd)
        _ = p.handle(.char(" "))
        #expect(p.top == 9)
        _ = p.handle(.char("b"))
        #expect(p.top == 0)
        _ = p.handle(.char("G"))
        #expect(p.top == 40)
        #expect(p.reachedEnd)
        _ = p.handle(.char("g"))
        #expect(p.top == 0)
        #expect(p.reachedEnd)  // stays reached
        #expect(p.handle(.char("q")) == .quit)
    }

    @Test func shortDocumentIsReadAtOnce() {
        var p = Pager(document: doc(3))
        p.layout(width: 40, height: 10)
        #expect(p.reachedEnd)
    }

    @Test func resizeKeepsPlace() {
        var p = Pager(
            document: PagerDocument(blocks: (1...40).map { .paragraph("段落\($0)：" + String(repeating: "城市管理", count: 10)) }))
        p.layout(width: 80, height: 10)
        for _ in 0..<3 { _ = p.handle(.pageDown) }
        var b = ScreenBuffer(width: 80, height: 10)
        p.draw(into: &b, row: 0)
        let firstBlock = b.rowText(0)
        p.layout(width: 40, height: 10)
        var b2 = ScreenBuffer(width: 40, height: 10)
        p.draw(into: &b2, row: 0)
        // The paragraph at the top stays on screen.
        let tag = firstBlock.split(separator: "：").first.map(String.init) ?? ""
        #expect((0..<10).contains { b2.rowText($0).contains(tag.trimmingCharacters(in: .whitespaces)) })
    }
}
