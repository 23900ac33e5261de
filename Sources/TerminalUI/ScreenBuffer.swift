import Localization
/// Visual attributes of a cell.
public struct Style: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Style(rawValue: 1 << 0)
    public static let dim = Style(rawValue: 1 << 1)
    public static let underline = Style(rawValue: 1 << 2)
    public static let reverse = Style(rawValue: 1 << 3)
    /// Red foreground: warnings (time nearly up, unanswered count).
    public static let warning = Style(rawValue: 1 << 4)
    /// Green foreground: saved, passed, done.
    public static let good = Style(rawValue: 1 << 5)
    /// Yellow foreground: flags, pending.
    public static let accent = Style(rawValue: 1 << 6)

    /// SGR sequence selecting exactly this style (starting from reset).
    var sgr: String {
        var codes = ["0"]
        if contains(.bold) { codes.append("1") }
        if contains(.dim) { codes.append("2") }
        if contains(.underline) { codes.append("4") }
        if contains(.reverse) { codes.append("7") }
        if contains(.warning) {
            codes.append("31")
        } else if contains(.good) {
            codes.append("32")
        } else if contains(.accent) {
            codes.append("33")
        }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}

/// One screen cell. A wide character occupies its cell and a `continuation` cell to its right.
public struct Cell: Hashable, Sendable {
    public var text: String  // "" for the right half of a wide character
    public var style: Style
    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell(text: " ", style: [])
}

/// An off-screen grid of cells. Writing clips at the edges and never splits a wide character:
/// one that would straddle the right edge is replaced by a space.
public struct ScreenBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where to leave the cursor after a flush (row, column); nil hides it.
    public var cursor: (row: Int, col: Int)? {
        get { cursorRow.map { ($0, cursorCol) } }
        set { cursorRow = newValue?.row; cursorCol = newValue?.col ?? 0 }
    }
    private var cursorRow: Int?
    private var cursorCol = 0

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(row: Int, col: Int) -> Cell {
        cells[row * width + col]
    }

    public mutating func clear() {
        for i in cells.indices { cells[i] = .blank }
    }

    /// Writes `text` at (row, col); returns the column after the last written cell.
    @discardableResult
    public mutating func put(_ text: String, row: Int, col: Int, style: Style = [], maxCol: Int? = nil) -> Int {
        guard row >= 0, row < height else { return col }
        let limit = min(maxCol ?? width, width)
        var x = col
        for c in text {
            let w = DisplayWidth.of(c)
            if w == 0 {
                if let a = c.asciiValue, a < 0x20 || a == 0x7F { continue }
                // Combining mark: attach to the previous cell.
                let px = x - 1
                if px >= 0, px < limit {
                    var base = px
                    if cells[row * width + base].isContinuation, base > 0 { base -= 1 }
                    cells[row * width + base].text.append(c)
                }
                continue
            }
            if x + w > limit {
                if w == 2, x < limit, x >= 0 { set(row, x, Cell(text: " ", style: style)) }
                break
            }
            if x >= 0 {
                set(row, x, Cell(text: String(c), style: style))
                if w == 2 { set(row, x + 1, Cell(text: "", style: style)) }
            }
            x += w
        }
        return x
    }

    /// Fills a row segment with spaces of a style (e.g. a reverse-video bar).
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: Style) {
        guard row >= 0, row < height else { return }
        for x in max(from, 0)..<min(to ?? width, width) { set(row, x, Cell(text: " ", style: style)) }
    }

    private mutating func set(_ row: Int, _ col: Int, _ cell: Cell) {
        let i = row * width + col
        // Overwriting half of a wide character blanks the other half.
        let old = cells[i]
        if old.isContinuation, col > 0, !cell.isContinuation {
            cells[i - 1] = Cell(text: " ", style: cells[i - 1].style)
        } else if !old.isContinuation, DisplayWidth.of(old.text) == 2, col + 1 < width {
            // The old wide character's right half is orphaned (a new continuation at col
            // belongs to the character at col-1; the one at col+1 must go).
            if cells[i + 1].isContinuation { cells[i + 1] = Cell(text: " ", style: cells[i + 1].style) }
        }
        cells[i] = cell
    }

    /// The visible text of a row (continuation cells omitted), trailing spaces kept.
    public func rowText(_ row: Int) -> String {
        var s = ""
        for x in 0..<width where !self[row, x].isContinuation { s += self[row, x].text }
        return s
    }

    public static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursorRow == b.cursorRow
            && a.cursorCol == b.cursorCol
    }

    public func hash(into h: inout Hasher) {
        h.combine(width)
        h.combine(height)
        h.combine(cells)
    }
}

/// Turns successive frames into the minimal-ish escape output: only changed runs of cells are
/// rewritten. The first frame (or one after a size change) clears and paints everything.
public struct DiffRenderer: Sendable {
    private var previous: ScreenBuffer?

    public init() {}

    /// Forget the previous frame so the next flush repaints fully (after resize or redraw).
    public mutating func invalidate() { previous = nil }

    public mutating func render(_ frame: ScreenBuffer) -> String {
        var out = "\u{1B}[?25l"  // hide cursor while drawing
        var currentStyle: Style? = nil
        let full = previous == nil || previous!.width != frame.width || previous!.height != frame.height
        if full {
            out += "\u{1B}[0m\u{1B}[2J"
            currentStyle = []
        }
        for row in 0..<frame.height {
            var x = 0
            while x < frame.width {
                if !full, let prev = previous, prev[row, x] == frame[row, x] {
                    // A changed continuation still needs its lead cell rewritten.
                    if !(x + 1 < frame.width && frame[row, x + 1].isContinuation && prev[row, x + 1] != frame[row, x + 1]) {
                        x += 1
                        continue
                    }
                }
                // Start of a changed run. Never start on a continuation cell.
                var start = x
                if frame[row, start].isContinuation, start > 0 { start -= 1 }
                out += "\u{1B}[\(row + 1);\(start + 1)H"
                var end = start
                while end < frame.width {
                    if !full, let prev = previous, prev[row, end] == frame[row, end],
                        !frame[row, end].isContinuation,
                        !(end + 1 < frame.width && frame[row, end + 1].isContinuation
                            && prev[row, end + 1] != frame[row, end + 1])
                    {
                        // Allow short equal gaps inside a run to avoid cursor moves.
                        var gap = end
                        while gap < frame.width, gap - end < 4, prev[row, gap] == frame[row, gap] { gap += 1 }
                        if gap - end >= 4 || gap == frame.width { break }
                    }
                    let cell = frame[row, end]
                    if !cell.isContinuation {
                        if currentStyle != cell.style {
                            out += cell.style.sgr
                            currentStyle = cell.style
                        }
                        out += cell.text
                    }
                    end += 1
                }
                x = end
            }
        }
        if currentStyle != [] { out += "\u{1B}[0m" }
        if let c = frame.cursor {
            out += "\u{1B}[\(c.row + 1);\(c.col + 1)H\u{1B}[?25h"
        }
        previous = frame
        return out
    }
}
