import Foundation
import Localization
import Records

/// `audit verify`: the SQLite file checks, the chain with its replay, then every head recorded in
/// the `--against` files (reports, roster exports, head and anchor files). The files are read when
/// the value is made, so a bad path fails before the store is opened.
public struct AuditVerify {
    public var chainOnly: Bool
    /// Off only for benchmarks, which time SQLite's own integrity check separately.
    public var integrityCheck: Bool
    public let recorded: [(file: String, heads: [AuditHeadToken.Found])]

    /// The store fails the audit: the lines that say why (exit 1).
    public struct Refusal: BilingualError {
        public var message: BilingualText
    }

    public init(against files: [String], chainOnly: Bool, integrityCheck: Bool) throws {
        self.chainOnly = chainOnly
        self.integrityCheck = integrityCheck
        recorded = try files.map { (file: $0, heads: try RecordedHeads.read($0)) }
    }

    /// Runs the checks on `store`, handing each line to `say` as it comes (`toError`: a warning
    /// or a failed head, for standard error). Throws a `Refusal` when the file or the chain fails;
    /// returns false when the chain holds but a recorded head is not in it.
    public func run(_ store: any EducationStore, say: (BilingualText, _ toError: Bool) -> Void) throws -> Bool {
        // The file checks are SQLite's; a PostgreSQL server guards its own files and pages.
        let file = store as? SQLiteEducationStore
        if let warning = file?.exposedWarning { say(warning, true) }
        if !chainOnly, integrityCheck, let file, let problem = try file.integrityProblem() {
            throw Refusal(message: BilingualText(zh: "数据库完整性检查失败：\(problem)", en: "database integrity check failed: \(problem)"))
        }
        let v = try store.verifyChain(replay: !chainOnly)
        if let legacy = v.legacy { say(legacy.message, true) }
        guard v.isIntact else { throw Refusal(message: v.message + "\n" + v.extent) }
        var intact = true
        for (file, heads) in recorded {
            for h in heads {
                let verdict = try AuditHeadToken.verdict(h, recordedIn: file, store: store, chainHead: v.head)
                say(verdict.message, !verdict.intact)
                intact = intact && verdict.intact
            }
        }
        if intact { say(v.message, false) }
        return intact
    }
}
