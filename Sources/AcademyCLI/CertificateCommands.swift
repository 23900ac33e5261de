import ArgumentParser
import Courseware
import Foundation
import Localization
import Records
import Rosters
import Spreadsheets

/// Course title and hours for certificates: the required lessons' minutes from the content.
enum CertificateContent {
    static func facts(_ cycle: TrainingCycle, content: ContentSet?) -> CertificateService.CourseFacts {
        guard let course = content?.course(cycle.courseID) else {
            return .init(title: cycle.title, hours: nil)
        }
        let minutes = course.lessons.filter(\.required).reduce(0) { $0 + $1.minutes }
        return .init(title: course.title, hours: minutes > 0 ? Double(minutes) / 60 : nil)
    }
}

extension RosterCommand {
    /// `academy roster certificates --cycle C [--department D] -o certs.html`
    struct Certificates: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "为已完成培训的人员打印培训合格证明（A4，每页 6 张）/ Print completion certificates (A4, six a page).")
        @OptionGroup var common: Common
        @Option(name: [.short, .customLong("output")], help: "输出文件，如 certs.html / Output file, e.g. certs.html.") var output: String
        @Option(help: "发证单位（印在证明上，默认取 report.toml 的 unit）/ Issuing unit printed on each certificate (default: unit in report.toml).")
        var issuer: String?

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try common.database.open(language)
            let loaded = try common.load(store, language, now: clock.now())
            let content = try? ContentLocator.load(common.content).content
            let facts = CertificateContent.facts(loaded.context.cycle, content: content)
            let file = URL(fileURLWithPath: common.database.path).deletingLastPathComponent()
                .appendingPathComponent(ReportHeader.fileName)
            do {
                let certs = try CertificateService.certificates(loaded, store: store, course: facts)
                let unit = try issuer ?? ReportHeader.load(file).unit
                let html = CertificatesHTML.html(certs, context: loaded.context, issuer: unit)
                try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(html) }
                Stderr.line(
                    (language == .zhHans)
                        ? "已生成 \(certs.count) 张培训合格证明（\((certs.count + 5) / 6) 页）→ \(output)"
                        : "\(certs.count) certificates (\((certs.count + 5) / 6) pages) → \(output)")
            } catch { throw common.fail(error, language) }
        }
    }
}

extension RecordCommand {
    /// `academy record verify CODE` or `academy record verify --file certs.html`.
    struct Verify: LocalizedCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验培训合格证明 / Check a completion certificate against the record.",
            discussion: """
                用验证码查出档案中的完成记录并显示；加 --file 时逐张比对证明上印的内容，任何一项不符即失败（退出码 1）。
                Looks the code up in the event chain and shows the completion it names; with --file, compares every certificate
                printed in the file field by field and fails (exit 1) on any difference.
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "验证码 / Verification code.") var code: String?
        @Option(help: "核验该文件中的全部证明 / Check every certificate in this certs.html.") var file: String?
        @OptionGroup var content: RecordsContentOptions
        @Option(help: .hidden) var assumeLessons: Int?
        @Option(help: .hidden) var assumeMaxAttempts: Int?

        func validate() throws {
            let language = ParsingLanguage.value
            if (code == nil) == (file == nil) {
                throw ValidationError(language.pick(zh: "请给出验证码或 --file（二选一）", en: "give a code or --file (one of them)"))
            }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open(language)
            let loadedContent = assumeLessons == nil ? try content.loadIfPresent(language) : nil
            let rules = try content.rules(for: RecordsCLI.run(language) { try store.cycles() }, language)
            func rule(_ cycle: TrainingCycle) -> CompletionRule {
                if let n = assumeLessons {
                    return CompletionRule(
                        requiredItemIDs: n == 0 ? [] : (1...n).map { "lesson-\($0)" }, maxAttempts: assumeMaxAttempts ?? 3,
                        counting: .highest)
                }
                return rules[cycle.id] ?? CompletionRule(requiredItemIDs: [], maxAttempts: 3, counting: .highest)
            }
            let printed: [(code: String, fields: [String: String])]
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw RecordsCLI.failure(RosterError.unreadable(path: file, reason: BilingualText("no such file / 文件不存在")), language)
                }
                printed = CertificatesHTML.read(String(decoding: data, as: UTF8.self))
                if printed.isEmpty {
                    Stderr.line(language.pick(zh: "\(file)：没有找到证明", en: "\(file): no certificate found"))
                    throw ExitCode(1)
                }
            } else {
                printed = [(code!, [:])]
            }
            var failures = 0
            for (i, p) in printed.enumerated() {
                let verdict = try RecordsCLI.run(language) {
                    try CertificateService.verify(
                        code: p.code, store: store, now: clock.now(), language: language, rule: rule,
                        course: { CertificateContent.facts($0, content: loadedContent) })
                }
                let where_ = file.map { language.pick(zh: "\($0) 第 \(i + 1) 张（\(p.code)）：", en: "\($0) certificate \(i + 1) (\(p.code)): ") } ?? ""
                if !report(verdict, printed: p.fields, prefix: where_, language) { failures += 1 }
            }
            if file != nil {
                print(language.pick(zh: "核验 \(printed.count) 张：\(printed.count - failures) 张相符，\(failures) 张不符", en: "checked \(printed.count): \(printed.count - failures) match, \(failures) do not"))
            }
            if failures > 0 { throw ExitCode(1) }
        }

        /// Prints the verdict; true when the certificate is genuine and (with --file) reads as the record.
        func report(_ verdict: CertificateService.Verdict, printed: [String: String], prefix: String, _ language: Language) -> Bool {
            let zh = (language == .zhHans)
            switch verdict {
            case .unknownCode:
                Stderr.line(prefix + language.pick(zh: "无效：档案中没有这个验证码对应的完成记录", en: "INVALID: no completion in the record has this code"))
                return false
            case .brokenChain(let seq):
                Stderr.line(prefix + language.pick(zh: "无效：事件 \(seq) 的哈希与事件链不符，档案可能被改动（运行 academy audit verify）", en: "INVALID: event \(seq) does not match the hash chain; the record may have been altered (run academy audit verify)"))
                return false
            case let .notACompletion(badge, cycle):
                Stderr.line(prefix + language.pick(zh: "无效：该验证码不是 \(badge ?? "?") 在培训周期 \(cycle ?? "?") 的完成记录", en: "INVALID: the code is not the completion of \(badge ?? "?") in cycle \(cycle ?? "?")"))
                return false
            case .valid(let cert):
                let differ = cert.fields().filter { f in printed[f.key].map { $0 != f.value } ?? false }
                if differ.isEmpty {
                    if printed.isEmpty {
                        print(language.pick(zh: "有效：档案中的完成记录如下，请与证明逐项核对", en: "VALID: the record shows this completion; compare it with the certificate"))
                        for f in cert.fields() { print("  \(zh ? f.zh : f.en)：\(f.value)") }
                        print("  \(language.pick(zh: "培训周期", en: "Cycle"))：\(cert.cycleID)")
                    } else {
                        print(prefix + language.pick(zh: "相符", en: "matches"))
                    }
                    return true
                }
                for f in differ {
                    Stderr.line(prefix + language.pick(zh: "不符：\(f.zh) 印为“\(printed[f.key]!)”，档案为“\(f.value)”", en: "MISMATCH: \(f.en) reads \"\(printed[f.key]!)\", the record says \"\(f.value)\""))
                }
                return false
            }
        }
    }
}
