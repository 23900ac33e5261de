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
        let pa = a.split(separator: "/", omittingEmptySubsequences: true)
        let pb = b.split(separator: "/", omittingEmptySubsequences: true)
        for (x, y) in zip(pa, pb) where x != y { return precedes(String(x), String(y)) }
        if pa.count != pb.count { return pa.count < pb.count }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `items` in department path order, then by badge (code points) within a department.
    /// Linear when the input comes grouped by department (as `ORDER BY department, badge` gives
    /// it): the runs are reordered, each run kept (sorted by badge only if it is not already).
    /// 100,000 rows in a few hundred departments cost a few hundred path comparisons.
    @inlinable
    public static func sorted<T>(
        _ items: [T], department: (T) -> String, badge: (T) -> String
    ) -> [T] {
        var runs: [(path: String, range: Range<Int>)] = []
        var start = 0
        for i in items.indices.dropFirst() where department(items[i]) != department(items[i - 1]) {
            runs.append((department(items[start]), start..<i))
            start = i
        }
        if !items.isEmpty { runs.append((department(items[start]), start..<items.count)) }
        func byBadge(_ a: T, _ b: T) -> Bool { badge(a).utf8.lexicographicallyPrecedes(badge(b).utf8) }
        guard Set(runs.map(\.path)).count == runs.count else {
            // Not grouped: rank the distinct paths once, then one sort.
            var rank: [String: Int] = [:]
            for (i, p) in Set(runs.map(\.path)).sorted(by: pathPrecedes).enumerated() { rank[p] = i }
            return items.sorted { x, y in
                let rx = rank[department(x)]!, ry = rank[department(y)]!
                return rx != ry ? rx < ry : byBadge(x, y)
            }
        }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for run in runs.sorted(by: { pathPrecedes($0.path, $1.path) }) {
            let slice = items[run.range]
            let inOrder = zip(slice, slice.dropFirst()).allSatisfy { !byBadge($1, $0) }
            out.append(contentsOf: inOrder ? Array(slice) : slice.sorted(by: byBadge))
        }
        return out
    }

    public static func precedes(_ a: String, _ b: String) -> Bool {
        let ka = key(a), kb = key(b)
        for (x, y) in zip(ka, kb) where x != y {
            switch (x, y) {
            case (.number(let m), .number(let n)): return m < n
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        if ka.count != kb.count { return ka.count < kb.count }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    enum Part: Equatable {
        case number(Int)
        case text(UInt32)
    }

    static func key(_ s: String) -> [Part] {
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
