/// A course: modules made of lessons and case studies, studied in order.
public struct Course: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var summary: String
    /// The id of the `ProvisionSet` this course teaches.
    public var provisionSetID: String
    /// Further provision sets the course may cite — related law (e.g. articles of the
    /// 行政处罚法 that the notice relies on), kept apart from the document the course teaches.
    public var relatedProvisionSetIDs: [String]
    public var modules: [CourseModule]
    public var location: SourceLocation

    public init(
        id: String, title: String, summary: String, provisionSetID: String,
        relatedProvisionSetIDs: [String] = [], modules: [CourseModule], location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.provisionSetID = provisionSetID
        self.relatedProvisionSetIDs = relatedProvisionSetIDs
        self.modules = modules
        self.location = location
    }

    /// Every provision set the course declares: the one it teaches, then its related law.
    public var declaredProvisionSetIDs: [String] { [provisionSetID] + relatedProvisionSetIDs }

    /// Every study item in course order.
    public var items: [StudyItem] { modules.flatMap(\.items) }
    public var lessons: [Lesson] {
        items.compactMap { if case .lesson(let l) = $0 { return l } else { return nil } }
    }
    public var caseStudyRefs: [CaseStudyRef] {
        items.compactMap { if case .caseStudy(let r) = $0 { return r } else { return nil } }
    }
    /// The ids an officer must finish before the exam counts toward completion.
    public var requiredItemIDs: [String] { items.filter(\.required).map(\.id) }
}

public struct CourseModule: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var items: [StudyItem]
    public var location: SourceLocation

    public init(id: String, title: String, items: [StudyItem], location: SourceLocation) {
        self.id = id
        self.title = title
        self.items = items
        self.location = location
    }
}

/// What an officer opens in `academy study`: a lesson written in the course, or a case study
/// included by reference.
public enum StudyItem: Hashable, Sendable, Codable {
    case lesson(Lesson)
    case caseStudy(CaseStudyRef)

    public var id: String {
        switch self {
        case .lesson(let l): l.id
        case .caseStudy(let r): r.caseStudyID
        }
    }

    public var required: Bool {
        switch self {
        case .lesson(let l): l.required
        case .caseStudy(let r): r.required
        }
    }
}

public struct CaseStudyRef: Hashable, Sendable, Codable {
    public var caseStudyID: String
    public var required: Bool
    public var location: SourceLocation

    public init(caseStudyID: String, required: Bool, location: SourceLocation) {
        self.caseStudyID = caseStudyID
        self.required = required
        self.location = location
    }
}

public struct Lesson: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var minutes: Int
    public var required: Bool
    public var citations: [Citation]
    public var sections: [TextSection]
    public var keyPoints: [String]
    public var location: SourceLocation

    public init(
        id: String, title: String, minutes: Int, required: Bool, citations: [Citation],
        sections: [TextSection], keyPoints: [String], location: SourceLocation
    ) {
        self.id = id
        self.title = title
        self.minutes = minutes
        self.required = required
        self.citations = citations
        self.sections = sections
        self.keyPoints = keyPoints
        self.location = location
    }
}

/// A titled run of paragraphs.
public struct TextSection: Hashable, Sendable, Codable {
    public var title: String?
    public var paragraphs: [String]

    public init(title: String?, paragraphs: [String]) {
        self.title = title
        self.paragraphs = paragraphs
    }
}
