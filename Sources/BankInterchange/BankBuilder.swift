import Courseware
import Foundation

/// Turns imported questions into a bank: ids, topics and citations.
///
/// - Ids: the source's own id (a 编号 column, Moodle's question name) when it is a valid
///   identifier and unused; otherwise `q.<name>.001`, `q.<name>.002`, … in source order, so the
///   same source always gives the same ids.
/// - Topic: `--topic`, else the source's (知识点 that is not a provision, Moodle category), else
///   the bank title.
/// - Citations: each 知识点/条款 label that is a provision id, or a provision's title (compared
///   without spaces and punctuation), in `--provisions`. A question left without one cites the
///   reserved id `todo`, which lint reports as a warning naming what to fix; the source's labels
///   are kept in a comment next to it.
public struct BankBuilder {
    public var bankID: String
    public var title: String
    public var idStem: String
    public var topic: String?
    public var provisions: [ProvisionSet]

    public init(bankID: String, title: String, idStem: String, topic: String?, provisions: [ProvisionSet]) {
        self.bankID = bankID
        self.title = title
        self.idStem = idStem
        self.topic = topic
        self.provisions = provisions
    }

    public struct Output: Sendable {
        public var bank: QuestionBank
        /// Question id → the source labels that matched no provision (written as comments).
        public var unmatched: [String: [String]]
        public var issues: [ImportIssue]
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic, s.utf8.count <= 100 else {
            return false
        }
        return s.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-")
        }
    }

    static func key(_ s: String) -> String {
        String(s.unicodeScalars.filter { !$0.properties.isWhitespace && !CharacterSet.punctuationCharacters.contains($0) })
    }

    public func build(_ imported: [ImportedQuestion]) -> Output {
        var byID: [String: String] = [:]
        var byTitle: [String: String] = [:]
        for ps in provisions {
            for s in ps.sections {
                byID[s.id] = s.id
                byTitle[Self.key(s.title), default: s.id] = s.id
                for p in s.provisions {
                    byID[p.id] = p.id
                    byTitle[Self.key(p.title), default: p.id] = p.id
                }
            }
        }
        var issues: [ImportIssue] = []
        var taken = Set<String>()
        var keep: [Bool] = []
        for q in imported {
            if let id = q.sourceID, Self.isIdentifier(id), !taken.contains(id) {
                taken.insert(id)
                keep.append(true)
            } else {
                keep.append(false)
            }
        }
        var questions: [Question] = []
        var unmatched: [String: [String]] = [:]
        var serial = 0
        for (i, q) in imported.enumerated() {
            var id: String
            if keep[i] {
                id = q.sourceID!
            } else {
                repeat {
                    serial += 1
                    id = String(format: "q.%@.%03d", idStem, serial)
                } while taken.contains(id)
                taken.insert(id)
            }
            var cites: [Citation] = []
            var missed: [String] = []
            for label in q.provisionLabels {
                if let p = byID[label] ?? byTitle[Self.key(label)] {
                    if !cites.contains(where: { $0.provisionID == p }) {
                        cites.append(Citation(provisionID: p, location: importLocation))
                    }
                } else {
                    missed.append(label)
                }
            }
            if cites.isEmpty {
                cites = [Citation(provisionID: "todo", location: importLocation)]
                unmatched[id] = missed
                issues.append(
                    ImportIssue(
                        .warning, file: q.file, line: q.line, field: "知识点/条款",
                        zh: missed.isEmpty
                            ? "没有给出条款，题目 \(id) 暂时引用 todo；请改为 provisions 文件中的条款 id"
                            : "“\(missed.joined(separator: "、"))”不是 --provisions 中的条款 id 或标题，题目 \(id) 暂时引用 todo；请改为正确的条款 id",
                        en: missed.isEmpty
                            ? "no provision given; question \(id) cites todo for now: replace it with a provision id"
                            : "\"\(missed.joined(separator: ", "))\" is no provision id or title in --provisions; question \(id) cites todo for now: replace it with the right provision id"
                    ))
            } else if !missed.isEmpty, missed != [q.topic ?? ""] {
                unmatched[id] = missed.filter { $0 != q.topic }
            }
            // A 知识点 that names a provision is a citation, not a topic.
            let topic = QuestionDraft.clean(
                self.topic ?? q.topic.flatMap { byID[$0] == nil && byTitle[Self.key($0)] == nil ? $0 : nil } ?? title)
            questions.append(
                Question(
                    id: id, topic: topic, difficulty: q.difficulty ?? 2, citations: cites, explanation: q.explanation,
                    body: q.body, location: SourceLocation(file: q.file, line: q.line, column: 1)))
        }
        return Output(
            bank: QuestionBank(id: bankID, title: title, questions: questions, location: importLocation),
            unmatched: unmatched, issues: issues)
    }
}
