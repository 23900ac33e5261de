import Foundation
import Localization
import Records
import Spreadsheets

/// The chain heads a file kept outside the database records (`audit verify --against FILE`): a
/// report (HTML), a roster export (CSV comment line, XLSX custom property, JSON `audit_head`),
/// `audit head` output or an anchor file.
public enum RecordedHeads {
    /// Why a file yields no heads (missing, not a regular file, too large, unreadable, or none in it).
    public struct Failure: BilingualError {
        public var message: BilingualText
    }

    /// The heads `file` records; a file without any is an error, never a silent pass.
    public static func read(_ file: String) throws(Failure) -> [AuditHeadToken.Found] {
        func fail(_ zh: String, _ en: String) -> Failure { Failure(message: BilingualText(zh: "\(file)：" + zh, en: "\(file): " + en)) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDir), !isDir.boolValue else {
            throw fail("文件不存在", "no such file")
        }
        let data: Data
        do {
            let attrs = try FileManager.default.attributesOfItem(atPath: file)
            guard attrs[.type] as? FileAttributeType == .typeRegular else { throw fail("不是普通文件", "not a regular file") }
            if let size = attrs[.size] as? Int, size > 1 << 30 { throw fail("文件超过 1 GiB", "larger than 1 GiB") }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let e as Failure {
            throw e
        } catch {
            throw fail("无法读取（\(error.localizedDescription)）", "cannot read (\(error.localizedDescription))")
        }
        var text: String
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do {
                let props = try XLSXCustomProperties.read(bytes: Array(data), source: file)
                text = props[AuditHeadToken.propertyName] ?? ""
            } catch {
                throw Failure(message: BilingualText("\(error)"))
            }
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        let heads = AuditHeadToken.find(in: text)
        if heads.isEmpty {
            throw fail(
                "未找到记录的链头（应为报告、花名册导出、audit head 的输出或 audit anchor 文件）",
                "no recorded head found (expected a report, a roster export, audit head output or an audit anchor file)")
        }
        return heads
    }
}
