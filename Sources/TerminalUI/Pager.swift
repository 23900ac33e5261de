import Localization

/// A document for the pager: blocks that are wrapped to the window width when shown.
public struct PagerDocument: Hashable, Sendable {
    public enum Block: Hashable, Sendable {
        case title(String)
        case heading(String)
        case paragraph(String)
        /// A paragraph with a hanging marker such as "• " or "1. ".
        case item(marker: String, text: String, style: Style = [])
        case note(String)
        case blank
    }

    public var blocks: [Block]
    public init(blocks: [Block] = []) { self.blocks = blocks }

    public mutating func add(_ b: Block) { blocks.append(b) }

    /// The wrapped lines for a width, with the index of the block each line came from.
    public func layout(width: Int) -> [(text: String, style: Style, block: Int)] {
        var out: [(String, Style, Int)] = []
        let w = max(width, 4)
        for (i, block) in blocks.enumerated() {
            switch block {
            case .title(let t):
                for l in TextLayout.wrap(t, width: w) { out.append((l, [.bold, .underline], i)) }
            case .heading(let t):
                for l in TextLayout.wrap(t, width: w) { out.append((l, .bold, i)) }
            case .paragraph(let t):
                for l in TextLayout.wrap("　　" + t.trimmingSpaces, width: w) { out.append((l, [], i)) }
            case .note(let t):
                for l in TextLayout.wrap(t, width: w) { out.append((l, .dim, i)) }
            case .item(let marker, let text, let style):
                let mw = marker.displayWidth
                let lines = TextLayout.wrap(text, width: max(w - mw, 2))
                for (j, l) in lines.enumerated() {
                    out.append(((j == 0 ? marker : String(repeating: " ", count: mw)) + l, style, i))
                }
            case .blank:
                out.append(("", [], i))
            }
        }
        return out
    }
}

/// A scrolling view of a document. Keys: Space/PageDown/f next page, b/PageUp previous page,
/// ↑/↓ or k/j a line, g/Home top, G/End bottom, q/Esc leave.
public struct Pager: Hashable, Sendable {
    public var document: PagerDocument
    public private(set) var top = 0
    /// True once the last line has been on screen.
    public private(set) var reachedEnd = false
    private var lines: [PagerLine] = []
    private var laidOutWidth = -1
    private var viewHeight = 1

    struct PagerLine: Hashable, Sendable {
        var text: String
        var style: Style
        var block: Int
    }

    public enum Outcome: Hashable, Sendable { case none, quit }

    public init(document: PagerDocument) { self.document = document }

    public var lineCount: Int { lines.count }

    /// Lays the document out for a viewport; keeps the first visible block in view on resize.
    public mutating func layout(width: Int, height: Int) {
        viewHeight = max(height, 1)
        if width != laidOutWidth {
            let anchorBlock = lines.indices.contains(top) ? lines[top].block : 0
            lines = document.layout(width: width).map { PagerLine(text: $0.text, style: $0.style, block: $0.block) }
            laidOutWidth = width
            top = lines.firstIndex { $0.block >= anchorBlock } ?? 0
        }
        clamp()
    }

    private var maxTop: Int { max(0, lines.count - viewHeight) }

    private mutating func clamp() {
        top = min(max(top, 0), maxTop)
        if top + viewHeight >= lines.count { reachedEnd = true }
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char(" "), .pageDown, .char("f"), .ctrl("f"), .ctrl("v"): top += max(viewHeight - 1, 1)
        case .char("b"), .pageUp, .ctrl("b"): top -= max(viewHeight - 1, 1)
        case .down, .char("j"), .enter, .ctrl("n"): top += 1
        case .up, .char("k"), .ctrl("p"): top -= 1
        case .char("g"), .home: top = 0
        case .char("G"), .end: top = maxTop
        case .char("q"), .char("Q"), .escape, .ctrl("c"): return .quit
        default: break
        }
        clamp()
        return .none
    }

    /// Draws the visible lines into rows `row ..< row + height` of the buffer.
    public func draw(into b: inout ScreenBuffer, row: Int, col: Int = 0) {
        for i in 0..<viewHeight where top + i < lines.count {
            let l = lines[top + i]
            b.put(l.text, row: row + i, col: col, style: l.style)
        }
    }

    /// e.g. 「第 12–34 行，共 80 行（41%）」 or 「（完）」 at the end.
    public func position(_ lang: Language) -> String {
        let last = min(top + viewHeight, lines.count)
        let pct = lines.isEmpty ? 100 : last * 100 / lines.count
        let atEnd = top + viewHeight >= lines.count
        return lang.pick(
            zh: "第 \(top + 1)–\(last) 行，共 \(lines.count) 行（\(pct)%）" + (atEnd ? " 已到末尾" : ""),
            en: "lines \(top + 1)–\(last) of \(lines.count) (\(pct)%)" + (atEnd ? " END" : ""))
    }
}

extension PagerDocument {
    /// Plain text, one item per line (an empty line is a blank), as `academy tui-demo --page` pages a file.
    public init(plainText text: String) {
        self.init(
            blocks: text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.isEmpty ? .blank : .item(marker: "", text: String($0))
            })
    }
}
