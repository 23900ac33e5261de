import ArgumentParser
import Courseware
import Foundation
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
    struct Certificates: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为已完成培训的人员打印培训合格证明（A4，每页 6 张）/ Print completion certificates (A4, six a page).")
        @OptionGroup var common: Common
        @Option(name: [.short, .customLong("output")], help: "输出文件，如 certs.html / Output file, e.g. certs.html.") var output: String
        @Option(help: "发证单位（印在证明上，默认取 report.toml 的 unit）/ Issuing unit printed on each certificate (default: unit in report.toml).")
        var issuer: String?

        func run() throws {
            let store = try common.database.open()
            let loaded = try common.load(store)
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
                    common.chinese
                        ? "已生成 \(certs.count) 张培训合格证明（\((certs.count + 5) / 6) 页）→ \(output)"
                        : "\(certs.count) certificates (\((certs.count + 5) / 6) pages) → \(output)")
            } catch { throw common.fail(error) }
        }
    }
}

extension RecordCommand {
    /// `academy record verify CODE` or `academy record verify --file certs.html`.
    struct Verify: ParsableCommand {
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
            if (code == nil) == (file == nil) {
                throw ValidationError(L10n.pick(zh: "请给出验证码或 --file（二选一）", en: "give a code or --file (one of them)"))
            }
        }

        func run() throws {
            let store = try database.open()
            let loadedContent = assumeLessons == nil ? try content.loadIfPresent() : nil
            let rules = try content.rules(for: RecordsCLI.run { try store.cycles() })
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
                    throw RecordsCLI.failure(RosterError.unreadable(path: file, reason: "no such file / 文件不存在"))
                }
                printed = CertificatesHTML.read(String(decoding: data, as: UTF8.self))
                if printed.isEmpty {
                    Stderr.line(RecordsCLI.text("\(file)：没有找到证明", "\(file): no certificate found"))
                    throw ExitCode(1)
                }
            } else {
                printed = [(code!, [:])]
            }
            var failures = 0
            for (i, p) in printed.enumerated() {
                let verdict = try RecordsCLI.run {
                    try CertificateService.verify(
                        code: p.code, store: store, now: RecordsCLI.now(), chinese: RecordsCLI.chinese, rule: rule,
                        course: { CertificateContent.facts($0, content: loadedContent) })
                }
                let where_ = file.map { RecordsCLI.text("\($0) 第 \(i + 1) 张（\(p.code)）：", "\($0) certificate \(i + 1) (\(p.code)): ") } ?? ""
                if !report(verdict, printed: p.fields, prefix: where_) { failures += 1 }
            }
            if file != nil {
                print(RecordsCLI.text(
                    "核验 \(printed.count) 张：\(printed.count - failures) 张相符，\(failures) 张不符",
                    "checked \(printed.count): \(printed.count - failures) match, \(failures) do not"))
            }
            if failures > 0 { throw ExitCode(1) }
        }

        /// Prints the verdict; true when the certificate is genuine and (with --file) reads as the record.
        func report(_ verdict: CertificateService.Verdict, printed: [String: String], prefix: String) -> Bool {
            let zh = RecordsCLI.chinese
            switch verdict {
            case .unknownCode:
                Stderr.line(prefix + RecordsCLI.text("无效：档案中没有这个验证码对应的完成记录", "INVALID: no completion in the record has this code"))
                return false
            case .brokenChain(let seq):
                Stderr.line(prefix + RecordsCLI.text(
                    "无效：事件 \(seq) 的哈希与事件链不符，档案可能被改动（运行 academy audit verify）",
                    "INVALID: event \(seq) does not match the hash chain; the record may have been altered (run academy audit verify)"))
                return false
            case let .notACompletion(badge, cycle):
                Stderr.line(prefix + RecordsCLI.text(
                    "无效：该验证码不是 \(badge ?? "?") 在培训周期 \(cycle ?? "?") 的完成记录",
                    "INVALID: the code is not the completion of \(badge ?? "?") in cycle \(cycle ?? "?")"))
                return false
            case .valid(let cert):
                let differ = cert.fields().filter { f in printed[f.key].map { $0 != f.value } ?? false }
                if differ.isEmpty {
                    if printed.isEmpty {
                        print(RecordsCLI.text("有效：档案中的完成记录如下，请与证明逐项核对", "VALID: the record shows this completion; compare it with the certificate"))
                        for f in cert.fields() { print("  \(zh ? f.zh : f.en)：\(f.value)") }
                        print("  \(RecordsCLI.text("培训周期", "Cycle"))：\(cert.cycleID)")
                    } else {
                        print(prefix + RecordsCLI.text("相符", "matches"))
                    }
                    return true
                }
                for f in differ {
                    Stderr.line(prefix + RecordsCLI.text(
                        "不符：\(f.zh) 印为“\(printed[f.key]!)”，档案为“\(f.value)”",
                        "MISMATCH: \(f.en) reads \"\(printed[f.key]!)\", the record says \"\(f.value)\""))
                }
                return false
            }
        }
    }
}
