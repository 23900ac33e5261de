/// What an officer answered for one question. Choice answers are ORIGINAL option indices (the
/// paper's option order has already been undone), so a response means the same thing whatever
/// order the options were shown in.
public enum Response: Codable, Hashable, Sendable {
    case choice([Int])
    case trueFalse(Bool)
    case fillIn([String])

    public var isEmpty: Bool {
        switch self {
        case .choice(let c): c.isEmpty
        case .trueFalse: false
        case .fillIn(let f): f.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }
}

/// Responses keyed by question id (a case's parts are keyed by the part's id).
public typealias Responses = [String: Response]
