import Courseware
import ExamAssembly
import Foundation

/// What the exam service needs from the content: the blueprints, every question, and each blueprint's
/// pool (question ids in pool order).
public struct ExamContent: Sendable {
    public var blueprints: [ExamBlueprint]
    public var questions: [Question]
    public var pools: [String: [String]]
    /// `BankHash.hex` of each blueprint's pool, filled when the content is cached.
    public var bankHashes: [String: String]
    /// Provision and section titles by id, so results name 「严禁吃、拿、卡、要」 rather than an id.
    public var provisionTitles: [String: String]

    public init(_ content: ContentSet, hashPools: Bool = false) {
        blueprints = content.blueprints
        questions = content.allQuestions
        provisionTitles = content.provisionTitles
        var pools: [String: [String]] = [:]
        var hashes: [String: String] = [:]
        for bp in content.blueprints {
            let pool = content.pool(for: bp)
            pools[bp.id] = pool.map(\.id)
            if hashPools { hashes[bp.id] = BankHash.hex(of: pool) }
        }
        self.pools = pools
        bankHashes = hashes
    }

    public init(
        blueprints: [ExamBlueprint], questions: [Question], pools: [String: [String]], bankHashes: [String: String],
        provisionTitles: [String: String]
    ) {
        self.blueprints = blueprints
        self.questions = questions
        self.pools = pools
        self.bankHashes = bankHashes
        self.provisionTitles = provisionTitles
    }

    public func blueprint(_ id: String) -> ExamBlueprint? { blueprints.first { $0.id == id } }

    public func pool(for bp: ExamBlueprint, index: [String: Question]) -> [Question] {
        (pools[bp.id] ?? []).compactMap { index[$0] }
    }
}

