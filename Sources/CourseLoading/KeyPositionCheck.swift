import Courseware
import Foundation
import Localization
import XMLSupport

/// Warns when the correct options of a section's choice questions lean to one position
/// (`key-position-skew`): shuffled options put the key anywhere, but questions with
/// `shuffle="false"` or a fixed correct option keep it where it was written, and enough of them
/// teach officers that "the answer is usually C". The share is what `exam stats` measures by
/// simulation, computed here exactly from the pool: each candidate question equally likely.
public enum KeyPositionCheck {
    /// A position is flagged when it takes more than this share above the uniform one.
    static let excess = 0.15
    /// Sections with fewer candidate questions than this are not judged.
    static let minimumCandidates = 8

    public static func check(_ content: ContentSet) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for bp in content.blueprints {
            let pool = content.pool(for: bp)
            for section in bp.sections {
                for type in [QuestionType.singleChoice, .multipleChoice] {
                    let draws = section.draws.filter { $0.type == type || $0.type == nil }
                    guard !draws.isEmpty else { continue }
                    let candidates = pool.filter { q in q.type == type && draws.contains { $0.matches(q) } }
                    guard candidates.count >= minimumCandidates else { continue }
                    var share = [Double](repeating: 0, count: 8)
                    var uniform = 0.0
                    var fixedOrder: [String] = []
                    for q in candidates {
                        guard case .singleChoice(let c) = q.body, type == .singleChoice else {
                            if case .multipleChoice(let c) = q.body { add(c, q, &share, &uniform, &fixedOrder) }
                            continue
                        }
                        add(c, q, &share, &uniform, &fixedOrder)
                    }
                    let n = Double(candidates.count)
                    share = share.map { $0 / n }
                    uniform /= n
                    guard let top = share.indices.max(by: { share[$0] < share[$1] }), share[top] > uniform + excess else { continue }
                    let letter = ["A", "B", "C", "D", "E", "F", "G", "H"][top]
                    let pct = String(format: "%.0f%%", share[top] * 100), even = String(format: "%.0f%%", uniform * 100)
                    let label = type == .singleChoice ? ("单选", "single-choice") : ("多选", "multiple-choice")
                    let list = fixedOrder.prefix(8).joined(separator: ", ") + (fixedOrder.count > 8 ? ", …" : "")
                    out.append(
                        Diagnostic(
                            .warning, draws[0].location,
                            BilingualText(
                                zh: "部分“\(section.title)”的\(label.0)题正确答案偏向 \(letter)：约 \(pct) 的题目答案在 \(letter)（均匀应约 \(even)）；固定顺序或固定正确选项的题目：\(list)",
                                en:
                                    "section \"\(section.title)\": \(label.1) keys lean to \(letter): about \(pct) of questions have it there (even would be about \(even)); fixed-order or fixed-key questions: \(list)"
                            ),
                            code: "key-position-skew"))
                }
            }
        }
        return out
    }

    /// Adds one question's key positions (each correct option's chance to be shown at each letter).
    static func add(_ c: ChoiceQuestion, _ q: Question, _ share: inout [Double], _ uniform: inout Double, _ fixedOrder: inout [String]) {
        let n = c.options.count
        guard n > 0 else { return }
        let correct = c.correctIndices
        guard !correct.isEmpty else { return }
        let movable = c.options.indices.filter { !c.options[$0].fixed }
        uniform += 1 / Double(n)
        var pinned = false
        for k in correct {
            let w = 1 / Double(correct.count)
            if !c.shuffle || c.options[k].fixed {
                if k < 8 { share[k] += w }
                pinned = true
            } else {
                for slot in movable where slot < 8 { share[slot] += w / Double(movable.count) }
            }
        }
        if pinned { fixedOrder.append(q.id) }
    }
}
