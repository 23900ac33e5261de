#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Quoting user input in messages: one rule for every error that echoes what it was given.
public enum InputQuote {
    /// At most this many characters (Unicode scalars) of input appear in a message.
    public static let limit = 200

    /// `text` as it may appear in a message: the first `limit` characters then `…` when longer,
    /// with control characters (line breaks, ESC, …) written as `\u{…}` so input can neither
    /// break a message over lines nor drive the terminal. Reads at most `limit + 1` characters,
    /// so quoting a 10 MB field costs nothing.
    public static func clip<S: StringProtocol>(_ text: S, limit: Int = InputQuote.limit) -> String {
        var out = ""
        var n = 0
        for u in text.unicodeScalars {
            if n == limit {
                out += "…"
                return out
            }
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
            n += 1
        }
        return out
    }
}

/// Opening input files without ever blocking: a FIFO, socket or device named as input would
/// otherwise hang `open` or `read` forever (`mkfifo d/f.xml; academy lint d`).
public enum RegularFile {
    /// Why a path cannot be read as a file; `en`/`zh` complete "cannot read …: ".
    public struct Refusal: Error, Sendable {
        public var en: String
        public var zh: String
    }

    /// What is at `path`, for a path that is not a regular file (nil when it is one, or when
    /// nothing is there). Symbolic links are followed.
    public static func kindIfNotRegular(_ path: String) -> (en: String, zh: String)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return kind(st.st_mode)
    }

    static func kind(_ mode: mode_t) -> (en: String, zh: String)? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return ("a directory", "目录")
        case S_IFCHR: return ("a character device", "字符设备")
        case S_IFBLK: return ("a block device", "块设备")
        case S_IFIFO: return ("a FIFO (named pipe)", "命名管道（FIFO）")
        case S_IFSOCK: return ("a socket", "套接字")
        default: return ("not a regular file", "非普通文件")
        }
    }

    /// Opens `path` for reading only if it is a regular file: `O_NONBLOCK` keeps `open` from
    /// waiting on a FIFO, `fstat` on the open descriptor decides, and blocking mode is restored
    /// for the read. Returns the descriptor (close-on-exec) and the file's size.
    public static func open(_ path: String) -> Result<(fd: Int32, size: Int), Refusal> {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 {
            let e = errno
            return .failure(Refusal(en: String(cString: strerror(e)), zh: posixReasonZh(e)))
        }
        var st = stat()
        if fstat(fd, &st) != 0 {
            let e = errno
            close(fd)
            return .failure(Refusal(en: String(cString: strerror(e)), zh: posixReasonZh(e)))
        }
        if let k = kind(st.st_mode) {
            close(fd)
            return .failure(Refusal(en: "\(k.en), not a regular file", zh: "\(k.zh)，不是普通文件"))
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return .success((fd, Int(st.st_size)))
    }

    /// The whole of a small regular file (at most `limit` bytes), for lists and other side
    /// files; never blocks on a FIFO and never reads a device forever.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Refusal> {
        let fd: Int32
        switch open(path) {
        case .failure(let r): return .failure(r)
        case .success(let opened):
            if opened.size > limit {
                close(opened.fd)
                return .failure(
                    Refusal(
                        en: "the file is \(opened.size) bytes, more than the limit of \(limit)",
                        zh: "文件大小为 \(opened.size) 字节，超过上限 \(limit) 字节"))
            }
            fd = opened.fd
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                return .failure(Refusal(en: String(cString: strerror(e)), zh: posixReasonZh(e)))
            }
            if n == 0 { return .success(out) }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit {
                return .failure(
                    Refusal(en: "the file is larger than the limit of \(limit) bytes", zh: "文件超过上限 \(limit) 字节"))
            }
        }
    }
}

/// Chinese for the errno values file readers and writers meet; others fall back to the system text.
public func posixReasonZh(_ e: Int32) -> String {
    switch e {
    case ENOENT: return "文件或目录不存在"
    case EACCES, EPERM: return "没有权限"
    case EISDIR: return "这是一个目录"
    case ENOTDIR: return "路径中的某一部分不是目录"
    case ENOSPC: return "磁盘空间不足"
    case EROFS: return "文件系统为只读"
    case EDQUOT: return "超出磁盘配额"
    case EIO: return "输入/输出错误"
    case ENAMETOOLONG: return "文件名过长"
    case EEXIST: return "文件已存在"
    case EXDEV: return "不能跨文件系统重命名"
    case ELOOP: return "符号链接层数过多"
    default: return String(cString: strerror(e))
    }
}
