import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where writers put their bytes.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }
    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

/// Collects bytes in memory (tests, small outputs).
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    public var data: Data { Data(bytes) }
}

/// Writes straight to a file descriptor (standard output for `-o -`). Not atomic: use
/// `AtomicFileWriter` for files.
public final class FileDescriptorSink: ByteSink {
    public let fd: Int32
    public let name: String
    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }
    public static func standardOutput() -> FileDescriptorSink { FileDescriptorSink(fd: 1, name: "<stdout>") }
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try POSIXIO.writeAll(fd: fd, bytes, name: name)
    }
}

/// Writes a file so that readers see either the old file or the complete new one, never half.
///
/// The bytes go to a temporary file in the destination's directory (named `.NAME.tmp-XXXXXX`, so
/// it is on the same file system and hidden from `ls`). `commit()` flushes, fsyncs the file,
/// renames it over the destination and fsyncs the directory. On any error — or when the writer
/// is dropped without `commit()` — the temporary file is removed and an existing destination is
/// left untouched. An unwritable destination (missing directory, no permission, a directory in
/// the way) fails in `init`, before any work is done.
///
///     try AtomicFileWriter.write(to: url) { out in
///         try out.write("…")
///     }
public final class AtomicFileWriter: ByteSink {
    public let destination: URL
    public let temporaryURL: URL
    /// The destination as shown in messages.
    public let displayName: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private let bufferCapacity = 1 << 16
    private var finished = false
    private var cleanupSlot: Int?
    private let permissions: mode_t

    /// New output files are private: names, badges and results are personal data.
    public static let privateMode: mode_t = 0o600

    /// - Parameter permissions: mode of a new file (less the umask); an existing file keeps its
    ///   mode (and owner, when run as root).
    public init(destination: URL, permissions: mode_t = AtomicFileWriter.privateMode) throws {
        self.destination = destination
        self.displayName = destination.isFileURL ? destination.relativePath : destination.absoluteString
        try AtomicFileWriter.checkDestination(destination, displayName: displayName)
        let dir = destination.deletingLastPathComponent()
        var template = Array(dir.path.utf8CString.dropLast()) + Array("/.\(destination.lastPathComponent).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 {
            let e = errno
            throw AtomicFileWriter.creationError(errno: e, destination: destination, displayName: displayName)
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        self.temporaryURL = URL(fileURLWithPath: cStringArray(template))
        self.cleanupSlot = TemporaryFiles.register(temporaryURL.path)
        self.permissions = permissions
        fchmod(fd, 0o600)  // private while being written; the final mode is set before the rename
        buffer.reserveCapacity(bufferCapacity)
    }

    deinit {
        if !finished { abort() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else {
            throw SpreadsheetError(
                .writeFailed, file: displayName, en: "write after the file was committed or aborted", zh: "文件已提交或已放弃，不能再写入")
        }
        if buffer.count + bytes.count > bufferCapacity {
            try flushBuffer()
            if bytes.count >= bufferCapacity {
                try guarded { try POSIXIO.writeAll(fd: fd, bytes, name: displayName) }
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    /// Flushes, fsyncs and renames the file into place. After an error the temporary file is gone
    /// and the destination is unchanged.
    public func commit() throws {
        guard !finished else { return }
        try flushBuffer()
        try guarded {
            if fsync(fd) != 0 { throw AtomicFileWriter.ioError(errno, displayName, "fsync") }
            let rc = close(fd)
            fd = -1
            if rc != 0 { throw AtomicFileWriter.ioError(errno, displayName, "close") }
            try AtomicFileWriter.renameIntoPlace(
                temporary: temporaryURL, destination: destination, displayName: displayName, newFileMode: permissions)
        }
        finished = true
        TemporaryFiles.unregister(cleanupSlot)
        cleanupSlot = nil
    }

    /// Removes the temporary file; the destination is untouched. Safe to call more than once.
    public func abort() {
        if fd >= 0 { close(fd); fd = -1 }
        if !finished { unlink(temporaryURL.path) }
        finished = true
        TemporaryFiles.unregister(cleanupSlot)
        cleanupSlot = nil
    }

    /// Writes a whole file atomically: `body` writes, then the file is committed; if `body`
    /// throws, nothing changes on disk and the error is rethrown.
    public static func write(to destination: URL, permissions: mode_t = AtomicFileWriter.privateMode, _ body: (AtomicFileWriter) throws -> Void) throws {
        let w = try AtomicFileWriter(destination: destination, permissions: permissions)
        do {
            try body(w)
            try w.commit()
        } catch {
            w.abort()
            throw error
        }
    }

    private func flushBuffer() throws {
        guard !buffer.isEmpty else { return }
        try guarded {
            try buffer.withUnsafeBytes { try POSIXIO.writeAll(fd: fd, $0, name: displayName) }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Runs `body`; on error removes the temporary file before rethrowing.
    private func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch {
            abort()
            throw error
        }
    }

    // MARK: shared with XLSXWriter

    /// The one rule for every output file (`-o`): only a regular file is ever replaced.
    /// A directory, device, FIFO or socket at the path is refused, and so is a symbolic link
    /// (callers resolve it first with `OutputTarget.resolve(_:followSymlinks:)` when the user
    /// asked for `--follow-symlinks`). Checked before any work and again just before the rename.
    static func checkDestination(_ destination: URL, displayName: String) throws {
        guard destination.isFileURL, !destination.lastPathComponent.isEmpty, destination.lastPathComponent != "/" else {
            throw SpreadsheetError(.writeFailed, file: displayName, en: "not a file path", zh: "不是有效的文件路径")
        }
        _ = try existingRegularFile(destination, displayName: displayName)
        var st = stat()
        let dir = destination.deletingLastPathComponent().path
        if stat(dir, &st) != 0 {
            let e = errno
            throw SpreadsheetError(
                .writeFailed, file: displayName,
                en:
                    "cannot write the file: the directory \(dir) does not exist or is not reachable (\(String(cString: strerror(e))))",
                zh: "无法写入文件：目录 \(dir) 不存在或无法访问（\(posixMessageZh(e))）")
        }
        if (st.st_mode & S_IFMT) != S_IFDIR {
            throw SpreadsheetError(
                .writeFailed, file: displayName,
                en: "cannot write the file: \(dir) is not a directory",
                zh: "无法写入文件：\(dir) 不是目录")
        }
    }

    /// What is at `destination` now: nil when nothing is, the file's status when it is a regular
    /// file; anything else is an error naming what is there.
    static func existingRegularFile(_ destination: URL, displayName: String) throws -> stat? {
        var st = stat()
        if lstat(destination.path, &st) != 0 {
            let e = errno
            if e == ENOENT { return nil }
            throw SpreadsheetError(
                .writeFailed, file: displayName,
                en: "cannot write the file: \(String(cString: strerror(e)))",
                zh: "无法写入文件：\(posixMessageZh(e))")
        }
        let kind: (en: String, zh: String)
        switch st.st_mode & S_IFMT {
        case S_IFREG: return st
        case S_IFDIR: kind = ("a directory", "一个目录")
        case S_IFLNK:
            throw SpreadsheetError(
                .writeFailed, file: displayName,
                en:
                    "refusing to write: the path is a symbolic link (it would be replaced, or would redirect the output elsewhere); give the real path, or add --follow-symlinks to write to the file it points to",
                zh: "拒绝写入：该路径是符号链接（写入会替换链接本身，或把输出引向别处）；请给出实际路径，或加 --follow-symlinks 写入链接指向的文件")
        case S_IFCHR: kind = ("a character device", "字符设备")
        case S_IFBLK: kind = ("a block device", "块设备")
        case S_IFIFO: kind = ("a FIFO (named pipe)", "命名管道（FIFO）")
        case S_IFSOCK: kind = ("a socket", "套接字")
        default: kind = ("not a regular file", "非普通文件")
        }
        throw SpreadsheetError(
            .writeFailed, file: displayName,
            en: "refusing to write: the path is \(kind.en), not a regular file; only a regular file is ever replaced (use -o - for standard output)",
            zh: "拒绝写入：该路径是\(kind.zh)，不是普通文件；只会替换普通文件（输出到标准输出请用 -o -）")
    }

    /// The mode a finished file gets: an existing file's mode (its owner too, when we may), or
    /// for a new file `newFileMode` less the umask. Output files hold names, badges and results,
    /// so new ones are private (0600) unless a caller asks otherwise.
    static func applyFinalMode(fd: Int32, existing: stat?, newFileMode: mode_t) {
        if let existing {
            if existing.st_uid != geteuid() || existing.st_gid != getegid() {
                _ = fchown(fd, existing.st_uid, existing.st_gid)  // best effort: only root may give a file away
            }
            fchmod(fd, existing.st_mode & 0o777)
        } else {
            fchmod(fd, newFileMode & ~currentUmask() & 0o777)
        }
    }

    static func creationError(errno e: Int32, destination: URL, displayName: String) -> SpreadsheetError {
        let dir = destination.deletingLastPathComponent().path
        return SpreadsheetError(
            .writeFailed, file: displayName,
            en: "cannot create a file in \(dir): \(String(cString: strerror(e)))",
            zh: "无法在 \(dir) 中创建文件：\(posixMessageZh(e))")
    }

    static func ioError(_ e: Int32, _ displayName: String, _ what: String) -> SpreadsheetError {
        SpreadsheetError(
            .writeFailed, file: displayName,
            en: "writing the file failed (\(what)): \(String(cString: strerror(e))); the previous file, if any, is unchanged",
            zh: "写入文件失败（\(what)）：\(posixMessageZh(e))；原有文件（如有）保持不变")
    }

    /// Gives `temporary` (already complete and fsynced) its final mode, checks once more that the
    /// destination is absent or a regular file, renames it into place and fsyncs the directory.
    static func renameIntoPlace(
        temporary: URL, destination: URL, displayName: String, newFileMode: mode_t = AtomicFileWriter.privateMode
    ) throws {
        let existing = try existingRegularFile(destination, displayName: displayName)
        let tfd = open(temporary.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if tfd < 0 { throw ioError(errno, displayName, "open") }
        applyFinalMode(fd: tfd, existing: existing, newFileMode: newFileMode)
        close(tfd)
        if rename(temporary.path, destination.path) != 0 {
            throw ioError(errno, displayName, "rename")
        }
        let dfd = open(destination.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)  // best effort: some file systems refuse fsync on directories
            close(dfd)
        }
    }

    /// fsyncs a finished file given by path.
    static func syncFile(_ url: URL, displayName: String) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ioError(errno, displayName, "open") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ioError(errno, displayName, "fsync") }
    }

    /// Creates a private working directory next to `destination` (same file system, so the
    /// final rename is atomic): `.NAME.tmp-XXXXXX/`.
    static func makeWorkDirectory(for destination: URL, displayName: String) throws -> URL {
        try checkDestination(destination, displayName: displayName)
        let dir = destination.deletingLastPathComponent()
        var template = Array(dir.path.utf8CString.dropLast()) + Array("/.\(destination.lastPathComponent).tmp-XXXXXX".utf8CString)
        let ok = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        if !ok { throw creationError(errno: errno, destination: destination, displayName: displayName) }
        return URL(fileURLWithPath: cStringArray(template), isDirectory: true)
    }
}

private func currentUmask() -> mode_t {
    // umask can only be read by setting it; do it once and restore.
    let m = umask(0o022)
    umask(m)
    return m
}

enum POSIXIO {
    static func writeAll(fd: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
        var off = 0
        while off < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw AtomicFileWriter.ioError(errno, name, "write")
            }
            off += n
        }
    }
}

@inline(__always) private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    write(fd, p, n)
}

/// The text of a NUL-terminated CChar array.
private func cStringArray(_ chars: [CChar]) -> String {
    let bytes = chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}
