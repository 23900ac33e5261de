/// Moodle question text is HTML. It is reduced to plain text here, never rendered: script and
/// style elements are dropped with their content, comments dropped, every other tag removed
/// (block ends become spaces), entities decoded once. The result is text; whatever it contains
/// (`<script>` written as `&lt;script&gt;` included) is escaped again when the bank is written.
enum HTMLText {
    static func plain(_ html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func lowerMatch(_ at: Int, _ word: String) -> Bool {
            let w = Array(word.unicodeScalars)
            guard at + w.count <= s.count else { return false }
            for k in 0..<w.count where s[at + k].properties.lowercaseMapping != String(w[k]) { return false }
            return true
        }
        func skip(past word: String, from: Int) -> Int {
            var j = from
            while j < s.count {
                if lowerMatch(j, word) { return j + word.unicodeScalars.count }
                j += 1
            }
            return s.count
        }
        while i < s.count {
            let c = s[i]
            if c == "<" {
                if lowerMatch(i, "<!--") {
                    i = skip(past: "-->", from: i + 4)
                    continue
                }
                if lowerMatch(i, "<script") || lowerMatch(i, "<style") {
                    let name = lowerMatch(i, "<script") ? "</script" : "</style"
                    i = skip(past: name, from: i + 1)
                    i = skip(past: ">", from: i)
                    continue
                }
                // A tag: `<` followed by a letter, `/` or `!`. Anything else is a literal `<`.
                if i + 1 < s.count, s[i + 1].properties.isAlphabetic || s[i + 1] == "/" || s[i + 1] == "!" {
                    var j = i + 1
                    var quote: Unicode.Scalar? = nil
                    while j < s.count {
                        if let q = quote {
                            if s[j] == q { quote = nil }
                        } else if s[j] == "\"" || s[j] == "'" {
                            quote = s[j]
                        } else if s[j] == ">" {
                            break
                        }
                        j += 1
                    }
                    let tag = String(String.UnicodeScalarView(s[(i + 1)..<min(j, s.count)])).lowercased()
                    let name = tag.split(whereSeparator: { $0 == " " || $0 == ">" }).first ?? ""
                    if ["br", "br/", "p", "/p", "div", "/div", "li", "/li", "tr", "/tr", "td", "/td", "/h1", "/h2", "/h3"]
                        .contains(String(name))
                    {
                        out.append(" ")
                    }
                    i = j + 1
                    continue
                }
            }
            if c == "&" {
                var j = i + 1
                while j < s.count && j - i <= 10 && s[j] != ";" { j += 1 }
                if j < s.count && s[j] == ";" {
                    let name = String(String.UnicodeScalarView(s[(i + 1)..<j]))
                    if let decoded = entity(name) {
                        out.append(decoded)
                        i = j + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return QuestionDraft.clean(String(out))
    }

    static func entity(_ name: String) -> Unicode.Scalar? {
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            return UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).flatMap(allowed)
        }
        if name.hasPrefix("#") { return UInt32(name.dropFirst(1)).flatMap(Unicode.Scalar.init).flatMap(allowed) }
        let table: [String: UInt32] = [
            "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0x20, "ldquo": 0x201C,
            "rdquo": 0x201D, "lsquo": 0x2018, "rsquo": 0x2019, "hellip": 0x2026, "mdash": 0x2014, "ndash": 0x2013,
            "middot": 0xB7, "times": 0xD7, "divide": 0xF7, "deg": 0xB0, "copy": 0xA9, "reg": 0xAE, "yen": 0xA5,
            "ensp": 0x20, "emsp": 0x20, "thinsp": 0x20,
        ]
        return table[name].flatMap(Unicode.Scalar.init)
    }

    private static func allowed(_ u: Unicode.Scalar) -> Unicode.Scalar? {
        u.value == 0x9 || u.value == 0xA || u.value == 0xD || (u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF)
            ? u : nil
    }
}
