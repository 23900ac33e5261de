import Courseware
import Foundation
import Localization

/// `academy lint`: the content at `paths` (none: the content search) checked, and the report as
/// text (one line per problem, then a summary) or JSON.
public enum LintReport {
    /// Loads the content (widened to the whole project by `LintScope`) with every diagnostic:
    /// the loader's and lint's, the schema locations and the answer-key positions, refined.
    /// `note` is what lint says on standard error about skipped checks. Throws for missing paths.
    public static func check(
        paths: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ContentLocator.Failure) -> (loaded: LoadedContent, note: BilingualText?) {
        var (loaded, note) = try LintScope.widen(ContentLocator.load(paths, environment: environment), paths: paths)
        let source = { (file: String) in FileManager.default.contents(atPath: file).map { [UInt8]($0) } }
        loaded.diagnostics = LintRefinement.refine(
            loaded.diagnostics + SchemaLocationCheck.check(files: loaded.files)
                + (loaded.hasErrors ? [] : KeyPositionCheck.check(loaded.content)), content: loaded.content,
            source: source)
        return (loaded, note)
    }

    /// Whether lint fails: errors, or warnings with `strict`.
    public static func failed(_ loaded: LoadedContent, strict: Bool) -> Bool {
        loaded.errorCount > 0 || (strict && loaded.warningCount > 0)
    }

    public static func text(_ loaded: LoadedContent, _ language: Language) -> String {
        var out = ""
        for d in loaded.diagnostics { out += d.text(in: language) + "\n" }
        out += summary(loaded, language) + "\n"
        return out
    }

    public static func summary(_ loaded: LoadedContent, _ language: Language) -> String {
        let f = loaded.files.count, e = loaded.errorCount, w = loaded.warningCount
        return language.pick(
            zh: "已检查 \(f) 个文件：\(e) 个错误，\(w) 个警告",
            en: "checked \(f) file\(f == 1 ? "" : "s"): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")")
    }

    struct JSONReport: Encodable {
        struct Item: Encodable {
            var file: String
            var line: Int
            var column: Int
            var severity: String
            var code: String
            var message: String
        }
        var files: [String]
        var errors: Int
        var warnings: Int
        var ok: Bool
        var diagnostics: [Item]
        var summary: String
    }

    public static func json(_ loaded: LoadedContent, strict: Bool, _ language: Language) -> String {
        let report = JSONReport(
            files: loaded.files, errors: loaded.errorCount, warnings: loaded.warningCount,
            ok: !failed(loaded, strict: strict),
            diagnostics: loaded.diagnostics.map {
                .init(
                    file: $0.location.file, line: $0.location.line, column: $0.location.column,
                    severity: $0.severity.rawValue, code: $0.code, message: $0.message.text(in: language))
            },
            summary: summary(loaded, language))
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
