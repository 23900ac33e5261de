import Localization

/// Runs a pager full-screen: a title bar, the document wrapped to the window, and a footer
/// with the position. Reports whether the end was reached.
public final class PagerApp {
    public enum Outcome: Hashable, Sendable {
        /// The officer left; `reachedEnd` says whether the last line was shown.
        case quit(reachedEnd: Bool)
        case terminated(Int32)
        case disconnected
    }

    private let terminal: any TerminalDevice
    private let title: String
    private let language: Language
    public private(set) var pager: Pager
    private var renderer = DiffRenderer()
    /// Called once, the first time the end of the document is on screen.
    public var onReachedEnd: (() -> Void)?
    private var endReported = false

    public init(terminal: any TerminalDevice, title: String, document: PagerDocument, language: Language) {
        self.terminal = terminal
        self.title = title
        self.language = language
        pager = Pager(document: document)
    }

    /// Draws the pager screen for a size (also used by tests).
    public static func draw(_ pager: inout Pager, title: String, language: Language, into b: inout ScreenBuffer) {
        b.clear()
        guard SizeGuard.fits(width: b.width, height: b.height) else {
            SizeGuard.drawTooSmall(into: &b)
            return
        }
        pager.layout(width: b.width - 2, height: b.height - 2)
        b.fill(row: 0, style: .reverse)
        b.put(TextLayout.truncate(" " + title, width: b.width), row: 0, col: 0, style: [.reverse, .bold])
        pager.draw(into: &b, row: 1, col: 1)
        let help = language.pick(
            zh: " 空格 下页  b 上页  ↑↓ 滚动  g/G 首/尾  q 返回  ",
            en: " Space next  b back  ↑↓ scroll  g/G top/end  q back  ")
        let pos = pager.position(language)
        b.fill(row: b.height - 1, style: .reverse)
        let x = b.put(TextLayout.truncate(help, width: b.width), row: b.height - 1, col: 0, style: .reverse)
        if x + pos.displayWidth < b.width {
            b.put(
                pos, row: b.height - 1, col: b.width - pos.displayWidth - 1,
                style: pager.reachedEnd ? [.reverse, .good] : .reverse)
        }
    }

    private func redraw() {
        let size = terminal.size
        var b = ScreenBuffer(width: size.width, height: size.height)
        Self.draw(&pager, title: title, language: language, into: &b)
        terminal.writeString(renderer.render(b))
        if pager.reachedEnd && !endReported && SizeGuard.fits(width: size.width, height: size.height) {
            endReported = true
            onReachedEnd?()
        }
    }

    /// Enters full-screen mode, pages, and leaves it again.
    public func run() throws -> Outcome {
        try terminal.enter()
        defer { terminal.leave() }
        return show()
    }

    /// Pages inside a full-screen session the caller already entered.
    public func show() -> Outcome {
        let end = terminal.runKeyLoop(invalidate: { renderer.invalidate() }, redraw: redraw) { key -> Outcome? in
            pager.handle(key) == .quit ? .quit(reachedEnd: pager.reachedEnd) : nil
        }
        switch end {
        case .result(let outcome): return outcome
        case .terminated(let sig): return .terminated(sig)
        case .disconnected: return .disconnected
        }
    }
}
