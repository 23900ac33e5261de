/// Consecutive papers for one officer: each attempt avoids every question of the earlier ones, as
/// `academy exam take` does with the officer's seen questions (3 attempts, then a 双随机
/// re-examination, is 4 papers). `academy exam stats --attempts N` reports this.
public struct AttemptSequences: Sendable, Hashable {
    /// Officers simulated.
    public var officers: Int
    /// Papers per officer.
    public var attempts: Int
    /// Officers whose papers shared at least one question.
    public var officersWithRepeats: Int
    /// The most questions any officer met twice or more across their papers.
    public var worstRepeats: Int

    /// Officer `k` (0-based) draws attempt `a` with seed `firstSeed + k * attempts + a`, excluding
    /// every question of their earlier attempts. Overlap is counted on top-level questions (a case
    /// study counts once, as it is drawn whole).
    public static func simulate(_ assembler: Assembler, officers: Int, attempts: Int, firstSeed: UInt64 = 1)
        throws(AssemblyError) -> AttemptSequences
    {
        var withRepeats = 0, worst = 0
        for k in 0..<officers {
            var seen = Set<String>()
            var repeats = 0
            for a in 0..<attempts {
                let seed = firstSeed &+ UInt64(k) &* UInt64(attempts) &+ UInt64(a)
                let paper = try assembler.paper(seed: seed, excluding: seen)
                for id in paper.questionIDs where !seen.insert(id).inserted { repeats += 1 }
            }
            if repeats > 0 { withRepeats += 1 }
            worst = max(worst, repeats)
        }
        return AttemptSequences(
            officers: officers, attempts: attempts, officersWithRepeats: withRepeats, worstRepeats: worst)
    }
}
