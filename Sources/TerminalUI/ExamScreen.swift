import Localization

/// Keys → actions for the exam screen, by mode.
///
/// Question: 1–8 or A–H answer/toggle; T/F (or 1/2) for 判断; Enter or 1–n edits a blank;
/// →/n/Space next, ←/p previous; g + number + Enter jumps; f (or m; m on 判断, where F means
/// false) flags; o overview; s submit;
/// PageUp/PageDown scroll a long question; q or Ctrl-C leave (answers are already saved).
public enum ExamKeymap {
    public static func action(for key: Key, in vm: ExamViewModel) -> ExamAction? {
        switch vm.mode {
        case .editingBlank:
            if key == .ctrl("c") { return .cancel }
            return .editor(key)
        case .jump:
            return .jumpInput(key)
        case .confirmSubmit, .confirmQuit:
            switch key {
            case .char("y"), .char("Y"), .char("是"): return .confirm
            case .enter where vm.mode == .confirmQuit: return .confirm
            case .ctrl("c") where vm.mode == .confirmQuit: return .confirm
            case .char("n"), .char("N"), .escape, .char("否"), .ctrl("c"): return .cancel
            default: return nil
            }
        case .timeUp:
            return nil
        case .result:
            switch key {
            case .char("q"), .char("Q"), .escape, .ctrl("c"): return .quit
            default: return nil  // the pager handles scrolling
            }
        case .overview:
            switch key {
            case .left, .char("h"): return .overviewMove(-1)
            case .right, .char("l"), .tab: return .overviewMove(1)
            case .up, .char("k"): return .overviewMove(-ExamScreen.overviewColumns(for: vm.screenWidth))
            case .down, .char("j"): return .overviewMove(ExamScreen.overviewColumns(for: vm.screenWidth))
            case .enter, .char(" "): return .overviewOpen
            case .char("g"): return .beginJump
            case .char("o"), .char("O"), .escape: return .showOverview
            case .char("s"), .char("S"): return .submit
            case .char("q"), .char("Q"), .ctrl("c"): return .quit
            default: return nil
            }
        case .question:
            break
        }
        guard vm.items.indices.contains(vm.current) else { return key == .char("q") ? .quit : nil }
        let kind = vm.items[vm.current].kind
        switch key {
        case .char(let c):
            let upper = Character(c.uppercased())
            if kind == .trueFalse {
                if upper == "T" || c == "1" || c == "对" || c == "√" { return .setTrueFalse(true) }
                if upper == "F" || c == "2" || c == "错" || c == "×" { return .setTrueFalse(false) }
            }
            if case .fillIn(let n) = kind, let d = c.wholeNumberValue, d >= 1, d <= n { return .editBlank(d - 1) }
            if kind == .singleChoice || kind == .multipleChoice {
                if let d = c.wholeNumberValue, c.isASCII, d >= 1, d <= 8 { return .option(d - 1) }
                if let a = upper.asciiValue, a >= 65, a <= 72, c != "f", c != "g" { return .option(Int(a) - 65) }
                if c == "F" { return .option(5) }
                if c == "G" { return .option(6) }
            }
            switch c {
            case "n", " ", "]": return .next
            case "p", "[": return .previous
            case "g": return .beginJump
            case "f", "m", "*": return .toggleFlag
            case "o", "O": return .showOverview
            case "s", "S": return .submit
            case "q", "Q": return .quit
            default: return nil
            }
        case .enter:
            if case .fillIn = kind { return .editBlank(0) }
            return .next
        case .right, .tab: return .next
        case .left, .backTab: return .previous
        case .pageDown, .down: return .scroll(key == .down ? 1 : 10)
        case .pageUp, .up: return .scroll(key == .up ? -1 : -10)
        case .ctrl("c"): return .quit
        case .ctrl("l"): return nil
        default: return nil
        }
    }
}

/// Draws the exam screen for a view model into a buffer of any size (or the too-small notice).
public enum ExamScreen {
    static let optionLabels = ["A", "B", "C", "D", "E", "F", "G", "H"]
    static let cellWidth = 6

    public static func overviewColumns(for width: Int) -> Int { max(1, (width - 2) / cellWidth) }

    public static func countdown(_ seconds: Int) -> String {
        let s = max(0, seconds)
        if s >= 3600 {
            return "\(s / 3600):" + pad2((s % 3600) / 60) + ":" + pad2(s % 60)
        }
        return pad2(s / 60) + ":" + pad2(s % 60)
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    public static func draw(_ vm: ExamViewModel, into b: inout ScreenBuffer) {
        b.clear()
        b.cursor = nil
        guard SizeGuard.fits(width: b.width, height: b.height) else {
            SizeGuard.drawTooSmall(into: &b)
            return
        }
        drawHeader(vm, into: &b)
        switch vm.mode {
        case .overview(let selected):
            drawOverview(vm, selected: selected, into: &b)
            footer(
                vm.language.pick(
                    zh: "方向键 选择  回车 打开  g 跳转  o/Esc 返回  s 交卷  q 离开",
                    en: "arrows move  Enter open  g jump  o/Esc back  s submit  q leave"), into: &b)
            return
        case .result(let r, let pager):
            drawResult(r, pager: pager, lang: vm.language, into: &b)
            return
        default:
            break
        }
        guard vm.items.indices.contains(vm.current) else {
            b.put(vm.language.pick(zh: "本试卷没有题目。", en: "This paper has no questions."), row: 2, col: 1)
            return
        }
        let item = vm.items[vm.current]
        drawQuestionInfo(vm, item, into: &b)
        drawBody(vm, item, into: &b)
        drawStatus(vm, item, into: &b)
        drawModeLine(vm, item, into: &b)
    }

    /// Row 0: the title on the left, the countdown on the right (warning style when low).
    static func drawHeader(_ vm: ExamViewModel, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        let w = b.width
        b.fill(row: 0, style: .reverse)
        let warn = vm.remainingSeconds <= vm.warningSeconds
        let clock = t("剩余 ", "Left ") + countdown(vm.remainingSeconds)
        let clockCol = w - clock.displayWidth - 1
        b.put(clock, row: 0, col: clockCol, style: warn ? [.reverse, .bold, .warning] : [.reverse, .bold])
        let head = [vm.title, vm.subtitle].filter { !$0.isEmpty }.joined(separator: " · ")
        b.put(TextLayout.truncate(" " + head, width: clockCol - 1), row: 0, col: 0, style: [.reverse, .bold])
    }

    /// Rows 1–2: section, number, type, points, case label and flag, then a rule.
    static func drawQuestionInfo(_ vm: ExamViewModel, _ item: ExamItem, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        let w = b.width
        let number = t("第 \(vm.current + 1)/\(vm.items.count) 题", "Question \(vm.current + 1)/\(vm.items.count)")
        let pts = item.points == item.points.rounded() ? String(Int(item.points)) : String(item.points)
        var info = "\(number) · \(item.typeLabel) · \(pts)\(t(" 分", " pt"))"
        if let c = item.caseLabel { info += " · \(c)" }
        var x = b.put(TextLayout.truncate(item.sectionTitle, width: max(w / 3, 8)), row: 1, col: 1, style: .bold)
        x = b.put("  " + info, row: 1, col: x)
        if item.flagged { b.put(t("  ⚑ 已标记", "  ⚑ flagged"), row: 1, col: x, style: [.accent, .bold]) }
        b.put(String(repeating: "─", count: w), row: 2, col: 0, style: .dim)
    }

    /// The question's lines: scenario, stem, then options, true/false or blanks with the answer.
    static func bodyLines(_ item: ExamItem, width textWidth: Int, lang: Language) -> [(String, Style)] {
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        var lines: [(String, Style)] = []
        if !item.scenario.isEmpty {
            for p in item.scenario {
                for l in TextLayout.wrap(p, width: textWidth) { lines.append((l, .dim)) }
            }
            lines.append(("", []))
        }
        for l in TextLayout.wrap(item.stem, width: textWidth) { lines.append((l, .bold)) }
        lines.append(("", []))
        switch item.kind {
        case .singleChoice, .multipleChoice:
            var chosen: Set<Int> = []
            if case .choices(let s) = item.response { chosen = s }
            for (i, opt) in item.options.enumerated() {
                let label = i < optionLabels.count ? optionLabels[i] : "?"
                let mark =
                    item.kind == .singleChoice
                    ? (chosen.contains(i) ? "(●)" : "( )")
                    : (chosen.contains(i) ? "[✓]" : "[ ]")
                let prefix = "\(mark) \(label). "
                let wrapped = TextLayout.wrap(opt, width: max(textWidth - prefix.displayWidth, 4))
                for (j, l) in wrapped.enumerated() {
                    lines.append(
                        (
                            (j == 0 ? prefix : String(repeating: " ", count: prefix.displayWidth)) + l,
                            chosen.contains(i) ? .good : []
                        ))
                }
            }
        case .trueFalse:
            var v: Bool?
            if case .trueFalse(let x) = item.response { v = x }
            lines.append(((v == true ? "(●)" : "( )") + t(" T. 正确", " T. True"), v == true ? .good : []))
            lines.append(((v == false ? "(●)" : "( )") + t(" F. 错误", " F. False"), v == false ? .good : []))
        case .fillIn(let n):
            var blanks: [String] = []
            if case .blanks(let bl) = item.response { blanks = bl }
            for k in 0..<n {
                let label = t("第 \(k + 1) 空：", "Blank \(k + 1): ")
                let value = k < blanks.count ? blanks[k] : ""
                lines.append((label + (value.isEmpty ? "＿＿＿＿" : value), value.isEmpty ? [] : .good))
            }
        }
        return lines
    }

    /// The body rows, scrolled, with a "more" marker when it does not fit.
    static func drawBody(_ vm: ExamViewModel, _ item: ExamItem, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        let w = b.width
        let bodyTop = 3
        let bodyBottom = b.height - 3  // exclusive: status line at height-2, footer at height-1
        let lines = bodyLines(item, width: w - 2, lang: lang)
        let visible = bodyBottom - bodyTop
        let maxScroll = max(0, lines.count - visible)
        let scroll = min(vm.scroll, maxScroll)
        for i in 0..<visible where scroll + i < lines.count {
            let (text, style) = lines[scroll + i]
            b.put(text, row: bodyTop + i, col: 1, style: style, maxCol: w - 1)
        }
        if scroll < maxScroll {
            let more = t("↓ 更多（PgDn）", "↓ more (PgDn)")
            b.put(more, row: bodyBottom - 1, col: w - more.displayWidth - 1, style: [.reverse])
        }
    }

    /// The status row: save state, answered count and the last message.
    static func drawStatus(_ vm: ExamViewModel, _ item: ExamItem, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        let w = b.width
        let status = b.height - 2
        var sx = 1
        switch item.saveState {
        case .empty: sx = b.put(t("未作答", "Not answered"), row: status, col: sx, style: .dim)
        case .pending: sx = b.put(t("保存中…", "Saving…"), row: status, col: sx, style: .accent)
        case .saved: sx = b.put(t("✓ 已保存", "✓ Saved"), row: status, col: sx, style: .good)
        case .failed: sx = b.put(t("✗ 未保存", "✗ NOT saved"), row: status, col: sx, style: [.warning, .bold])
        }
        let counts = t("  已答 \(vm.answeredCount)/\(vm.items.count)", "  answered \(vm.answeredCount)/\(vm.items.count)")
        sx = b.put(counts, row: status, col: sx)
        if let m = vm.message {
            b.put("  " + TextLayout.truncate(m, width: max(w - sx - 3, 1)), row: status, col: sx, style: .warning)
        }
    }

    /// What the mode adds: the jump prompt, the blank editor, a dialog, and the footer of keys.
    static func drawModeLine(_ vm: ExamViewModel, _ item: ExamItem, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        let w = b.width
        let status = b.height - 2
        switch vm.mode {
        case .jump(let digits):
            let prompt = t("跳到第几题（1–\(vm.items.count)）：", "Go to question (1–\(vm.items.count)): ") + digits
            b.fill(row: status, style: [])
            let end = b.put(prompt, row: status, col: 1, style: .bold)
            b.cursor = (status, min(end, w - 1))
            footer(t("数字 输入题号  回车 跳转  Esc 取消", "digits number  Enter go  Esc cancel"), into: &b)
        case .editingBlank(let k, let editor):
            let label = t("第 \(k + 1) 空：", "Blank \(k + 1): ")
            b.fill(row: status, style: [])
            let x0 = b.put(label, row: status, col: 1, style: .bold)
            let field = max(w - x0 - 2, 4)
            let (text, cur) = editor.visible(width: field)
            b.fill(row: status, from: x0, to: x0 + field, style: .underline)
            b.put(text, row: status, col: x0, style: .underline)
            b.cursor = (status, x0 + cur)
            footer(t("输入答案  回车 确认  Esc 取消  ←/→ 移动  退格 删除", "type  Enter save  Esc cancel  ←/→ move  Backspace delete"), into: &b)
        case .confirmSubmit:
            var lines = [t("确认交卷？", "Submit the paper?")]
            if vm.unansweredCount > 0 {
                lines.append(t("还有 \(vm.unansweredCount) 题未作答。", "\(vm.unansweredCount) question(s) unanswered."))
            } else {
                lines.append(t("全部题目均已作答。", "All questions are answered."))
            }
            if vm.flaggedCount > 0 { lines.append(t("\(vm.flaggedCount) 题已标记。", "\(vm.flaggedCount) flagged.")) }
            lines.append(t("交卷后不能再修改。", "You cannot change answers after submitting."))
            lines.append(t("y 交卷    n 返回", "y submit    n go back"))
            dialog(lines, warnLine: vm.unansweredCount > 0 ? 1 : nil, into: &b)
            footer(t("y 确认交卷  n/Esc 返回", "y confirm  n/Esc back"), into: &b)
        case .confirmQuit:
            dialog(
                [
                    t("暂时离开考试？", "Leave the exam for now?"),
                    t("已保存的答案不会丢失。", "Saved answers are kept."),
                    t("计时不会暂停。", "The clock keeps running."),
                    t("再次运行同一命令即可继续。", "Run the same command to resume."),
                    t("y 离开    n 返回", "y leave    n go back"),
                ], warnLine: 2, into: &b)
            footer(t("y 离开  n/Esc 返回", "y leave  n/Esc back"), into: &b)
        case .timeUp:
            dialog(
                [
                    t("考试时间到", "Time is up"),
                    t("正在按已保存的答案交卷…", "Submitting the saved answers…"),
                ], warnLine: 0, into: &b)
            footer("", into: &b)
        default:
            let keys: String
            switch item.kind {
            case .singleChoice, .multipleChoice:
                keys = t(
                    "A–\(optionLabels[min(max(item.options.count, 1), 8) - 1])/1–\(min(max(item.options.count, 1), 8)) 选择",
                    "A–\(optionLabels[min(max(item.options.count, 1), 8) - 1]) choose")
            case .trueFalse: keys = t("T/1 正确  F/2 错误  m 标记", "T/1 true  F/2 false  m flag")
            case .fillIn: keys = t("回车/1–n 填空", "Enter/1–n fill in")
            }
            let flag = item.kind == .trueFalse ? "" : t("  f 标记", "  f flag")
            footer(
                keys + t("  ←/→ 上下题  g 跳转", "  ←/→ move  g jump") + flag
                    + t("  o 总览  s 交卷  q 离开", "  o overview  s submit  q leave"), into: &b)
        }
    }

    static func footer(_ text: String, into b: inout ScreenBuffer) {
        let row = b.height - 1
        b.fill(row: row, style: .reverse)
        b.put(TextLayout.truncate(" " + text, width: b.width), row: row, col: 0, style: .reverse)
    }

    static func dialog(_ lines: [String], warnLine: Int?, into b: inout ScreenBuffer) {
        let inner = min(b.width - 6, max(lines.map(\.displayWidth).max() ?? 0, 20))
        let boxW = inner + 4
        let left = (b.width - boxW) / 2
        let top = max(3, (b.height - lines.count - 2) / 2)
        b.put("┌" + String(repeating: "─", count: boxW - 2) + "┐", row: top, col: left, style: .bold)
        for (i, l) in lines.enumerated() {
            let row = top + 1 + i
            b.fill(row: row, from: left, to: left + boxW, style: [])
            b.put("│", row: row, col: left, style: .bold)
            b.put(
                TextLayout.truncate(l, width: inner), row: row, col: left + 2,
                style: i == 0 ? .bold : (i == warnLine ? [.warning, .bold] : []))
            b.put("│", row: row, col: left + boxW - 1, style: .bold)
        }
        b.put("└" + String(repeating: "─", count: boxW - 2) + "┘", row: top + lines.count + 1, col: left, style: .bold)
    }

    static func drawOverview(_ vm: ExamViewModel, selected: Int, into b: inout ScreenBuffer) {
        let lang = vm.language
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        b.put(
            t(
                "总览：已答 \(vm.answeredCount)  未答 \(vm.unansweredCount)  标记 \(vm.flaggedCount)",
                "Overview: answered \(vm.answeredCount)  unanswered \(vm.unansweredCount)  flagged \(vm.flaggedCount)"),
            row: 1, col: 1, style: .bold)
        b.put(t("✓ 已答   · 未答   ⚑ 标记", "✓ answered   · unanswered   ⚑ flagged"), row: 2, col: 1, style: .dim)
        let cols = overviewColumns(for: b.width)
        let top = 4
        let rows = b.height - 2 - top
        let selRow = selected / cols
        let firstRow = max(0, selRow - rows + 1)
        var lastSection = ""
        _ = lastSection
        for (i, item) in vm.items.enumerated() {
            let r = i / cols - firstRow
            guard r >= 0, r < rows else { continue }
            let mark = item.flagged ? "⚑" : (item.response.isAnswered ? "✓" : "·")
            let num = String(i + 1)
            let cell = String(repeating: " ", count: max(0, 3 - num.count)) + num + mark
            var style: Style = item.flagged ? .accent : (item.response.isAnswered ? .good : .warning)
            if i == selected { style.insert(.reverse) }
            if i == vm.current { style.insert(.bold) }
            b.put(cell, row: top + r, col: 1 + (i % cols) * cellWidth, style: style)
            lastSection = item.sectionTitle
        }
        if vm.items.indices.contains(selected) {
            let s = vm.items[selected]
            b.put(
                TextLayout.truncate(
                    t("第 \(selected + 1) 题 · ", "Q\(selected + 1) · ") + s.sectionTitle + " · " + s.stem,
                    width: b.width - 2), row: b.height - 2, col: 1, style: .dim)
        }
    }

    /// The result as a pager document.
    public static func resultDocument(_ r: ExamResultView, lang: Language) -> PagerDocument {
        func t(_ zh: String, _ en: String) -> String { lang.pick(zh: zh, en: en) }
        func fmt(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format1(d)) }
        var doc = PagerDocument()
        if r.timedOut { doc.add(.note(t("考试时间到，已按已保存的答案自动交卷。", "Time ran out; the saved answers were submitted."))) }
        doc.add(.title(t("成绩：\(fmt(r.score)) / \(fmt(r.total)) 分", "Score: \(fmt(r.score)) / \(fmt(r.total))")))
        doc.add(
            .item(
                marker: "",
                text: r.passed
                    ? t("合格（合格线 \(fmt(r.passPoints)) 分）", "PASSED (pass mark \(fmt(r.passPoints)))")
                    : t("不合格（合格线 \(fmt(r.passPoints)) 分）", "NOT PASSED (pass mark \(fmt(r.passPoints)))"),
                style: r.passed ? [.good, .bold] : [.warning, .bold]))
        if !r.byTopic.isEmpty {
            doc.add(.blank)
            doc.add(.heading(t("按主题", "By topic")))
            for l in r.byTopic { doc.add(.item(marker: "  ", text: "\(l.label)  \(fmt(l.earned))/\(fmt(l.possible))")) }
        }
        if !r.byProvision.isEmpty {
            doc.add(.blank)
            doc.add(.heading(t("按条款", "By provision")))
            for l in r.byProvision { doc.add(.item(marker: "  ", text: "\(l.label)  \(fmt(l.earned))/\(fmt(l.possible))")) }
        }
        if let note = r.note {
            doc.add(.blank)
            doc.add(.note(note))
        }
        if let review = r.review {
            doc.add(.blank)
            doc.add(.heading(review.isEmpty ? t("全部答对。", "No questions missed.") : t("错题解析", "Review of missed questions")))
            for q in review {
                doc.add(.blank)
                doc.add(.item(marker: t("第 \(q.number) 题 ", "Q\(q.number) "), text: q.stem, style: .bold))
                doc.add(
                    .item(
                        marker: t("  你的答案：", "  Your answer: "), text: q.given.isEmpty ? t("（未作答）", "(none)") : q.given,
                        style: .warning))
                doc.add(.item(marker: t("  正确答案：", "  Correct: "), text: q.correct, style: .good))
                doc.add(.item(marker: t("  解析：", "  Why: "), text: q.explanation))
            }
        }
        return doc
    }

    static func format1(_ d: Double) -> String {
        let scaled = (d * 10).rounded() / 10
        return String(scaled)
    }

    static func drawResult(_ r: ExamResultView, pager: Pager?, lang: Language, into b: inout ScreenBuffer) {
        var p = pager ?? Pager(document: resultDocument(r, lang: lang))
        p.layout(width: b.width - 2, height: b.height - 3)
        p.draw(into: &b, row: 2, col: 1)
        footer(
            lang.pick(zh: "空格/PgDn 下页  b/PgUp 上页  q 退出  ", en: "Space/PgDn next  b/PgUp back  q quit  ")
                + p.position(lang), into: &b)
    }
}
