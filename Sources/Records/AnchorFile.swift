import Foundation
import Localization

#if canImport(Glibc)
    import Glibc
#endif

/// Appending one line to an anchor file: never truncates, never follows a symlink, never writes
/// into anything but a regular file, and the line goes out in one write(2) with O_APPEND.
public enum AnchorFile {
    /// Why the line was not appended.
    public struct Failure: BilingualError {
        public var message: BilingualText
        init(zh: String, en: String) { message = BilingualText(zh: zh, en: en) }
    }

    /// Appends the head, event count and `at` of `store` to the anchor file at `path` and
    /// returns the line written (with its newline). Only a store that verifies is anchored: an
    /// anchor of a tampered store would vouch for it.
    public static func anchor(_ store: any EducationStore, at: Date, to path: String) throws -> String {
        let v = try store.verifyChain()
        guard v.isIntact else {
            throw Failure(
                zh: v.message.zh + "\n数据库未通过校验，未写入留存文件", en: v.message.en + "\nthe database does not verify; nothing was anchored")
        }
        let line = AuditHeadToken.anchorLine(v.head, eventCount: v.eventCount, at: at) + "\n"
        try append(line, to: path)
        return line
    }

    public static func append(_ line: String, to path: String) throws {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            if errno == ELOOP {
                throw Failure(zh: "\(path)：是符号链接，拒绝写入", en: "\(path): is a symbolic link; refusing to write")
            }
            throw Failure(zh: "\(path)：无法打开（\(why)）", en: "\(path): cannot open (\(why))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(zh: "\(path)：不是普通文件，拒绝写入", en: "\(path): not a regular file; refusing to write")
        }
        // A previous line cut short (disk full) must not swallow this one.
        if st.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, st.st_size - 1) == 1, last != 0x0A {
                throw Failure(
                    zh: "\(path)：最后一行不完整（不以换行结束），请先检查该文件", en: "\(path): its last line is incomplete (no newline); check the file first")
            }
        }
        let bytes = Array(line.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let why = written < 0 ? String(cString: strerror(errno)) : "short write"
            throw Failure(zh: "\(path)：写入失败（\(why)）", en: "\(path): write failed (\(why))")
        }
        guard fsync(fd) == 0 else {
            throw Failure(zh: "\(path)：写入磁盘失败", en: "\(path): could not flush to disk")
        }
    }
}
