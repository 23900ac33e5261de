import ArgumentParser
import CourseLoading
import Courseware
import Foundation
import Localization
import Records
import Rosters
import Spreadsheets
import TextViews

extension CertificateService.CourseFacts {
    /// The course title and hours printed for `cycle` (see `TrainingCycle.certificateCourse`).
    init(_ cycle: TrainingCycle, content: ContentSet?) {
        let course = cycle.certificateCourse(in: content)
        self.init(title: course.title, hours: course.hours)
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
            let store = try common.database.open()
            let loaded = try common.load(store, language, now: clock.now())
            let facts = CertificateService.CourseFacts(loaded.context.cycle, content: try? ContentLocator.load(common.content).content)
            let certs = try CertificateService.certificates(loaded, store: store, course: facts)
            let unit = try issuer ?? ReportHeader.load(ReportHeader.file(besideDatabase: common.database.path)).unit
            let html = CertificatesHTML.html(certs, context: loaded.context, issuer: unit)
            try AtomicFileWriter.write(to: URL(fileURLWithPath: output)) { try $0.write(html) }
            Stderr.line(
                language.pick(
                    zh: "已生成 \(certs.count) 张培训合格证明（\((certs.count + 5) / 6) 页）→ \(output)",
                    en: "\(certs.count) certificates (\((certs.count + 5) / 6) pages) → \(output)"))
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
        @OptionGroup var content: ContentOptions
        @Option(help: .hidden) var assumeLessons: Int?
        @Option(help: .hidden) var assumeMaxAttempts: Int?

        func validate() throws {
            let language = ParsingLanguage.value
            if (code == nil) == (file == nil) {
                throw ValidationError(language.pick(zh: "请给出验证码或 --file（二选一）", en: "give a code or --file (one of them)"))
            }
        }

        func run(in language: Language, clock: AcademyClock) throws {
            let store = try database.open()
            let loadedContent = assumeLessons == nil ? try content.loadIfPresent(language) : nil
            let rules = try content.rules(for: store.cycles(), language)
            func rule(_ cycle: TrainingCycle) -> CompletionRule {
                if let n = assumeLessons { return .assumed(lessons: n, maxAttempts: assumeMaxAttempts ?? 3) }
                return rules[cycle.id] ?? .assumed()
            }
            let printed = try file.map { try CertificatesHTML.read(file: $0) } ?? [(code!, [:])]
            var failures = 0
            for (i, p) in printed.enumerated() {
                let verdict = try CertificateService.verify(
                    code: p.code, store: store, now: clock.now(), language: language, rule: rule,
                    course: { CertificateService.CourseFacts($0, content: loadedContent) })
                let said = AdminViews.certificateVerdict(verdict, printed: p.fields, file: file.map { ($0, i + 1, p.code) }, language: language)
                for line in said.lines { if said.genuine { print(line) } else { Stderr.line(line) } }
                if !said.genuine { failures += 1 }
            }
            if file != nil { print(AdminViews.certificatesChecked(printed.count, failures: failures, language: language)) }
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
