/// A user-facing text in both interface languages. Records knows nothing of the CLI's language
/// switch; callers pick the language.
public struct BilingualText: Sendable, Hashable, CustomStringConvertible {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func pick(chinese: Bool) -> String { chinese ? zh : en }

    /// Both languages, Chinese first, for logs and tests.
    public var description: String { "\(zh) / \(en)" }
}

/// An error whose message exists in Chinese and English.
public protocol BilingualError: Error, CustomStringConvertible {
    var message: BilingualText { get }
}

extension BilingualError {
    public var description: String { message.description }
}
