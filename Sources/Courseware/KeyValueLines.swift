import Foundation

/// The lines of a small `key = value` file (`academy.conf`, `report.toml`): one setting a line,
/// blank lines and lines starting with `#` skipped, Windows and Unix line ends alike. What a
/// value may be, and which keys exist, is the caller's.
public struct KeyValueLine: Equatable, Sendable {
    /// 1-based line number in the file.
    public var number: Int
    /// The whole line, without surrounding whitespace.
    public var text: String
    /// The text before the first `=`, trimmed; nil when the line has no `=`.
    public var key: String?
    /// The text after the first `=`, trimmed; nil when the line has no `=`.
    public var value: String?

    public init(number: Int, text: String, key: String?, value: String?) {
        self.number = number
        self.text = text
        self.key = key
        self.value = value
    }

    /// The settings of `text`, in order (blank and comment lines left out).
    public static func parse(_ text: String) -> [KeyValueLine] {
        // `\.isNewline`, not "\n": Swift reads "\r\n" as one character, so a file with Windows
        // line ends would otherwise be one line.
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { i, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { return nil }
            guard let eq = line.firstIndex(of: "=") else { return KeyValueLine(number: i + 1, text: line, key: nil, value: nil) }
            return KeyValueLine(
                number: i + 1, text: line, key: line[..<eq].trimmingCharacters(in: .whitespaces),
                value: line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
