@preconcurrency import Crypto
import Foundation
import Localization
import Records
import NIOSSH

#if canImport(Glibc)
    import Glibc
#endif

/// Why a host key file cannot be used. Each message names the file and what to do.
public struct HostKeyError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
}

/// A host key the hall cannot use (missing, unreadable, readable by others, not Ed25519).
public struct HostKeyRefused: BilingualError, Equatable {
    public var reason: String
    public var message: BilingualText { BilingualText(zh: "主机密钥不可用：", en: "host key refused: ") + reason }
}

/// The hall's Ed25519 host key, kept in OpenSSH's own private-key format (what `ssh-keygen -t
/// ed25519 -N ''` writes), so an administrator can bring one with `--host-key` or inspect ours
/// with `ssh-keygen -l -f`.
public struct HostKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(privateKey: Curve25519.Signing.PrivateKey) { self.privateKey = privateKey }

    public var sshKey: NIOSSHPrivateKey { NIOSSHPrivateKey(ed25519Key: privateKey) }

    /// The wire form of the public key (`string "ssh-ed25519" || string key`).
    public var publicBlob: [UInt8] { Self.blob(privateKey.publicKey.rawRepresentation) }

    /// `SHA256:…`, exactly as `ssh` and `ssh-keygen -l` print it.
    public var fingerprint: String { Self.fingerprint(blob: publicBlob) }

    /// `ssh-ed25519 AAAA… comment`, for known_hosts lines and the slips.
    public func publicLine(comment: String = "academy-hall") -> String {
        "ssh-ed25519 " + Data(publicBlob).base64EncodedString() + (comment.isEmpty ? "" : " " + comment)
    }

    public static func fingerprint(blob: [UInt8]) -> String {
        var b64 = Data(SHA256.hash(data: blob)).base64EncodedString()
        while b64.hasSuffix("=") { b64.removeLast() }
        return "SHA256:" + b64
    }

    static func blob(_ raw: Data) -> [UInt8] {
        var out: [UInt8] = []
        out.appendSSHString(Array("ssh-ed25519".utf8))
        out.appendSSHString(Array(raw))
        return out
    }

    /// Where the key lives when `--host-key` is not given: beside a SQLite database file; for a
    /// PostgreSQL database (no file to sit beside), in the working directory, named after the
    /// server and database (never the password), e.g. `db.example.cn-5432-city.hall_ed25519_key`.
    public static func defaultPath(database: String) -> String {
        guard PostgresTarget.isURL(database) else { return database + ".hall_ed25519_key" }
        guard let t = try? PostgresTarget(url: database, environment: [:], pgpass: "") else { return "academy.hall_ed25519_key" }
        let name = "\(t.host)-\(t.port)-\(t.database)".map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" }
        return String(name) + ".hall_ed25519_key"
    }

    /// The hall's key for `hall serve` and `hall codes`: the file `explicit` names (`--host-key`),
    /// which must exist, else the one at `defaultPath(database:)`, created on first use. Any
    /// problem with it is `HostKeyRefused`.
    public static func forHall(explicit: String?, database: String) throws(HostKeyRefused) -> (
        key: HostKey, created: Bool, path: String
    ) {
        let path = explicit ?? defaultPath(database: database)
        do {
            let (key, created) = try loadOrCreate(path: path, createIfMissing: explicit == nil)
            return (key, created, path)
        } catch {
            throw HostKeyRefused(reason: "\(error)")
        }
    }

    /// Loads the key at `path`; when `createIfMissing` and there is no file, makes a new key
    /// there with mode 0600 (and a `.pub` beside it). Returns the key and whether it was created.
    public static func loadOrCreate(path: String, createIfMissing: Bool) throws -> (HostKey, created: Bool) {
        if access(path, F_OK) != 0 {
            guard createIfMissing else { throw HostKeyError(path: path, problem: "no such file") }
            let key = HostKey(privateKey: Curve25519.Signing.PrivateKey())
            try key.write(to: path)
            return (key, true)
        }
        return (try load(path: path), false)
    }

    /// Reads an unencrypted OpenSSH Ed25519 private key, refusing one that others can read.
    public static func load(path: String) throws -> HostKey {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw HostKeyError(path: path, problem: String(cString: strerror(errno)))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw HostKeyError(path: path, problem: "not a regular file") }
        if st.st_mode & 0o077 != 0 {
            throw HostKeyError(
                path: path,
                problem: String(
                    format: "permissions %04o are too open: a host key must be readable by its owner only (chmod 600 %@)",
                    Int(st.st_mode & 0o7777), path))
        }
        if st.st_uid != geteuid() {
            throw HostKeyError(path: path, problem: "owned by uid \(st.st_uid), not by the user running the hall")
        }
        guard st.st_size < 64 * 1024, let data = FileManager.default.contents(atPath: path) else {
            throw HostKeyError(path: path, problem: "cannot be read or is too large for a key")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let end = "-----END OPENSSH PRIVATE KEY-----"
    static let magic = Array("openssh-key-v1\u{0}".utf8)

    static func parse(_ text: String, path: String) throws -> HostKey {
        func bad(_ why: String) -> HostKeyError {
            HostKeyError(path: path, problem: "not an OpenSSH Ed25519 private key (\(why)); make one with ssh-keygen -t ed25519 -N ''")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let b = lines.firstIndex(of: begin), let e = lines.firstIndex(of: end), b < e else {
            throw bad("no \(begin) block")
        }
        guard let data = Data(base64Encoded: lines[(b + 1)..<e].joined()) else { throw bad("bad base64") }
        var r = SSHReader(Array(data))
        guard r.take(magic.count) == magic else { throw bad("bad magic") }
        let cipher = r.string(), kdf = r.string()
        _ = r.string()
        guard let cipher, let kdf else { throw bad("truncated header") }
        if cipher != Array("none".utf8) || kdf != Array("none".utf8) {
            throw HostKeyError(
                path: path,
                problem: "the key is protected by a passphrase; the hall starts unattended and needs an unencrypted key (ssh-keygen -p -N '' -f \(path))")
        }
        guard r.uint32() == 1 else { throw bad("not exactly one key") }
        guard let pubBlob = r.string(), let priv = r.string() else { throw bad("truncated") }
        var p = SSHReader(priv)
        guard let c1 = p.uint32(), let c2 = p.uint32(), c1 == c2 else { throw bad("check words differ") }
        guard let type = p.string() else { throw bad("truncated private section") }
        guard type == Array("ssh-ed25519".utf8) else {
            throw HostKeyError(
                path: path,
                problem: "key type \(String(decoding: type, as: UTF8.self)) is not supported; the hall uses Ed25519 (ssh-keygen -t ed25519)")
        }
        guard let pk = p.string(), pk.count == 32, let sk = p.string(), sk.count == 64, Array(sk[32...]) == pk else {
            throw bad("malformed Ed25519 fields")
        }
        guard pubBlob == blob(Data(pk)) else { throw bad("public and private parts differ") }
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: sk[0..<32]),
            Array(key.publicKey.rawRepresentation) == pk
        else { throw bad("the private key does not match its public key") }
        return HostKey(privateKey: key)
    }

    /// The OpenSSH private-key text of this key.
    public func openSSHText(comment: String = "academy-hall") -> String {
        let pk = Array(privateKey.publicKey.rawRepresentation)
        var check: UInt32 = 0
        withUnsafeMutableBytes(of: &check) { for i in 0..<$0.count { $0[i] = UInt8.random(in: 0...255) } }
        var priv: [UInt8] = []
        priv.appendUInt32(check)
        priv.appendUInt32(check)
        priv.appendSSHString(Array("ssh-ed25519".utf8))
        priv.appendSSHString(pk)
        priv.appendSSHString(Array(privateKey.rawRepresentation) + pk)
        priv.appendSSHString(Array(comment.utf8))
        var pad: UInt8 = 1
        while priv.count % 8 != 0 {
            priv.append(pad)
            pad += 1
        }
        var out = Self.magic
        out.appendSSHString(Array("none".utf8))
        out.appendSSHString(Array("none".utf8))
        out.appendSSHString([])
        out.appendUInt32(1)
        out.appendSSHString(publicBlob)
        out.appendSSHString(priv)
        let b64 = Data(out).base64EncodedString()
        var wrapped: [String] = []
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 70, limitedBy: b64.endIndex) ?? b64.endIndex
            wrapped.append(String(b64[i..<j]))
            i = j
        }
        return ([Self.begin] + wrapped + [Self.end]).joined(separator: "\n") + "\n"
    }

    /// Writes the key with mode 0600 (created exclusively: never over an existing file) and its
    /// `.pub` with mode 0644.
    func write(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw HostKeyError(path: path, problem: "cannot create: \(String(cString: strerror(errno)))") }
        let bytes = Array(openSSHText().utf8)
        let ok = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count && fsync(fd) == 0
        close(fd)
        guard ok else {
            unlink(path)
            throw HostKeyError(path: path, problem: "cannot write: \(String(cString: strerror(errno)))")
        }
        try? (publicLine() + "\n").write(toFile: path + ".pub", atomically: true, encoding: .utf8)
    }
}

extension Array where Element == UInt8 {
    mutating func appendUInt32(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }

    mutating func appendSSHString(_ s: [UInt8]) {
        appendUInt32(UInt32(s.count))
        append(contentsOf: s)
    }
}

/// Reads SSH wire encodings (uint32, length-prefixed string) from bytes; nil when truncated.
struct SSHReader {
    let bytes: [UInt8]
    var offset = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ n: Int) -> [UInt8]? {
        guard n >= 0, offset + n <= bytes.count else { return nil }
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    mutating func uint32() -> UInt32? {
        guard let b = take(4) else { return nil }
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() -> [UInt8]? {
        guard let n = uint32(), n <= 1 << 20 else { return nil }
        return take(Int(n))
    }
}

/// An officer's SSH public key line (`ssh-ed25519 AAAA… comment`), checked and normalised.
public struct OfficerPublicKey: Sendable, Hashable {
    /// `ssh-ed25519 AAAA…` without the comment.
    public var line: String
    public var fingerprint: String

    /// A key file that cannot be read or holds no usable key; the message names the file.
    public struct Invalid: BilingualError {
        public var message: BilingualText
        public var description: String { message.en }
        init(description: String) { message = BilingualText(description) }
        init(message: BilingualText) { self.message = message }
    }

    /// The key in the file at `path`, as `init(text:file:)` reads it.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(message: BilingualText(zh: "无法读取 \(path)", en: "cannot read \(path)"))
        }
        try self.init(text: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Accepts Ed25519, ECDSA P-256/384/521 keys (what swift-nio-ssh verifies); refuses RSA
    /// (not supported by the hall's SSH library) and anything malformed, naming the line.
    public init(text: String, file: String) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1 else {
            throw Invalid(description: "\(file): expected exactly one public key line, found \(lines.count)")
        }
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { throw Invalid(description: "\(file):1: not an OpenSSH public key line") }
        let type = String(parts[0])
        let supported = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]
        guard supported.contains(type) else {
            throw Invalid(
                description:
                    "\(file):1: key type \(type) is not supported by the hall; use ssh-ed25519 (ssh-keygen -t ed25519)")
        }
        let normalised = type + " " + parts[1]
        guard (try? NIOSSHPublicKey(openSSHPublicKey: normalised)) != nil, let blob = Data(base64Encoded: String(parts[1]))
        else { throw Invalid(description: "\(file):1: the key data is malformed") }
        line = normalised
        fingerprint = HostKey.fingerprint(blob: Array(blob))
    }
}
