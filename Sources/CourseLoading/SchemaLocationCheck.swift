import Courseware
import Foundation
import Localization
import XMLSupport

/// Editors validate with `xsi:noNamespaceSchemaLocation`, so a path that does not lead to the
/// schema (a module copied out of the project, say) is reported with the path that would.
public enum SchemaLocationCheck {
    /// The relative path from `file` to the nearest `schemas/NAME` above it, or nil.
    public static func relativePath(from file: String, schema: String) -> String? {
        var probe = URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL
        for up in 0..<10 {
            if FileManager.default.fileExists(atPath: probe.appendingPathComponent("schemas/" + schema).path) {
                return String(repeating: "../", count: up) + "schemas/" + schema
            }
            if probe.path == "/" { break }
            probe = probe.deletingLastPathComponent()
        }
        return nil
    }

    /// Reads only the head of each file: the root element's attributes are near the top.
    public static func check(files: [String]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let marker = "xsi:noNamespaceSchemaLocation="
        for file in files {
            // RegularFile.open: a FIFO or device named *.xml must not hang lint (the reader reports it).
            guard case .success(let opened) = RegularFile.open(file) else { continue }
            let handle = FileHandle(fileDescriptor: opened.fd, closeOnDealloc: true)
            let bytes = (try? handle.read(upToCount: 8192)) ?? Data()
            try? handle.close()
            let head = String(decoding: bytes, as: UTF8.self)
            guard let r = head.range(of: marker) else { continue }
            let after = head[r.upperBound...]
            guard let q = after.first, q == "\"" || q == "'", let end = after.dropFirst().firstIndex(of: q) else { continue }
            let hint = String(after[after.index(after: after.startIndex)..<end])
            guard !hint.contains("://") else { continue }
            let target = URL(fileURLWithPath: hint, relativeTo: URL(fileURLWithPath: file).deletingLastPathComponent())
            if FileManager.default.fileExists(atPath: target.path) { continue }
            let before = head[..<r.lowerBound]
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex) + 1
            let name = hint.split(separator: "/").last.map(String.init) ?? hint
            let fix = relativePath(from: file, schema: name)
            out.append(
                Diagnostic(
                    .warning, SourceLocation(file: file, line: line, column: column),
                    BilingualText(
                        zh: "xsi:noNamespaceSchemaLocation=\"\(hint)\" 指向的文件不存在，编辑器无法据此校验"
                            + (fix.map { "；应为 \"\($0)\"" } ?? "；请指向 schemas/\(name)（相对于本文件）"),
                        en: "xsi:noNamespaceSchemaLocation=\"\(hint)\" leads to no file, so editors cannot validate"
                            + (fix.map { "; it should be \"\($0)\"" } ?? "; point it at schemas/\(name), relative to this file")),
                    code: "schema-location-not-found"))
        }
        return out
    }
}
