import CourseLoading
import Foundation
import Localization

/// `academy --version`: the version and commit this binary was built from, and which content it
/// would use — the SHA-256 of those files (see `ContentFingerprint`), whether they are the
/// content this build shipped (`shipped`, that content's fingerprint), and the bank hash of each
/// blueprint's pool (the hash every attempt records, so an inspector can tell which bank a cycle used).
public enum VersionReport {
    public static func text(
        version: String, commit: String, shipped: String?, _ language: Language,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        var lines = ["academy \(version)", language.pick(zh: "提交 \(commit)", en: "commit \(commit)")]
        if let shipped {
            lines.append(language.pick(zh: "随包内容 SHA-256 \(shipped)", en: "shipped content SHA-256 \(shipped)"))
        }
        let paths: [String]
        do {
            guard let found = try ContentSearch.paths(explicit: [], environment: environment) else {
                lines.append(language.pick(zh: "内容：未找到", en: "content: none found"))
                return lines.joined(separator: "\n")
            }
            paths = found
        } catch {
            lines.append(error.text(in: language))
            return lines.joined(separator: "\n")
        }
        lines.append(language.pick(zh: "使用的内容：", en: "content in use: ") + paths.joined(separator: ", "))
        do {
            let digest = try ContentFingerprint.sha256(paths: paths)
            var line = language.pick(zh: "内容 SHA-256 \(digest)", en: "content SHA-256 \(digest)")
            if let shipped {
                line +=
                    digest == shipped
                    ? language.pick(zh: "（与随包内容一致）", en: " (the shipped content)")
                    : language.pick(zh: "（与随包内容不同）", en: " (differs from the shipped content)")
            }
            lines.append(line)
            let loaded = try ContentLocator.load(paths, environment: environment)
            let exam = ExamContent(loaded.content, hashPools: true)
            for id in exam.bankHashes.keys.sorted() {
                lines.append(language.pick(zh: "题库 \(id) \(exam.bankHashes[id]!)", en: "bank \(id) \(exam.bankHashes[id]!)"))
            }
            if let note = ContentLocator.errorsNote(loaded) { lines.append(note.text(in: language)) }
        } catch {
            lines.append(language.text(error))
        }
        return lines.joined(separator: "\n")
    }
}
