/// A user-facing text in both interface languages. Libraries build these; whoever renders
/// (a command, a screen, a session) picks the language it was given.
public struct BilingualText: Sendable, Hashable, Codable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// The same text in both languages (a name, a message from a third-party library).
    public init(_ both: String) { self.init(zh: both, en: both) }

    public func text(in language: Language) -> String { language.pick(zh: zh, en: en) }

    /// Both languages, Chinese first, for logs and tests.
    public var description: String { "\(zh) / \(en)" }

    public static func + (a: BilingualText, b: BilingualText) -> BilingualText {
        BilingualText(zh: a.zh + b.zh, en: a.en + b.en)
    }

    public static func += (a: inout BilingualText, b: BilingualText) { a = a + b }

    public static func + (a: BilingualText, b: String) -> BilingualText { a + BilingualText(b) }

    public static func + (a: String, b: BilingualText) -> BilingualText { BilingualText(a) + b }
}

/// An error whose message exists in Chinese and English.
public protocol BilingualError: Error, CustomStringConvertible {
    var message: BilingualText { get }
}

extension BilingualError {
    public var description: String { message.description }

    public func message(in language: Language) -> String { message.text(in: language) }
}

/// A `BilingualError` about how the program was called rather than about the data (an unknown
/// blueprint id, content that cannot be found): the command line exits 2 for it, as for any
/// usage error, instead of 1.
public protocol BilingualUsageError: BilingualError {}

/// A usage error with a message and nothing else.
public struct UsageProblem: BilingualUsageError, Equatable {
    public var message: BilingualText
    public init(_ message: BilingualText) { self.message = message }
}

/// Something whose text depends on the language: a located problem, a failure that says where.
public protocol LocalizedText {
    func text(in language: Language) -> String
}

extension BilingualText: LocalizedText {}

extension Language {
    /// How an error reads in this language: a `LocalizedText` in this language, anything else
    /// (a `BilingualError` included: both languages) as it describes itself.
    public func text(_ error: any Error) -> String {
        if let t = error as? any LocalizedText { return t.text(in: self) }
        return "\(error)"
    }
}
