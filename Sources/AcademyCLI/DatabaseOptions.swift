import ArgumentParser
import Foundation
import Records

/// The shared database option: `--db PATH`, else `ACADEMY_DB`, else `academy.sqlite` in the
/// working directory. A `postgres://user@host:port/dbname` URL selects the PostgreSQL store.
/// Every command that touches the store takes it as `@OptionGroup`.
public struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: "数据库文件或 postgres:// 地址 / Database file or postgres:// URL (default: $ACADEMY_DB, else ./academy.sqlite).")
    public var db: String?

    public init() {}

    public var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ACADEMY_DB"], !env.isEmpty { return env }
        return "academy.sqlite"
    }

    /// Opens the store, or prints why not and exits 1.
    public func open() throws -> any EducationStore {
        do {
            return try openEducationStore(path)
        } catch {
            RecordsCLI.fail(error)
        }
    }
}

/// Small helpers shared by the staff, cycle, record and audit commands.
enum RecordsCLI {
    /// The interface language chosen by `--lang` / `ACADEMY_LANG` / `LANG` (see `L10n`).
    static var chinese: Bool { L10n.isChinese }

    static func text(_ zh: String, _ en: String) -> String { chinese ? zh : en }

    static func text(_ t: BilingualText) -> String { t.pick(chinese: chinese) }

    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints an error in the interface language and exits 1 (refusal or failure).
    static func fail(_ error: any Error) -> Never {
        if let e = error as? StaffImportError {
            for p in e.problems { stderr(p.render(chinese: chinese)) }
            stderr(text(e.message))
        } else if let e = error as? any BilingualError {
            stderr(text(e.message))
        } else {
            stderr("\(error)")
        }
        exit(1)
    }

    /// Runs `body`, turning any store error into a message and exit code 1.
    static func run<T>(_ body: () throws -> T) -> T {
        do { return try body() } catch let e as ExitCode { exit(e.rawValue) } catch { fail(error) }
    }

    /// The current time; `ACADEMY_NOW` (ISO 8601) overrides it for tests and rehearsals.
    static func now() -> Date { nowOverride() ?? Date() }

    /// The instant `ACADEMY_NOW` names, nil when it is unset. A value that is not an ISO 8601
    /// time is a usage error (exit 2), never silently ignored.
    static func nowOverride() -> Date? {
        guard let s = ProcessInfo.processInfo.environment["ACADEMY_NOW"], !s.isEmpty else { return nil }
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        stderr("ACADEMY_NOW: not an ISO 8601 time: \(s)")
        exit(2)
    }

    /// Local time `YYYY-MM-DD HH:MM`.
    static func dateTime(_ d: Date?, zone: TimeZone = .current) -> String {
        guard let d else { return "-" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    static func iso(_ d: Date?) -> Any {
        guard let d else { return NSNull() }
        let f = ISO8601DateFormatter()
        return f.string(from: d)
    }

    static func score(_ s: Double?) -> String {
        guard let s else { return "-" }
        return s == s.rounded() ? String(Int(s)) : String(format: "%.1f", s)
    }

    /// Columns padded by display width (CJK and full-width forms count two columns).
    static func table(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], width(c)) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - width(c))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            if v < 0x20 || (0x300...0x36F).contains(v) || v == 0x200B { return n }
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    static func json(_ object: Any) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
