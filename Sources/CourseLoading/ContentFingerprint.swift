import Crypto
import Foundation
import Localization

/// One SHA-256 for a set of content files, reproducible with standard tools. For each `.xml` file
/// (as `ContentLoader.expand` finds them), the line `<sha256 of the file>  <label>` where the
/// label is the path below the root's parent (`Courses/notice-2018/course.xml`); lines sorted by
/// label, bytewise; the digest is the SHA-256 of those lines. For the installed content:
///
///     cd /usr/share/academy && find Courses QuestionBank -type f -name '*.xml' | LC_ALL=C sort | xargs sha256sum | sha256sum
public enum ContentFingerprint {
    public static func sha256(paths: [String]) throws -> String {
        var entries: [(label: [UInt8], path: String)] = []
        for root in paths {
            let base = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
            let name = (base as NSString).lastPathComponent
            for file in try ContentLoader.expand(paths: [root]) {
                let label =
                    file.hasPrefix(base + "/")
                    ? name + "/" + file.dropFirst(base.count + 1) : (file as NSString).lastPathComponent
                entries.append((Array(label.utf8), file))
            }
        }
        entries.sort { $0.label.lexicographicallyPrecedes($1.label) }
        var listing = SHA256()
        for e in entries {
            guard let data = FileManager.default.contents(atPath: e.path) else {
                throw ContentLocator.Failure(message: BilingualText(zh: "无法读取：\(e.path)", en: "cannot read \(e.path)"))
            }
            let line = hex(SHA256.hash(data: data)) + "  " + String(decoding: e.label, as: UTF8.self) + "\n"
            listing.update(data: Data(line.utf8))
        }
        return hex(listing.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
