import Foundation

/// A typed value for the writers. The CSV writer renders it as text; the XLSX writer stores it
/// with the matching cell type and number format.
public enum CellValue: Sendable, Hashable {
    case text(String)
    case integer(Int)
    /// A finite number (NaN and infinities are refused with a clear error).
    case number(Double)
    /// A fraction shown as a percentage: 0.925 → "92.5%" (CSV) / 0.925 with format `0.0%` (XLSX).
    case percent(Double)
    /// A calendar day: the date of the instant in the writer's time zone.
    case date(Date)
    /// An instant shown as local date and time (seconds) in the writer's time zone.
    case dateTime(Date)
    case boolean(Bool)
    case empty
}

extension CellValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension CellValue {
    /// `.text(s)` for a non-nil string, `.empty` for nil.
    public static func optionalText(_ s: String?) -> CellValue { s.map(CellValue.text) ?? .empty }
}

/// Calendar arithmetic without Calendar objects (fast for 100,000-row exports).
enum CivilTime {
    /// Seconds since 1970-01-01T00:00 local time for an instant in `timeZone`.
    static func localSeconds(_ date: Date, _ timeZone: TimeZone) -> Double {
        date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
    }

    /// (year, month, day) of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// "yyyy-MM-dd"
    static func isoDay(_ date: Date, _ tz: TimeZone) -> String {
        let days = Int((localSeconds(date, tz) / 86_400).rounded(.down))
        let c = civil(fromDays: days)
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
    }

    /// "yyyy-MM-dd HH:mm:ss"
    static func isoDateTime(_ date: Date, _ tz: TimeZone) -> String {
        let local = Int(localSeconds(date, tz).rounded(.down))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - days * 86_400
        let c = civil(fromDays: days)
        return
            "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
    }

    /// Excel's serial day number (1900 date system): days since 1899-12-30 in local time.
    static func excelSerial(_ date: Date, _ tz: TimeZone, wholeDay: Bool) -> Double {
        let local = localSeconds(date, tz)
        if wholeDay { return (local / 86_400).rounded(.down) + 25_569 }
        // Round to whole seconds so that 14:30:00 does not show as 14:29:59.
        return local.rounded(.down) / 86_400 + 25_569
    }
}

enum NumberText {
    /// Shortest text that reads back as the same Double, without a trailing ".0".
    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 {
            return String(Int64(d))
        }
        return "\(d)"
    }

    /// Percentage text for a fraction: 0.925 → "92.5%" (rounded to 6 decimals to hide binary noise).
    static func percent(_ fraction: Double) -> String {
        let scaled = (fraction * 100 * 1_000_000).rounded() / 1_000_000
        return format(scaled) + "%"
    }
}
