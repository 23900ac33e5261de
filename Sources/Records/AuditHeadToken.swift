import Foundation
import Localization

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

extension AuditHeadToken {
    /// The verdict on a head recorded in `file` against a verified chain whose head is `chainHead`:
    /// intact when the chain still holds that event with that hash; otherwise whether the chain
    /// was cut short (truncated) or rewritten up to it.
    public static func verdict(
        _ h: Found, recordedIn file: String, store: any EducationStore, chainHead: ChainHead
    ) throws -> (intact: Bool, message: BilingualText) {
        if try store.event(seq: h.seq, hasHash: h.hash) {
            return (true, BilingualText(zh: "\(file)：链头 #\(h.seq) \(h.hash.prefix(16))… 仍在链中", en: "\(file): head #\(h.seq) \(h.hash.prefix(16))… is in the chain"))
        }
        if h.seq > chainHead.seq {
            return (false, BilingualText(zh: "\(file)：记录的链头为事件 #\(h.seq)，但链中只有 \(chainHead.seq) 个事件：链尾的事件被删除（截断）", en: "\(file): the recorded head is event #\(h.seq) but the chain has only \(chainHead.seq) events: events were removed from the end (truncated)"))
        }
        return (false, BilingualText(zh: "\(file)：事件 #\(h.seq) 的哈希与记录的 \(h.hash) 不同：该事件及其之前的历史已被改写", en: "\(file): event #\(h.seq) does not have the recorded hash \(h.hash): the history up to it was rewritten"))
    }
}
