import Courseware

extension Assembler {
    /// The assembler of `blueprint` over its pool in `content` (`ContentSet.pool(for:)`).
    public convenience init(blueprint: ExamBlueprint, in content: ContentSet) throws(AssemblyError) {
        try self.init(blueprint: blueprint, pool: content.pool(for: blueprint))
    }
}
