/// Everything loaded from `Courses/` and `QuestionBank/`: the unit that lint checks and that the
/// exam draws from.
public struct ContentSet: Hashable, Sendable, Codable {
    public var provisionSets: [ProvisionSet]
    public var courses: [Course]
    public var caseStudies: [CaseStudy]
    public var banks: [QuestionBank]
    public var blueprints: [ExamBlueprint]

    public init(
        provisionSets: [ProvisionSet] = [], courses: [Course] = [], caseStudies: [CaseStudy] = [],
        banks: [QuestionBank] = [], blueprints: [ExamBlueprint] = []
    ) {
        self.provisionSets = provisionSets
        self.courses = courses
        self.caseStudies = caseStudies
        self.banks = banks
        self.blueprints = blueprints
    }

    public func course(_ id: String) -> Course? { courses.first { $0.id == id } }
    public func caseStudy(_ id: String) -> CaseStudy? { caseStudies.first { $0.id == id } }
    public func bank(_ id: String) -> QuestionBank? { banks.first { $0.id == id } }
    public func blueprint(_ id: String) -> ExamBlueprint? { blueprints.first { $0.id == id } }
    public func provisionSet(_ id: String) -> ProvisionSet? { provisionSets.first { $0.id == id } }

    /// Provision and section titles by id, so that results name 「严禁吃、拿、卡、要」 rather than an id.
    public var provisionTitles: [String: String] {
        var titles: [String: String] = [:]
        for set in provisionSets {
            for section in set.sections {
                titles[section.id] = section.title
                for p in section.provisions { titles[p.id] = p.title }
            }
        }
        return titles
    }

    /// Every top-level question in the content set: bank questions, then case-owned ones.
    public var allQuestions: [Question] {
        banks.flatMap(\.questions) + caseStudies.flatMap(\.questions)
    }

    /// The questions a blueprint draws from, in a stable order: its banks in the order listed,
    /// then the case-analysis questions of the case studies its course includes, in course order.
    public func pool(for blueprint: ExamBlueprint) -> [Question] {
        var pool: [Question] = []
        for bankID in blueprint.bankIDs {
            if let bank = bank(bankID) { pool += bank.questions }
        }
        if let course = course(blueprint.courseID) {
            for ref in course.caseStudyRefs {
                if let cs = caseStudy(ref.caseStudyID) { pool += cs.questions }
            }
        }
        return pool
    }
}
