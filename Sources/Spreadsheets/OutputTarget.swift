import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an `-o` argument sends output. Every command with `-o` goes through `resolve`, and every
/// file is then written by `AtomicFileWriter` or `XLSXWriter`, which replace only a regular file.
public enum OutputTarget: Sendable, Equatable {
    case standardOutput
    case file(URL)

    /// `-` and `/dev/stdout` mean standard output. A symbolic link is resolved to the file it
    /// points to only when `followSymlinks` is set (the writer refuses links otherwise). The
    /// file path is checked at once (see `AtomicFileWriter.checkDestination`), so a bad `-o`
    /// fails before any work is done.
    public static func resolve(_ argument: String, followSymlinks: Bool = false) throws -> OutputTarget {
        let target = try unchecked(argument, followSymlinks: followSymlinks)
        if case .file(let url) = target { try AtomicFileWriter.checkDestination(url, displayName: argument) }
        return target
    }

    static func unchecked(_ argument: String, followSymlinks: Bool) throws -> OutputTarget {
        if argument == "-" || argument == "/dev/stdout" { return .standardOutput }
        guard !argument.isEmpty else {
            throw SpreadsheetError(.writeFailed, file: argument, en: "the output path is empty", zh: "输出路径为空")
        }
        let url = URL(fileURLWithPath: argument)
        var st = stat()
        guard followSymlinks, lstat(argument, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK else { return .file(url) }
        // Resolve the whole chain; a dangling link resolves through its directory.
        if let real = realpath(argument, nil) {
            defer { free(real) }
            return .file(URL(fileURLWithPath: String(cString: real)))
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(argument, &buffer, buffer.count - 1)
        guard n > 0 else { return .file(url) }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let resolved =
            target.hasPrefix("/")
            ? URL(fileURLWithPath: target) : url.deletingLastPathComponent().appendingPathComponent(target)
        return .file(resolved.standardizedFileURL)
    }
}
