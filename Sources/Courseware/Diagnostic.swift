import Localization

/// Where something sits in a source file. Lines and columns are 1-based.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in content, rendered by `academy lint` as `file:line:col: severity: message`.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning
        case error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: BilingualText
    /// A short stable identifier of the check (e.g. `duplicate-id`), for tools and tests.
    public var code: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: BilingualText, code: String) {
        self.severity = severity
        self.location = location
        self.message = message
        self.code = code
    }

    /// `file:line:col: severity: message` in `language`, as `academy lint` prints it.
    public func text(in language: Language) -> String { "\(location): \(severity.rawValue): \(message.text(in: language))" }

    /// Both languages, for logs and tests.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
