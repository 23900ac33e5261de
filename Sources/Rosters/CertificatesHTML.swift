import Foundation
import Localization
import Records

/// `certs.html`: A4 pages of six certificates (two across, three down) with dashed cut lines.
/// Each certificate carries its fields in `data-k` cells so that `academy record verify
/// --file certs.html` can read back exactly what is printed.
public enum CertificatesHTML {
    public static let perPage = 6

    public static func html(_ certs: [Certificate], context: RosterContext, issuer: String?) -> String {
        let c = context.chinese
        func t(_ zh: String, _ en: String) -> String { RosterReport.escape(c ? zh : en) }
        var h = """
            <!DOCTYPE html>
            <html lang="\(c ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <title>\(t("培训合格证明", "Training certificates")) · \(RosterReport.escape(context.cycle.id))</title>
            <style>
            @page { size: A4; margin: 8mm; }
            * { box-sizing: border-box; }
            body { margin: 0; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; color: #111; }
            .page { display: grid; grid-template-columns: 97mm 97mm; grid-template-rows: repeat(3, 93.6mm); break-after: page; }
            .page:last-child { break-after: auto; }
            .cert { border: 0.4pt dashed #888; padding: 6mm 7mm; position: relative; overflow: hidden; }
            .cert h2 { text-align: center; font-size: 15pt; letter-spacing: 0.3em; margin: 0 0 1mm; }
            .cert .sub { text-align: center; font-size: 8.5pt; color: #444; margin-bottom: 3mm; }
            .cert table { width: 100%; border-collapse: collapse; font-size: 10pt; }
            .cert th { text-align: left; font-weight: normal; color: #444; white-space: nowrap; width: 18mm; padding: 0.6mm 0; vertical-align: top; }
            .cert td { padding: 0.6mm 0; word-break: break-all; }
            .cert .issuer { position: absolute; right: 7mm; bottom: 12mm; font-size: 9.5pt; }
            .cert .code { position: absolute; left: 7mm; right: 7mm; bottom: 5mm; font-size: 7.5pt; color: #333; }
            .cert .code span { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
            </style>
            </head>
            <body>

            """
        for start in stride(from: 0, to: certs.count, by: perPage) {
            h += "<div class=\"page\">\n"
            for cert in certs[start..<min(start + perPage, certs.count)] { h += card(cert, context: context, issuer: issuer, t) }
            h += "</div>\n"
        }
        if certs.isEmpty { h += "<p>\(t("没有已完成培训的人员。", "Nobody has completed this cycle."))</p>\n" }
        return h + "</body>\n</html>\n"
    }

    static func card(_ cert: Certificate, context: RosterContext, issuer: String?, _ t: (String, String) -> String) -> String {
        let e = RosterReport.escape
        var h = "<section class=\"cert\" data-code=\"\(e(cert.code))\" data-cycle=\"\(e(cert.cycleID))\">\n"
        h += "<h2>\(t("培训合格证明", "Certificate"))</h2>\n"
        h += "<div class=\"sub\">\(e(context.cycle.title))</div>\n<table>\n"
        for f in cert.fields() {
            h += "<tr><th>\(t(f.zh, f.en))</th><td data-k=\"\(f.key)\">\(e(f.value))</td></tr>\n"
        }
        h += "</table>\n"
        if let issuer { h += "<div class=\"issuer\">\(e(issuer))\(t("（盖章）", " (seal)"))</div>\n" }
        h += "<div class=\"code\">\(t("验证码", "Verification code"))：<span>\(e(cert.code))</span></div>\n</section>\n"
        return h
    }

    /// The certificates printed in the file at `path` (see `read(_:)`); a missing file or one
    /// without any certificate is an error.
    public static func read(file path: String) throws -> [(code: String, fields: [String: String])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RosterError.unreadable(path: path, reason: BilingualText("no such file / 文件不存在"))
        }
        let printed = read(String(decoding: data, as: UTF8.self))
        if printed.isEmpty { throw NoCertificate(message: BilingualText(zh: "\(path)：没有找到证明", en: "\(path): no certificate found")) }
        return printed
    }

    /// A file that holds no certificate.
    public struct NoCertificate: BilingualError {
        public var message: BilingualText
    }

    /// The certificates printed in a file made by `html`: code and the `data-k` fields of each.
    /// Text is unescaped; a section without a code is skipped (it cannot be checked).
    public static func read(_ html: String) -> [(code: String, fields: [String: String])] {
        var out: [(String, [String: String])] = []
        for part in html.components(separatedBy: "<section class=\"cert\"").dropFirst() {
            guard let code = capture(part, #"data-code="([^"]*)""#).first else { continue }
            var fields: [String: String] = [:]
            for m in captures(part, #"<td data-k="([a-z]+)">([^<]*)</td>"#) { fields[m[0]] = unescape(m[1]) }
            out.append((unescape(code), fields))
        }
        return out
    }

    static func capture(_ s: String, _ pattern: String) -> [String] { captures(s, pattern).first ?? [] }

    static func captures(_ s: String, _ pattern: String) -> [[String]] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
            (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
        }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
