/// Orders sibling departments the way people number them: 一中队, 二中队, …, 十中队, 十一中队 and
/// 2中队 before 10中队. Runs of Arabic digits or of Chinese numerals (零〇一二两三四五六七八九十百千)
/// compare by value; everything else compares by code point, so the order stays
/// locale-independent and documented.
///
/// Whole paths compare component by component (a parent before its children), so that every
/// listing — `staff list`, roster rows in every format, the report's lists and the summary —
/// shows departments in one order.
public enum DepartmentOrder {
    /// Path order: "市局/二大队" before "市局/十大队", "市局/二大队" before "市局/二大队/一中队".
    public static func pathPrecedes(_ a: String, _ b: String) -> Bool {
        PathKey(a) < PathKey(b)
    }

    /// A path's sort key, computed once: the key of each level, then the raw bytes as tie-break.
    public struct PathKey: Comparable {
        @usableFromInline let levels: [[Part]]
        @usableFromInline let raw: String

        public init(_ path: String) {
            levels = path.split(separator: "/", omittingEmptySubsequences: true).map { DepartmentOrder.key(String($0)) }
            raw = path
        }

        public static func < (a: PathKey, b: PathKey) -> Bool {
            for (x, y) in zip(a.levels, b.levels) where x != y { return DepartmentOrder.precedes(keys: x, y) }
            if a.levels.count != b.levels.count { return a.levels.count < b.levels.count }
            return a.raw.utf8.lexicographicallyPrecedes(b.raw.utf8)
        }

        public static func == (a: PathKey, b: PathKey) -> Bool { a.raw == b.raw }
    }

    /// `items` in department path order, then by badge (code points) within a department.
    @inlinable
    public static func sorted<T>(
        _ items: [T], department: (T) -> String, badge: (T) -> String
    ) -> [T] {
        func byBadge(_ a: T, _ b: T) -> Bool { badge(a).utf8.lexicographicallyPrecedes(badge(b).utf8) }
        let grouped = items.sorted { x, y in
            let dx = department(x), dy = department(y)
            return dx != dy ? dx.utf8.lexicographicallyPrecedes(dy.utf8) : byBadge(x, y)
        }
        return regrouped(grouped, department: department)
    }

    /// Rows that come in `ORDER BY department, badge` (binary collation) put in path order: the
    /// runs of one department are moved as blocks, nothing else is compared. Linear, and no copy
    /// when the code-point order is already the natural one.
    @inlinable
    public static func regrouped<T>(_ items: [T], department: (T) -> String) -> [T] {
        var runs: [(path: String, range: Range<Int>)] = []
        var start = 0
        var current = items.first.map(department) ?? ""
        for i in items.indices.dropFirst() {
            let d = department(items[i])
            if d != current {
                runs.append((current, start..<i))
                start = i
                current = d
            }
        }
        if !items.isEmpty { runs.append((current, start..<items.count)) }
        let keys = runs.map { PathKey($0.path) }
        let ordered = runs.indices.sorted { keys[$0] < keys[$1] }.map { runs[$0] }
        if ordered.map(\.range.lowerBound) == runs.map(\.range.lowerBound) { return items }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for run in ordered { out.append(contentsOf: items[run.range]) }
        return out
    }

    public static func precedes(_ a: String, _ b: String) -> Bool {
        let ka = key(a), kb = key(b)
        if ka == kb { return a.utf8.lexicographicallyPrecedes(b.utf8) }
        return precedes(keys: ka, kb)
    }

    static func precedes(keys ka: [Part], _ kb: [Part]) -> Bool {
        for (x, y) in zip(ka, kb) where x != y {
            switch (x, y) {
            case (.number(let m), .number(let n)): return m < n
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        return ka.count < kb.count
    }

    public enum Part: Equatable, Sendable {
        case number(Int)
        case text(UInt32)
    }

    public static func key(_ s: String) -> [Part] {
        var parts: [Part] = []
        var digits = ""
        var numerals = ""
        func flush() {
            if !digits.isEmpty { parts.append(.number(Int(digits.prefix(18)) ?? Int.max)); digits = "" }
            if !numerals.isEmpty { parts.append(.number(chineseValue(numerals))); numerals = "" }
        }
        for scalar in s.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                if !numerals.isEmpty { flush() }
                digits.unicodeScalars.append(scalar)
            } else if chineseDigit[scalar] != nil || chineseUnit[scalar] != nil {
                if !digits.isEmpty { flush() }
                numerals.unicodeScalars.append(scalar)
            } else {
                flush()
                parts.append(.text(scalar.value))
            }
        }
        flush()
        return parts
    }

    private static let chineseDigit: [Unicode.Scalar: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    private static let chineseUnit: [Unicode.Scalar: Int] = ["十": 10, "百": 100, "千": 1000]

    /// 十一 → 11, 二十 → 20, 一百零五 → 105, 二〇二六 → 2026 (digit by digit when there is no unit).
    static func chineseValue(_ s: String) -> Int {
        let scalars = Array(s.unicodeScalars)
        if !scalars.contains(where: { chineseUnit[$0] != nil }) {
            return scalars.reduce(0) { $0 &* 10 &+ (chineseDigit[$1] ?? 0) }
        }
        var total = 0
        var pending = 0
        for c in scalars {
            if let d = chineseDigit[c] {
                pending = d
            } else if let u = chineseUnit[c] {
                total += (pending == 0 ? 1 : pending) * u
                pending = 0
            }
        }
        return total + pending
    }
}
