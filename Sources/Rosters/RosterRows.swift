import Foundation
import Records
import Spreadsheets

/// A roster's rows, produced on demand rather than held: every pass (`forEach`) runs the store's
/// roster cursor again, so exports, the summary and the report hold one row at a time whatever
/// the headcount. `array` wraps rows already in memory (tests, small callers).
///
/// Rows come in department path order (`DepartmentOrder`), then badge.
public struct RosterRows: Sendable {
    private let pass: @Sendable (_ subtree: String?, _ body: (RosterRow) throws -> Void) throws -> Void
    /// The department every pass is narrowed to (a subtree), if any.
    private let subtree: String?

    public init(_ pass: @escaping @Sendable (_ subtree: String?, _ body: (RosterRow) throws -> Void) throws -> Void) {
        self.pass = pass
        subtree = nil
    }

    private init(pass: @escaping @Sendable (String?, (RosterRow) throws -> Void) throws -> Void, subtree: String?) {
        self.pass = pass
        self.subtree = subtree
    }

    /// Rows already in memory, in department order.
    public static func array(_ rows: [RosterRow]) -> RosterRows {
        RosterRows { subtree, body in
            for r in rows where subtree.map({ Self.isUnder(r.department, $0) }) ?? true { try body(r) }
        }
    }

    /// The cycle's roster, read from `store` on every pass.
    public static func store(
        _ store: any EducationStore, cycleID: String, department: String?, rule: CompletionRule, now: Date
    ) -> RosterRows {
        RosterRows { subtree, body in
            try store.forEachRosterRow(cycleID: cycleID, department: subtree ?? department, rule: rule, now: now, body)
        }
    }

    /// One pass over the rows.
    public func forEach(_ body: (RosterRow) throws -> Void) throws {
        try pass(subtree, body)
    }

    /// The rows under `path` (the department or below). A store-backed source asks the store
    /// for that subtree alone.
    public func narrowed(to path: String) -> RosterRows {
        RosterRows(pass: pass, subtree: path)
    }

    /// The rows that pass `keep`, checked as they stream.
    public func filtered(_ keep: @escaping @Sendable (RosterRow) -> Bool) -> RosterRows {
        let pass = self.pass
        return RosterRows(
            pass: { subtree, body in try pass(subtree) { if keep($0) { try body($0) } } }, subtree: subtree)
    }

    /// Every row in one array (tests and small rosters only: this is what streaming avoids).
    public func collect() throws -> [RosterRow] {
        var rows: [RosterRow] = []
        try forEach { rows.append($0) }
        return rows
    }

    static func isUnder(_ department: String, _ path: String) -> Bool {
        department == path || department.hasPrefix(path + "/")
    }
}

/// Text handed to a sink in blocks of about 64 KiB (stream writers write many small pieces).
final class TextBuffer {
    private let sink: ByteSink
    private var buffer = ""
    init(_ sink: ByteSink) { self.sink = sink }
    func write(_ s: String) throws {
        buffer += s
        if buffer.utf8.count >= 1 << 16 { try flush() }
    }
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer = ""
    }
}
