import Courseware
import Localization

extension Assembler {
    /// The assembler of `blueprint` over its pool in `content` (`ContentSet.pool(for:)`).
    public convenience init(blueprint: ExamBlueprint, in content: ContentSet) throws(AssemblyError) {
        try self.init(blueprint: blueprint, pool: content.pool(for: blueprint))
    }

    /// The assembler of the blueprint named `blueprintID` in `content`: `UnknownBlueprint` (a usage
    /// error, naming the blueprints there are) when there is none, else as `init(blueprint:in:)`.
    public convenience init(blueprintID: String, in content: ContentSet) throws {
        guard let blueprint = content.blueprint(blueprintID) else {
            throw UnknownBlueprint(id: blueprintID, known: content.blueprints.map(\.id))
        }
        try self.init(blueprint: blueprint, in: content)
    }
}

/// A blueprint id that the content set does not have.
public struct UnknownBlueprint: BilingualUsageError, Equatable {
    public var id: String
    /// The ids the content does have, in content order.
    public var known: [String]

    public var message: BilingualText {
        let list = known.joined(separator: ", ")
        return BilingualText(
            zh: "没有编号为 \(id) 的试卷蓝图（已有：\(known.isEmpty ? "无" : list)）",
            en: "no blueprint with id \(id) (known: \(known.isEmpty ? "none" : list))")
    }
}
