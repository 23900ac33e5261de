import Exams
import Foundation
import Localization

/// `academy --version`: the version and commit this binary was built from, and which content it
/// would use — the SHA-256 of those files (see `ContentFingerprint`), whether they are the content this
/// build shipped, and the bank hash of each blueprint's pool (the hash every attempt records, so
/// an inspector can tell which bank a cycle used).
enum VersionReport {
    static func text(_ language: Language) -> String {
        var lines = ["academy \(BuildInfo.version)", language.pick(zh: "提交 \(BuildInfo.commit)", en: "commit \(BuildInfo.commit)")]
        if let shipped = BuildInfo.shippedContentSHA256 {
            lines.append(language.pick(zh: "随包内容 SHA-256 \(shipped)", en: "shipped content SHA-256 \(shipped)"))
        }
        let paths: [String]
        do {
            guard let found = try ContentSearch.paths(explicit: []) else {
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
            if let shipped = BuildInfo.shippedContentSHA256 {
                line +=
                    digest == shipped
                    ? language.pick(zh: "（与随包内容一致）", en: " (the shipped content)")
                    : language.pick(zh: "（与随包内容不同）", en: " (differs from the shipped content)")
            }
            lines.append(line)
            let loaded = try ContentLocator.load(paths)
            let exam = ExamContent(loaded.content, hashPools: true)
            for id in exam.bankHashes.keys.sorted() {
                lines.append(language.pick(zh: "题库 \(id) \(exam.bankHashes[id]!)", en: "bank \(id) \(exam.bankHashes[id]!)"))
            }
            if loaded.hasErrors {
                lines.append(
                    language.pick(
                        zh: "注意：内容有 \(loaded.errorCount) 个错误，运行 academy lint 查看详情",
                        en: "note: the content has \(loaded.errorCount) errors; run academy lint for details"))
            }
        } catch {
            lines.append(language.text(error))
        }
        return lines.joined(separator: "\n")
    }
}
