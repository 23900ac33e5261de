import Foundation
import Localization
import TerminalUI

/// Plain-text formatting shared by every text view: times, scores, aligned tables, JSON.
public enum TextFormat {
    /// Local time `YYYY-MM-DD HH:MM`.
    public static func dateTime(_ d: Date?, zone: TimeZone = .current) -> String {
        guard let d else { return "-" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    public static func iso(_ d: Date?) -> Any {
        guard let d else { return NSNull() }
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }

    public static func score(_ s: Double?) -> String {
        guard let s else { return "-" }
        return s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
    }

    /// Columns padded by display width (CJK and full-width forms count two columns).
    public static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - width(c))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Display columns, by the same Unicode width table the screens use (CJK and full-width
    /// forms two, combining marks and controls none).
    public static func width(_ s: String) -> Int { s.displayWidth }

    public static func json(_ object: Any) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
