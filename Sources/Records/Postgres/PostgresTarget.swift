import Foundation

/// Where a PostgreSQL store lives: parsed from a `postgres://user[:password]@host[:port]/dbname`
/// URL (or `postgresql://`), with the password from the URL, else `PGPASSWORD`, else `~/.pgpass`
/// (libpq's rules: `host:port:database:user:password`, `*` matches anything, the first match wins).
///
/// Query parameters: `sslmode` (`disable`, `prefer` — the default, as in libpq —, `require`),
/// `connect_timeout` in seconds (default 10).
public struct PostgresTarget: Sendable, Hashable, CustomStringConvertible {
    public enum SSLMode: String, Sendable { case disable, allow, prefer, require }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var connectTimeoutSeconds: Int

    /// Whether `spec` names a PostgreSQL store rather than a SQLite file.
    public static func isURL(_ spec: String) -> Bool {
        spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://")
    }

    /// The URL without its password, for messages.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    public init(
        url spec: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        pgpass: String? = nil
    ) throws {
        guard Self.isURL(spec), let components = URLComponents(string: spec) else {
            throw StoreError.server(target: Self.redacted(spec), detail: "not a postgres:// URL / 不是 postgres:// 地址")
        }
        let env = environment
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? env["PGHOST"] ?? "localhost"
        port = components.port ?? env["PGPORT"].flatMap(Int.init) ?? 5432
        user = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? env["PGUSER"] ?? env["USER"] ?? "postgres"
        var db = components.path
        if db.hasPrefix("/") { db.removeFirst() }
        database = db.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? env["PGDATABASE"] ?? user
        var mode = SSLMode.prefer
        var timeout = 10
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let v = item.value, let m = SSLMode(rawValue: v) else {
                    throw StoreError.server(
                        target: "postgres://\(user)@\(host):\(port)/\(database)",
                        detail: "sslmode=\(item.value ?? "") is not one of disable, allow, prefer, require / 不支持的 sslmode")
                }
                mode = m
            case "connect_timeout":
                guard let v = item.value.flatMap(Int.init), v > 0 else {
                    throw StoreError.server(
                        target: "postgres://\(user)@\(host):\(port)/\(database)",
                        detail: "connect_timeout must be a positive number of seconds / 连接超时须为正整数秒")
                }
                timeout = v
            default:
                continue  // libpq ignores nothing, but unknown options here are harmless
            }
        }
        if let m = env["PGSSLMODE"].flatMap(SSLMode.init(rawValue:)), !(components.queryItems ?? []).contains(where: { $0.name == "sslmode" }) {
            mode = m
        }
        sslMode = mode
        connectTimeoutSeconds = timeout
        if let p = components.password {
            password = p.removingPercentEncoding ?? p
        } else if let p = env["PGPASSWORD"] {
            password = p
        } else {
            let file = pgpass ?? env["PGPASSFILE"] ?? (env["HOME"].map { $0 + "/.pgpass" } ?? "")
            password = Self.lookup(pgpass: file, host: host, port: port, database: database, user: user)
        }
    }

    static func lookup(pgpass path: String, host: String, port: Int, database: String, user: String) -> String? {
        guard !path.isEmpty, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let fields = splitPgpass(String(line))
            guard fields.count == 5 else { continue }
            let want = [host, String(port), database, user]
            if zip(fields.prefix(4), want).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits on unescaped colons; `\:` and `\\` are literal.
    static func splitPgpass(_ line: String) -> [String] {
        var out: [String] = [], cur = "", escaped = false
        for ch in line {
            if escaped { cur.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == ":" {
                out.append(cur)
                cur = ""
            } else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }

    /// `spec` with any password replaced, for messages.
    public static func redacted(_ spec: String) -> String {
        guard var c = URLComponents(string: spec) else { return "postgres://…" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "postgres://…"
    }
}
