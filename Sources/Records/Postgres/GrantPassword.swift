import Foundation

extension PostgresEducationStore {
    /// The password in `path` for `db grant`: its first line, which must not be empty.
    public static func grantPassword(inFile path: String) throws(StoreError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            case let first = text.prefix(while: { !$0.isNewline }), !first.isEmpty
        else {
            throw .invalid(field: path, detail: "no password on its first line / 第一行没有密码")
        }
        return String(first)
    }
}
