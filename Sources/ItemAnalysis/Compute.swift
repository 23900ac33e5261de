import Courseware
import Foundation

/// Classical item analysis of one cycle's counting attempts. Pure: values in, values out.
public enum ItemAnalysis {
    public static let minimumReliableN = 30
    public static let groupShare = 0.27

    static let letters = ["A", "B", "C", "D", "E", "F", "G", "H"]

    public static func analyze(
        _ attempts: [AttemptObservation], keys: [String: ItemKey], provisionTitles: [String: String] = [:]
    ) -> ItemAnalysisReport {
        let n = attempts.count
        // Rank by total score, best first; ties by person for a stable split.
        let ranked = attempts.indices.sorted {
            let a = attempts[$0], b = attempts[$1]
            return a.total != b.total ? a.total > b.total : a.person < b.person
        }
        let g = n == 0 ? 0 : max(1, Int((Double(n) * groupShare).rounded()))
        var group = [Int](repeating: 0, count: n)  // 1 upper, -1 lower
        for i in ranked.prefix(g) { group[i] = 1 }
        for i in ranked.suffix(g) where group[i] == 0 { group[i] = -1 }

        struct Acc {
            var x: [Double] = []
            var rest: [Double] = []
            var upper: [Double] = []
            var lower: [Double] = []
            var unanswered = 0
            var counts: [[Int]] = []  // option → [all, upper, lower]
        }
        var acc: [String: Acc] = [:]
        var order: [String] = []
        for (i, a) in attempts.enumerated() {
            let total = a.total
            for item in a.items {
                if acc[item.questionID] == nil {
                    acc[item.questionID] = Acc()
                    order.append(item.questionID)
                }
                let x = item.points > 0 ? item.score / item.points : 0
                acc[item.questionID]!.x.append(x)
                acc[item.questionID]!.rest.append(total - item.score)
                if group[i] == 1 { acc[item.questionID]!.upper.append(x) }
                if group[i] == -1 { acc[item.questionID]!.lower.append(x) }
                if let key = keys[item.questionID], !key.options.isEmpty {
                    if acc[item.questionID]!.counts.isEmpty {
                        acc[item.questionID]!.counts = Array(repeating: [0, 0, 0], count: key.options.count)
                    }
                    let chosen = item.chosen ?? []
                    if chosen.isEmpty { acc[item.questionID]!.unanswered += 1 }
                    for o in Set(chosen) where o >= 0 && o < key.options.count {
                        acc[item.questionID]!.counts[o][0] += 1
                        if group[i] == 1 { acc[item.questionID]!.counts[o][1] += 1 }
                        if group[i] == -1 { acc[item.questionID]!.counts[o][2] += 1 }
                    }
                }
            }
        }
        var items: [ItemStatistics] = []
        for id in order {
            let a = acc[id]!
            let key = keys[id]
            let facility = mean(a.x)
            let r = pearson(a.x, a.rest)
            let d: Double? = a.upper.isEmpty || a.lower.isEmpty ? nil : mean(a.upper) - mean(a.lower)
            var options: [OptionCount] = []
            if let key {
                for (o, c) in a.counts.enumerated() {
                    options.append(
                        OptionCount(
                            option: o, letter: o < letters.count ? letters[o] : "\(o + 1)", text: key.options[o],
                            keyed: key.correct.contains(o), all: c[0], upper: c[1], lower: c[2]))
                }
            }
            var flags: [ItemFlag] = []
            if let r, r < 0 {
                flags.append(
                    ItemFlag(
                        kind: .negativeDiscrimination,
                        zh: String(format: "区分度为负（r = %.2f）：得分高的人反而更常答错，请核对答案", r),
                        en: String(format: "negative discrimination (r = %.2f): stronger officers get it wrong more often — check the key", r)))
            }
            if facility > 0.95 {
                flags.append(
                    ItemFlag(
                        kind: .tooEasy, zh: String(format: "通过率 %.2f 高于 0.95：几乎人人答对，区分不出掌握程度", facility),
                        en: String(format: "facility %.2f is above 0.95: nearly everyone gets it right", facility)))
            }
            if facility < 0.20 {
                flags.append(
                    ItemFlag(
                        kind: .tooHard, zh: String(format: "通过率 %.2f 低于 0.20：可能题意不清、答案有误或该条款没讲透", facility),
                        en: String(format: "facility %.2f is below 0.20: unclear wording, a wrong key, or a provision not taught well", facility)))
            }
            let upperN = a.upper.count, lowerN = a.lower.count
            for o in options where !o.keyed {
                if o.all == 0 {
                    flags.append(
                        ItemFlag(
                            kind: .unusedDistractor, zh: "干扰项 \(o.letter)“\(o.text)”无人选择：换一个更有迷惑性的选项",
                            en: "distractor \(o.letter) \"\(o.text)\" was chosen by nobody: replace it with a plausible one"))
                } else if upperN > 0, lowerN > 0, Double(o.upper) / Double(upperN) > Double(o.lower) / Double(lowerN) {
                    flags.append(
                        ItemFlag(
                            kind: .distractorFavoursUpper,
                            zh: "干扰项 \(o.letter)“\(o.text)”高分组选得比低分组多（\(o.upper)/\(upperN) 对 \(o.lower)/\(lowerN)）：它可能也说得通",
                            en:
                                "distractor \(o.letter) \"\(o.text)\" was chosen more by the upper group than the lower (\(o.upper)/\(upperN) vs \(o.lower)/\(lowerN)): it may be defensible"
                        ))
                }
            }
            items.append(
                ItemStatistics(
                    questionID: id, type: key?.type ?? .singleChoice, stem: key?.stem ?? "", provisionIDs: key?.provisionIDs ?? [],
                    n: a.x.count, unreliable: a.x.count < minimumReliableN, facility: facility, pointBiserial: r,
                    discriminationIndex: d, upperN: upperN, lowerN: lowerN, unanswered: a.unanswered, options: options,
                    flags: flags))
        }
        // By provision, worst first.
        var byProvision: [String: [ItemStatistics]] = [:]
        for item in items { for p in Set(item.provisionIDs) { byProvision[p, default: []].append(item) } }
        let provisions = byProvision.map { p, list in
            ProvisionFacility(
                provisionID: p, title: provisionTitles[p] ?? "", items: list.count, responses: list.reduce(0) { $0 + $1.n },
                meanFacility: mean(list.map(\.facility)))
        }.sorted { $0.meanFacility != $1.meanFacility ? $0.meanFacility < $1.meanFacility : $0.provisionID < $1.provisionID }
        // Score distribution, in tenths of the maximum.
        var bins = (0..<10).map { HistogramBin(from: $0 * 10, to: $0 * 10 + 10, count: 0) }
        var percents: [Double] = []
        for a in attempts where a.maxTotal > 0 {
            let pct = a.total / a.maxTotal * 100
            percents.append(pct)
            bins[min(9, max(0, Int((pct / 10).rounded(.down))))].count += 1
        }
        return ItemAnalysisReport(
            n: n, minimumReliableN: minimumReliableN, unreliable: n < minimumReliableN, meanPercent: mean(percents),
            reliability: reliability(attempts), histogram: bins, items: items, provisions: provisions)
    }

    /// KR-20 (every slot right or wrong) or Cronbach's α over paper positions, with population
    /// variances. Only attempts that have every slot are used.
    static func reliability(_ attempts: [AttemptObservation]) -> Reliability {
        let k = attempts.map { $0.items.count }.max() ?? 0
        let complete = attempts.filter { Set($0.items.map(\.slot)).count == k && $0.items.count == k }
        guard k >= 2, complete.count >= 2 else {
            return Reliability(method: "Cronbach's alpha", value: nil, items: k, n: complete.count)
        }
        let matrix = complete.map { $0.items.sorted { $0.slot < $1.slot } }
        let dichotomous = matrix.allSatisfy { $0.allSatisfy { $0.score == 0 || $0.score == $0.points } }
        // KR-20 on 0/1, α on points.
        let rows: [[Double]] = matrix.map { $0.map { dichotomous ? ($0.score == $0.points && $0.points > 0 ? 1 : 0) : $0.score } }
        let totals = rows.map { $0.reduce(0, +) }
        let totalVariance = variance(totals)
        guard totalVariance > 0 else {
            return Reliability(method: dichotomous ? "KR-20" : "Cronbach's alpha", value: nil, items: k, n: rows.count)
        }
        var itemVariance = 0.0
        for j in 0..<k { itemVariance += variance(rows.map { $0[j] }) }
        let kk = Double(k)
        return Reliability(
            method: dichotomous ? "KR-20" : "Cronbach's alpha", value: kk / (kk - 1) * (1 - itemVariance / totalVariance), items: k,
            n: rows.count)
    }

    static func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

    /// Population variance (divide by n).
    static func variance(_ xs: [Double]) -> Double {
        let m = mean(xs)
        return xs.isEmpty ? 0 : xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        let mx = mean(x), my = mean(y)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
