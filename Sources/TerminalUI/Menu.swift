import Localization

/// A list to pick from (the study list): ↑/↓ or j/k move, number + Enter or Enter opens, q leaves.
public struct Menu: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var title: String
        /// e.g. 「课程 · 20 分钟」 or 「案例 · 反面典型」.
        public var detail: String
        public var done: Bool
        /// A heading row (module title) that cannot be opened.
        public var isHeading: Bool
        public init(title: String, detail: String = "", done: Bool = false, isHeading: Bool = false) {
            self.title = title
            self.detail = detail
            self.done = done
            self.isHeading = isHeading
        }
    }

    public enum Outcome: Hashable, Sendable { case none, open(Int), quit }

    public var entries: [Entry]
    public private(set) var selected: Int
    public private(set) var top = 0
    private var typed = ""

    public init(entries: [Entry], selected: Int = 0) {
        self.entries = entries
        self.selected = 0
        self.selected =
            entries.indices.contains(selected) && !entries[selected].isHeading
            ? selected : (entries.firstIndex { !$0.isHeading } ?? 0)
    }

    /// Numbers shown for openable entries (1-based, headings skipped).
    public func number(of index: Int) -> Int? {
        guard entries.indices.contains(index), !entries[index].isHeading else { return nil }
        return entries[..<index].filter { !$0.isHeading }.count + 1
    }

    private func index(ofNumber n: Int) -> Int? {
        var count = 0
        for (i, e) in entries.enumerated() where !e.isHeading {
            count += 1
            if count == n { return i }
        }
        return nil
    }

    private mutating func move(_ delta: Int) {
        var i = selected
        repeat {
            i += delta
            if !entries.indices.contains(i) { return }
        } while entries[i].isHeading
        selected = i
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .down, .char("j"), .tab: move(1); typed = ""
        case .up, .char("k"), .backTab: move(-1); typed = ""
        case .home, .char("g"): selected = entries.firstIndex { !$0.isHeading } ?? 0
        case .end, .char("G"): selected = entries.lastIndex { !$0.isHeading } ?? 0
        case .char(let c) where c.isASCII && c.isNumber:
            typed.append(c)
            if let n = Int(typed), let i = index(ofNumber: n) { selected = i } else { typed = String(c) }
            if let n = Int(typed), let i = index(ofNumber: n) { selected = i }
        case .backspace: typed = String(typed.dropLast())
        case .enter, .char(" "), .right:
            typed = ""
            if entries.indices.contains(selected), !entries[selected].isHeading { return .open(selected) }
        case .char("q"), .char("Q"), .escape, .ctrl("c"): return .quit
        default: break
        }
        return .none
    }

    /// Draws rows `row ..< row + height`, scrolling to keep the selection visible.
    public mutating func draw(into b: inout ScreenBuffer, row: Int, height: Int) {
        if selected < top { top = selected }
        if selected >= top + height { top = selected - height + 1 }
        if top > 0, entries.indices.contains(top - 1), entries[top - 1].isHeading, selected - (top - 1) < height { top -= 1 }
        for i in 0..<height where top + i < entries.count {
            let e = entries[top + i]
            let r = row + i
            if e.isHeading {
                b.put(TextLayout.truncate(e.title, width: b.width - 2), row: r, col: 1, style: .bold)
                continue
            }
            let isSel = top + i == selected
            let num = number(of: top + i).map { String($0) } ?? ""
            let mark = e.done ? "✓" : " "
            let prefix = "  " + String(repeating: " ", count: max(0, 3 - num.count)) + num + ". " + mark + " "
            let style: Style = isSel ? .reverse : []
            if isSel { b.fill(row: r, from: 1, to: b.width - 1, style: .reverse) }
            var x = b.put(prefix, row: r, col: 1, style: e.done ? style.union(.good) : style)
            let detailWidth = e.detail.isEmpty ? 0 : min(e.detail.displayWidth + 2, max(0, (b.width - x) / 2))
            let titleWidth = b.width - 1 - x - detailWidth
            x = b.put(TextLayout.truncate(e.title, width: max(titleWidth, 1)), row: r, col: x, style: style)
            if detailWidth > 0 {
                let d = TextLayout.truncate(e.detail, width: detailWidth - 2)
                b.put(d, row: r, col: b.width - 1 - d.displayWidth, style: style.union(.dim))
            }
        }
    }
}

/// Runs a menu full-screen with a title and a help footer.
public final class MenuApp {
    public enum Outcome: Hashable, Sendable { case open(Int), quit, terminated(Int32), disconnected }

    private let terminal: any TerminalDevice
    public var title: String
    public var subtitle: String
    public var menu: Menu
    private let language: Language
    private var renderer = DiffRenderer()

    public init(terminal: any TerminalDevice, title: String, subtitle: String, menu: Menu, language: Language) {
        self.terminal = terminal
        self.title = title
        self.subtitle = subtitle
        self.menu = menu
        self.language = language
    }

    public static func draw(
        _ menu: inout Menu, title: String, subtitle: String, language: Language,
        into b: inout ScreenBuffer
    ) {
        b.clear()
        guard SizeGuard.fits(width: b.width, height: b.height) else {
            SizeGuard.drawTooSmall(into: &b)
            return
        }
        b.fill(row: 0, style: .reverse)
        b.put(TextLayout.truncate(" " + title, width: b.width), row: 0, col: 0, style: [.reverse, .bold])
        b.put(TextLayout.truncate(subtitle, width: b.width - 2), row: 1, col: 1, style: .dim)
        menu.draw(into: &b, row: 3, height: b.height - 4)
        b.fill(row: b.height - 1, style: .reverse)
        b.put(
            TextLayout.truncate(
                language.pick(
                    zh: " ↑↓/数字 选择  回车 打开  q 退出  ✓ 已学完",
                    en: " ↑↓/number select  Enter open  q quit  ✓ finished"),
                width: b.width), row: b.height - 1, col: 0, style: .reverse)
    }

    /// Shows the menu until an entry is opened or the officer leaves. The terminal stays in
    /// full-screen mode across calls (the caller enters and leaves it).
    public func choose() -> Outcome {
        let end = terminal.runKeyLoop(invalidate: { renderer.invalidate() }, redraw: redraw) { key -> Outcome? in
            switch menu.handle(key) {
            case .none: nil
            case .open(let i): .open(i)
            case .quit: .quit
            }
        }
        switch end {
        case .result(let outcome): return outcome
        case .terminated(let sig): return .terminated(sig)
        case .disconnected: return .disconnected
        }
    }

    private func redraw() {
        let size = terminal.size
        var b = ScreenBuffer(width: size.width, height: size.height)
        Self.draw(&menu, title: title, subtitle: subtitle, language: language, into: &b)
        terminal.writeString(renderer.render(b))
    }
}
