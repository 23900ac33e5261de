/// A machine-readable list of a document's provisions (for the shipped content, the 2018 notice).
/// Lessons and questions cite provisions by id, which is what makes coverage computable.
public struct ProvisionSet: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var sections: [ProvisionSection]
    public var location: SourceLocation

    public init(id: String, title: String, sections: [ProvisionSection], location: SourceLocation) {
        self.id = id
        self.title = title
        self.sections = sections
        self.location = location
    }

    /// Every provision in document order (sections first-level provisions only).
    public var allProvisions: [Provision] { sections.flatMap(\.provisions) }
}

/// One numbered section of the source document (一、二、…). A section id is itself citable.
public struct ProvisionSection: Hashable, Sendable, Codable {
    public var id: String
    public var number: String
    public var title: String
    public var provisions: [Provision]
    public var location: SourceLocation

    public init(id: String, number: String, title: String, provisions: [Provision], location: SourceLocation) {
        self.id = id
        self.number = number
        self.title = title
        self.provisions = provisions
        self.location = location
    }
}

public struct Provision: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    /// A summary in our own words, never a long quotation.
    public var summary: String
    public var location: SourceLocation

    public init(id: String, title: String, summary: String, location: SourceLocation) {
        self.id = id
        self.title = title
        self.summary = summary
        self.location = location
    }
}

/// A reference to a provision from a lesson, finding or question, with where it was written.
public struct Citation: Hashable, Sendable, Codable {
    public var provisionID: String
    public var location: SourceLocation

    public init(provisionID: String, location: SourceLocation) {
        self.provisionID = provisionID
        self.location = location
    }
}
