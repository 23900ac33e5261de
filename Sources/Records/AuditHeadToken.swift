import Foundation

/// How a chain head is written into files kept outside the database (roster exports, reports,
/// anchor files, `audit head` output) and found again by `academy audit verify --against`.
public enum AuditHeadToken {
    /// The XLSX custom document property holding the head.
    public static let propertyName = "AcademyAuditHead"

    /// `seq=N sha256=H`, the form shared by the anchor file, the CSV comment and the XLSX property.
    public static func text(_ head: ChainHead) -> String { "seq=\(head.seq) sha256=\(head.hash)" }

    /// The CSV comment line's text (after `# `).
    public static func commentLine(_ head: ChainHead) -> String { "academy audit head " + text(head) }

    /// One line of an anchor file (no newline): head, event count and time.
    public static func anchorLine(_ head: ChainHead, eventCount: Int64, at: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return "academy-anchor \(text(head)) events=\(eventCount) at=\(f.string(from: at))"
    }

    /// A head found in a file: event number and hash.
    public struct Found: Sendable, Hashable {
        public var seq: Int64
        public var hash: String
    }

    /// Every head recorded in `text`, in order of appearance, without duplicates. Recognizes the
    /// `seq=N sha256=H` token, a JSON object with `seq` and `hash` (roster JSON `audit_head`,
    /// `audit head --format json`), the HTML report's line and `audit head`'s two-line output.
    public static func find(in text: String) -> [Found] {
        let hex = "([0-9a-fA-F]{64})"
        let patterns: [(String, seqFirst: Bool)] = [
            ("seq=([0-9]+)\\s+sha256=" + hex, true),
            ("\\{[^{}]*?\"seq\"\\s*:\\s*([0-9]+)[^{}]*?\"hash\"\\s*:\\s*\"" + hex + "\"[^{}]*\\}", true),
            ("\\{[^{}]*?\"hash\"\\s*:\\s*\"" + hex + "\"[^{}]*?\"seq\"\\s*:\\s*([0-9]+)[^{}]*\\}", false),
            ("(?:event|事件序号)(?:&nbsp;|\\s)+([0-9]+)\\s*·\\s*SHA-256(?:&nbsp;|\\s)+" + hex, true),
            ("(?m)^" + hex + "\\s*\\n(?:event #|事件 #)([0-9]+)", false),
        ]
        var found: [(Int, Found)] = []
        let ns = text as NSString
        for (pattern, seqFirst) in patterns {
            guard let re = try? NSRegularExpression(pattern: pattern) else { continue }
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let a = ns.substring(with: m.range(at: 1)), b = ns.substring(with: m.range(at: 2))
                let (seqText, hash) = seqFirst ? (a, b) : (b, a)
                guard let seq = Int64(seqText) else { continue }
                found.append((m.range.location, Found(seq: seq, hash: hash.lowercased())))
            }
        }
        var seen = Set<Found>()
        return found.sorted { $0.0 < $1.0 }.map(\.1).filter { seen.insert($0).inserted }
    }
}
