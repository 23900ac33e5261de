import ArgumentParser
import CourseLoading
import Courseware
import Foundation
import Localization
import Localization

/// `academy lint [PATH...]`: XSD validation plus the semantic checks, every problem at once.
/// Exit 0 clean, 1 on errors (or warnings with --strict), 2 on usage errors.
struct LintCommand: LocalizedCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "校验课程、案例、题库和组卷方案 / Check courses, case studies, question banks and blueprints.",
        discussion: """
            每个问题一行：path:line:col: error|warning: message，最后一行是汇总。
            退出码：0 无错误；1 有错误（--strict 时警告也算）；2 用法错误。
            One line per problem, then a summary. Exit 0 clean, 1 errors (or warnings with --strict), 2 usage.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "文件或目录（默认 Courses/ 与 QuestionBank/）/ Files or directories (default Courses/ and QuestionBank/).")
    var paths: [String] = []

    @Option(help: "输出格式 / Output format: text | json.")
    var format: Format = .text

    @Flag(help: "警告也视为失败 / Treat warnings as failures.")
    var strict = false

    func run(in language: Language, clock: AcademyClock) throws {
        var loaded: LoadedContent
        do {
            loaded = try ContentLocator.load(paths)
            loaded = try LintScope.widen(loaded, paths: paths, language)
        } catch {
            Stderr.line("academy lint: " + language.text(error))
            throw ExitCode(2)
        }
        let source = { (file: String) in FileManager.default.contents(atPath: file).map { [UInt8]($0) } }
        loaded.diagnostics = LintRefinement.refine(
            loaded.diagnostics + SchemaLocationCheck.check(files: loaded.files)
                + (loaded.hasErrors ? [] : KeyPositionCheck.check(loaded.content)), content: loaded.content,
            source: source)
        let out: String
        switch format {
        case .text: out = LintReport.text(loaded, language)
        case .json: out = LintReport.json(loaded, strict: strict, language)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        let failed = loaded.errorCount > 0 || (strict && loaded.warningCount > 0)
        // `loaded` goes to the exit with the outcome: tearing down a large content set value by
        // value would only cost time (a 10,000-question bank: several milliseconds).
        throw CommandExit.exit(failed ? 1 : 0, keepAlive: loaded)
    }
}

enum LintReport {
    static func text(_ loaded: LoadedContent, _ language: Language) -> String {
        var out = ""
        for d in loaded.diagnostics { out += d.text(in: language) + "\n" }
        out += summary(loaded, language) + "\n"
        return out
    }

    static func summary(_ loaded: LoadedContent, _ language: Language) -> String {
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

    static func json(_ loaded: LoadedContent, strict: Bool, _ language: Language) -> String {
        let report = JSONReport(
            files: loaded.files, errors: loaded.errorCount, warnings: loaded.warningCount,
            ok: loaded.errorCount == 0 && (!strict || loaded.warningCount == 0),
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
