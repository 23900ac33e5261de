import Localization
/// The message shown instead of a layout when the window is too small.
public enum SizeGuard {
    public static let minWidth = 40
    public static let minHeight = 10

    public static func fits(width: Int, height: Int) -> Bool { width >= minWidth && height >= minHeight }

    /// Draws a bilingual "window too small" message (both languages, always: the officer may
    /// not be able to read the one they did not pick).
    public static func drawTooSmall(into b: inout ScreenBuffer) {
        b.clear()
        let lines = [
            "窗口太小",
            "至少需要 \(minWidth)×\(minHeight)",
            "Window too small:",
            "need \(minWidth)x\(minHeight),",
            "now \(b.width)x\(b.height).",
            "答案已保存 Answers saved",
        ]
        let top = max(0, (b.height - lines.count) / 2)
        for (i, l) in lines.enumerated() where top + i < b.height {
            let t = TextLayout.truncate(l, width: b.width)
            b.put(t, row: top + i, col: max(0, (b.width - t.displayWidth) / 2), style: i == 0 ? .bold : [])
        }
    }
}
