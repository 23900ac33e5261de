import Localization
/// A small VT100/xterm screen emulator: enough of the protocol this module emits (cursor
/// addressing, erase, SGR, alternate screen, cursor visibility, autowrap) to assert on the
/// visible grid in tests and to snapshot what a real terminal would show.
public struct VirtualScreen: Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    private var main: [[String]]
    private var alt: [[String]]
    public private(set) var onAlternateScreen = false
    public private(set) var cursorVisible = true
    public private(set) var bracketedPaste = false
    public private(set) var row = 0
    public private(set) var col = 0
    private var pendingWrap = false
    private var parser: [UInt8] = []
    private var utf8: [UInt8] = []
    private enum Mode { case ground, esc, csi, osc }
    private var mode = Mode.ground

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        main = Array(repeating: Array(repeating: " ", count: width), count: height)
        alt = main
    }

    /// Changes the size like a terminal window: content is kept where it fits.
    public mutating func resize(width: Int, height: Int) {
        func fit(_ g: [[String]]) -> [[String]] {
            (0..<height).map { r in
                (0..<width).map { c in r < g.count && c < g[r].count ? g[r][c] : " " }
            }
        }
        main = fit(main)
        alt = fit(alt)
        self.width = width
        self.height = height
        row = min(row, height - 1)
        col = min(col, width - 1)
    }

    private var grid: [[String]] {
        get { onAlternateScreen ? alt : main }
        set { if onAlternateScreen { alt = newValue } else { main = newValue } }
    }

    /// The visible text of a row; the right half of a wide character is omitted.
    public func rowText(_ r: Int) -> String { grid[r].joined() }
    /// All rows joined by newlines.
    public var text: String { (0..<height).map { rowText($0) }.joined(separator: "\n") }
    /// True when some row contains `s`.
    public func contains(_ s: String) -> Bool { (0..<height).contains { rowText($0).contains(s) } }

    public mutating func feed(_ bytes: [UInt8]) {
        for b in bytes { step(b) }
    }

    private mutating func step(_ b: UInt8) {
        switch mode {
        case .esc:
            if b == UInt8(ascii: "[") {
                mode = .csi; parser = []
            } else if b == UInt8(ascii: "]") {
                mode = .osc
            } else {
                mode = .ground
            }
            return
        case .csi:
            if (0x40...0x7E).contains(b) { mode = .ground; csi(final: b) } else { parser.append(b) }
            return
        case .osc:
            if b == 0x07 || b == 0x1B { mode = b == 0x1B ? .esc : .ground }
            return
        case .ground:
            break
        }
        if !utf8.isEmpty || b >= 0x80 {
            utf8.append(b)
            let need = utf8[0] >= 0xF0 ? 4 : utf8[0] >= 0xE0 ? 3 : 2
            if utf8.count == need {
                let s = String(decoding: utf8, as: UTF8.self)
                utf8 = []
                for c in s { put(c) }
            }
            return
        }
        switch b {
        case 0x1B: mode = .esc
        case 0x0D: col = 0; pendingWrap = false
        case 0x0A: lineFeed()
        case 0x08: col = max(col - 1, 0); pendingWrap = false
        case 0x20...0x7E: put(Character(Unicode.Scalar(b)))
        default: break
        }
    }

    private mutating func lineFeed() {
        pendingWrap = false
        if row == height - 1 {
            var g = grid
            g.removeFirst()
            g.append(Array(repeating: " ", count: width))
            grid = g
        } else {
            row += 1
        }
    }

    private mutating func put(_ c: Character) {
        let w = DisplayWidth.of(c)
        if w == 0 {
            if col > 0 || pendingWrap {
                let x = pendingWrap ? col : col - 1
                var g = grid
                var base = x
                if g[row][base].isEmpty, base > 0 { base -= 1 }
                g[row][base].append(c)
                grid = g
            }
            return
        }
        if pendingWrap || col + w > width {
            col = 0
            lineFeed()
        }
        var g = grid
        // Overwriting half of a wide char blanks the other half.
        if g[row][col].isEmpty, col > 0 { g[row][col - 1] = " " }
        if col + 1 < width, g[row][col + 1].isEmpty { g[row][col + 1] = " " }
        g[row][col] = String(c)
        if w == 2 {
            if col + 2 < width, g[row][col + 2].isEmpty { g[row][col + 2] = " " }
            g[row][col + 1] = ""
        }
        grid = g
        if col + w >= width { col = width - 1; pendingWrap = true } else { col += w }
    }

    private mutating func csi(final: UInt8) {
        let s = String(decoding: parser, as: UTF8.self)
        let priv = s.hasPrefix("?")
        let nums = (priv ? String(s.dropFirst()) : s).split(separator: ";", omittingEmptySubsequences: false)
            .map { Int($0) ?? 0 }
        let n1 = max(nums.first ?? 1, 1)
        pendingWrap = false
        switch final {
        case UInt8(ascii: "H"), UInt8(ascii: "f"):
            row = min(max((nums.count > 0 ? max(nums[0], 1) : 1) - 1, 0), height - 1)
            col = min(max((nums.count > 1 ? max(nums[1], 1) : 1) - 1, 0), width - 1)
        case UInt8(ascii: "A"): row = max(row - n1, 0)
        case UInt8(ascii: "B"): row = min(row + n1, height - 1)
        case UInt8(ascii: "C"): col = min(col + n1, width - 1)
        case UInt8(ascii: "D"): col = max(col - n1, 0)
        case UInt8(ascii: "J"):
            let mode = nums.first ?? 0
            var g = grid
            for r in 0..<height {
                for c in 0..<width {
                    let clear =
                        mode == 2 || mode == 3 || (mode == 0 && (r > row || r == row && c >= col))
                        || (mode == 1 && (r < row || r == row && c <= col))
                    if clear { g[r][c] = " " }
                }
            }
            grid = g
        case UInt8(ascii: "K"):
            let mode = nums.first ?? 0
            var g = grid
            for c in 0..<width where mode == 2 || (mode == 0 && c >= col) || (mode == 1 && c <= col) {
                g[row][c] = " "
            }
            grid = g
        case UInt8(ascii: "h"), UInt8(ascii: "l"):
            guard priv else { return }
            let on = final == UInt8(ascii: "h")
            for n in nums {
                switch n {
                case 25: cursorVisible = on
                case 1049, 47, 1047:
                    if on && !onAlternateScreen {
                        alt = Array(repeating: Array(repeating: " ", count: width), count: height)
                    }
                    onAlternateScreen = on
                case 2004: bracketedPaste = on
                default: break
                }
            }
        default:
            break  // SGR and others do not change the grid
        }
    }
}
