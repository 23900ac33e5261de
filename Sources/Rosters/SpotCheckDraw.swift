import Foundation
import Localization
import SeededRandom
import XMLSupport

/// 双随机 draw: randomly chosen people for re-examination, each randomly paired with an inspector.
///
/// Algorithm (documented in docs/admin-guide.md, stable across versions):
/// 1. The population badges are de-duplicated and sorted by UTF-8 bytes.
/// 2. k = ⌈n × percent ÷ 100⌉, at least 1 when percent > 0 and n > 0, at most n.
/// 3. A SplitMix64 generator seeded with the seed drives a partial Fisher–Yates shuffle:
///    for i in 0..<k, j = i + uniform(n − i), swap(i, j); the first k badges are selected,
///    in draw order.
/// 4. The inspectors (de-duplicated, sorted by UTF-8 bytes) are shuffled completely by the same
///    generator, continuing; selected person i is assigned inspector i mod m.
public struct SpotCheckDraw: Sendable, Hashable {
    public var seed: UInt64
    public var percent: Double
    public var populationSize: Int
    /// Badges in draw order.
    public var selected: [String]
    /// Inspectors in shuffled order; `selected[i]` goes to `inspectors[i % inspectors.count]`.
    public var inspectors: [String]

    public func inspector(forSelectionAt i: Int) -> String? {
        inspectors.isEmpty ? nil : inspectors[i % inspectors.count]
    }

    public static func sampleSize(population n: Int, percent: Double) -> Int {
        guard n > 0, percent > 0 else { return 0 }
        let k = Int((Double(n) * percent / 100).rounded(.up))
        return min(n, max(1, k))
    }

    public static func draw(population: [String], percent: Double, seed: UInt64, inspectors: [String] = []) throws
        -> SpotCheckDraw
    {
        guard percent.isFinite, percent > 0, percent <= 100 else { throw RosterError.badPercent(percent) }
        var badges = Array(Set(population)).sorted(by: RosterRollup.codePointOrder)
        var rng = SplitMix64(seed: seed)
        let k = sampleSize(population: badges.count, percent: percent)
        for i in 0..<k {
            let j = i + rng.uniformByModulo(below: badges.count - i)
            badges.swapAt(i, j)
        }
        var pool = Array(Set(inspectors.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
            .sorted(by: RosterRollup.codePointOrder)
        if pool.count > 1 {
            for i in 0..<(pool.count - 1) {
                let j = i + rng.uniformByModulo(below: pool.count - i)
                pool.swapAt(i, j)
            }
        }
        return SpotCheckDraw(
            seed: seed, percent: percent, populationSize: badges.count,
            selected: Array(badges.prefix(k)), inspectors: pool)
    }

    /// Reads an inspector list: one name per line (UTF-8, optional BOM); blank lines and lines
    /// starting with # are ignored.
    public static func readInspectors(from url: URL) throws -> [String] {
        // A regular file of at most 1 MiB: a FIFO or device would otherwise block or never end.
        let data: Data
        switch RegularFile.read(url.path, limit: 1 << 20) {
        case .success(let bytes): data = Data(bytes)
        case .failure(let r): throw RosterError.unreadable(path: url.path, reason: BilingualText(zh: r.zh, en: r.en))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw RosterError.unreadable(path: url.path, reason: BilingualText("not UTF-8 text"))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        if names.isEmpty { throw RosterError.noInspectors(path: url.path) }
        return names
    }
}
