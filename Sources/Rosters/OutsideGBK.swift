import Localization
import Spreadsheets

/// The roster rows whose name or department holds characters outside GBK (such as 𠮷, 䶮): GB18030
/// writes every character, but GBK-only readers cannot show those. Found by a pass of its own
/// over the rows (`roster export --encoding gb18030` warns), keeping the first five.
public struct OutsideGBK: Sendable, Equatable {
    /// How many rows.
    public var count: Int
    /// The first five: line in the file (the header is line 1), badge and name.
    public var first: [Row]

    public struct Row: Sendable, Equatable {
        public var line: Int
        public var badge: String
        public var name: String
    }

    /// nil when every row is inside GBK (or the system has no GBK converter).
    public static func scan(_ rows: RosterRows) throws -> OutsideGBK? {
        guard let check = GBKCheck() else { return nil }
        var found = OutsideGBK(count: 0, first: [])
        var line = 1
        try rows.forEach { r in
            line += 1
            guard !check.contains(r.name) || !check.contains(r.department) else { return }
            found.count += 1
            if found.first.count < 5 { found.first.append(Row(line: line, badge: r.badge, name: r.name)) }
        }
        return found.count > 0 ? found : nil
    }

    /// The warning, with the first rows below it.
    public func warning(in language: Language) -> String {
        language.pick(
            zh: "警告：\(count) 行含 GBK 以外的字符（如 𠮷、䶮），只支持 GBK 的软件无法显示；已照常以 GB18030 写出。需要 GBK 请用 --encoding gbk（会在第一处报错），或用 utf8。前几行：",
            en: "warning: \(count) rows hold characters outside GBK (such as 𠮷, 䶮) that GBK-only software cannot show; written in GB18030 anyway. For GBK use --encoding gbk (stops at the first one), or utf8. First rows:")
            + "\n" + first.map { "  \(language.pick(zh: "第 \($0.line) 行", en: "row \($0.line)"))：\($0.badge) \($0.name)" }.joined(separator: "\n")
    }
}
