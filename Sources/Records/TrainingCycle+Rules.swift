import Foundation
import XMLSupport

extension TrainingCycle {
    /// Ids are plain identifiers: they name files (exports, reports) and appear in paths and
    /// URLs, so `../etc`, spaces and control characters are refused. Letters, digits, `.`, `_`,
    /// `-`; starting with a letter or digit; at most 64 characters; no `..`.
    public static func isPlainIdentifier(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), !id.contains("..") else { return false }
        func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard alnum(bytes[0]) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// Dates a cycle may use: years 1970 to 9999 (year 0000 and the like are typing mistakes,
    /// and Foundation's calendar gives them no sensible window).
    public static let yearRange = 1970...9999

    /// The cycle as a store creates it (department paths normalized), or the first rule it breaks,
    /// thrown. Both stores call this, so they refuse the same cycles.
    public func preparedForCreation() throws -> TrainingCycle {
        var cycle = self
        cycle.departments = cycle.departments.map(DepartmentPath.normalize).filter { !$0.isEmpty }
        guard !cycle.id.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid(field: "id", detail: "empty / 为空")
        }
        if let violation = cycle.ruleViolation() { throw violation }
        guard cycle.opens <= cycle.due else {
            throw StoreError.invalid(field: "due", detail: "\(cycle.due) is before opens \(cycle.opens) / 截止日期早于开始日期")
        }
        return cycle
    }

    /// The first rule a new cycle breaks, or nil. `createCycle` refuses such a cycle; the CLI
    /// checks the same rules before opening the database.
    public func ruleViolation() -> StoreError? {
        if !Self.isPlainIdentifier(id) {
            return .invalid(
                field: "id",
                detail:
                    "“\(InputQuote.clip(id, limit: 80))” 不是简单标识符（只能用字母、数字、.、_、-，以字母或数字开头，最多 64 个字符，不含 ..）/ '\(InputQuote.clip(id, limit: 80))' is not a plain identifier (letters, digits, '.', '_', '-'; starting with a letter or digit; at most 64 characters; no '..')"
            )
        }
        for (field, day) in [("opens", opens), ("due", due)] where !Self.yearRange.contains(day.year) {
            return .invalid(
                field: field,
                detail:
                    "\(day) 的年份超出 \(Self.yearRange.lowerBound)–\(Self.yearRange.upperBound) / the year of \(day) is outside \(Self.yearRange.lowerBound)–\(Self.yearRange.upperBound)"
            )
        }
        if TimeZone(identifier: timeZoneID) == nil {
            return .invalid(
                field: "TZ",
                detail:
                    "未知的时区“\(InputQuote.clip(timeZoneID, limit: 80))”（应为 IANA 时区名，如 Asia/Shanghai）/ unknown time zone '\(InputQuote.clip(timeZoneID, limit: 80))' (use an IANA name such as Asia/Shanghai)"
            )
        }
        if title.unicodeScalars.count > 200 {
            return .invalid(field: "title", detail: "标题超过 200 个字符 / the title is longer than 200 characters")
        }
        return nil
    }

    /// The zone named by the `TZ` environment variable (a leading `:` is allowed), the system
    /// zone when `TZ` is unset or empty, or nil when `TZ` names no known zone — which
    /// Foundation would otherwise silently turn into UTC.
    public static func zoneFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Result<String, StoreError>
    {
        guard var tz = environment["TZ"], !tz.isEmpty else { return .success(TimeZone.current.identifier) }
        if tz.hasPrefix(":") { tz.removeFirst() }
        if tz.hasPrefix("/") {
            // TZ=/usr/share/zoneinfo/Asia/Shanghai: the zone is the path below zoneinfo/.
            if let r = tz.range(of: "zoneinfo/") { tz = String(tz[r.upperBound...]) }
        }
        guard let zone = TimeZone(identifier: tz) else {
            return .failure(
                .invalid(
                    field: "TZ",
                    detail:
                        "未知的时区“\(InputQuote.clip(tz, limit: 80))”，周期窗口无法按它计算（应为 IANA 时区名，如 Asia/Shanghai）/ unknown time zone '\(InputQuote.clip(tz, limit: 80))'; the cycle's window cannot be computed in it (use an IANA name such as Asia/Shanghai)"
                ))
        }
        return .success(zone.identifier)
    }
}
