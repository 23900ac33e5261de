import ExamAssembly
import Localization
import TerminalUI

/// The number of items an officer sees on a paper: `[Q n/N]` counts every case-analysis part
/// separately (a case of 3 parts shows `[案例 Case 1/3]` … `[案例 Case 3/3]` and is 3 of N).
public enum PaperSize {
    public static func line(_ paper: Paper, language: Language) -> String {
        let items = paper.slots.count
        let cases = paper.sections.flatMap(\.items).filter { $0.parts != nil }
        let parts = cases.reduce(0) { $0 + ($1.parts?.count ?? 0) }
        return language.pick(
            zh: "考生看到的题数：\(items)（\(cases.count) 道案例分析题的 \(parts) 个小题各算一题）",
            en: "items the officer sees: \(items) (the \(parts) parts of \(cases.count) case analyses count one each)")
    }

    /// Over several papers of a blueprint: the range of officer-visible item counts.
    public static func line(_ assembler: Assembler, seeds: Range<UInt64>, language: Language) -> String {
        var lo = Int.max, hi = 0
        for seed in seeds {
            guard let paper = try? assembler.paper(seed: seed) else { continue }
            lo = min(lo, paper.slots.count)
            hi = max(hi, paper.slots.count)
        }
        guard hi > 0 else { return "" }
        let range = lo == hi ? "\(lo)" : "\(lo)–\(hi)"
        return language.pick(
            zh: "\n## 试卷题数\n考生看到的题数（案例分析题的每个小题各算一题）：\(range)（\(seeds.count) 份试卷）",
            en: "\n## Paper size\nitems the officer sees (each case-analysis part counts one): \(range) (\(seeds.count) papers)")
    }
}
