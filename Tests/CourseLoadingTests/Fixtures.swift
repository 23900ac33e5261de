import CourseLoading
import Courseware
import XCTest
import XMLSupport

/// A small, valid content set (0 errors, 0 warnings). Tests change one thing and put a marker
/// `⟦code⟧` right before the element where the diagnostic `code` must be reported.
enum Fixtures {
    static let xsi = #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#

    static let provisions = """
        <?xml version="1.0" encoding="UTF-8"?>
        <provisions \(xsi) xsi:noNamespaceSchemaLocation="../schemas/provisions.xsd" id="notice" title="通知">
          <source>住房城乡建设部 2018</source>
          <section id="s1" number="一" title="总则">
            <provision id="p1" title="条款一"><summary>摘要一</summary></provision>
            <provision id="p2" title="条款二"><summary>摘要二</summary></provision>
          </section>
        </provisions>
        """

    static let course = """
        <?xml version="1.0" encoding="UTF-8"?>
        <course \(xsi) xsi:noNamespaceSchemaLocation="../schemas/course.xsd" id="c1" title="课程" provisions="notice">
          <summary>概述</summary>
          <module id="m1" title="模块一">
            <lesson id="l1" title="课时一" minutes="20">
              <cite provision="p1"/>
              <cite provision="p2"/>
              <section title="一"><p>正文</p></section>
              <key-points><point>要点</point></key-points>
            </lesson>
            <case-study ref="cs1"/>
          </module>
        </course>
        """

    static let caseStudy = """
        <?xml version="1.0" encoding="UTF-8"?>
        <case-study \(xsi) xsi:noNamespaceSchemaLocation="../../schemas/casestudy.xsd" id="cs1" polarity="negative">
          <title>案例</title>
          <setting fictional="true">虚构的某市</setting>
          <background><p>背景</p></background>
          <events><event time="9时">经过</event></events>
          <analysis><finding provision="p1" verdict="broken">分析</finding></analysis>
          <lessons-drawn><point>教训</point></lessons-drawn>
          <discussion><question>讨论</question></discussion>
          <questions>
            <case-analysis id="ca1" topic="案例" difficulty="2">
              <scenario><p>情景</p></scenario>
              <true-false id="ca1.a" topic="案例" difficulty="1" answer="false"><stem>对吗</stem><cite provision="p1"/><explanation>不对</explanation></true-false>
              <single-choice id="ca1.b" topic="案例" difficulty="1"><stem>选</stem><option>甲</option><option correct="true">乙</option><cite provision="p2"/><explanation>乙</explanation></single-choice>
              <explanation>综合</explanation>
            </case-analysis>
          </questions>
        </case-study>
        """

    static let bank = """
        <?xml version="1.0" encoding="UTF-8"?>
        <question-bank \(xsi) xsi:noNamespaceSchemaLocation="../schemas/questionbank.xsd" id="b1" title="题库">
          <single-choice id="sc1" topic="纪律" difficulty="1">
            <stem>单选一</stem>
            <option correct="true">吃、拿、卡、要</option>
            <option>出示证件</option>
            <cite provision="p1"/>
            <explanation>解析</explanation>
          </single-choice>
          <single-choice id="sc2" topic="方式" difficulty="2">
            <stem>单选二</stem>
            <option>甲</option>
            <option correct="true">乙</option>
            <option fixed="true">以上都对</option>
            <cite provision="p2"/>
            <explanation>解析</explanation>
          </single-choice>
          <multiple-choice id="mc1" topic="纪律" difficulty="2">
            <stem>多选</stem>
            <option correct="true">甲</option>
            <option correct="true">乙</option>
            <option>丙</option>
            <cite provision="p1"/>
            <cite provision="p2"/>
            <explanation>解析</explanation>
          </multiple-choice>
          <true-false id="tf1" topic="纪律" difficulty="1" answer="true">
            <stem>判断</stem>
            <cite provision="p1"/>
            <explanation>解析</explanation>
          </true-false>
          <fill-in id="fi1" topic="方式" difficulty="3">
            <stem>721工作法中，<blank><accept>70%</accept><accept>百分之七十</accept></blank>的问题用服务手段解决。</stem>
            <cite provision="p2"/>
            <explanation>解析</explanation>
          </fill-in>
        </question-bank>
        """

    static let blueprint = """
        <?xml version="1.0" encoding="UTF-8"?>
        <exam-blueprint \(xsi) xsi:noNamespaceSchemaLocation="../schemas/blueprint.xsd" id="bp1" version="1" title="考试" course="c1">
          <pool><bank ref="b1"/></pool>
          <scoring total="10" pass="6" multiple-choice="partial" partial-fraction="0.5"/>
          <timing minutes="30"/>
          <attempts max="1" counts="highest"/>
          <review show="immediately"/>
          <section id="sec1" title="单选"><draw count="2" type="single-choice" points="2"/></section>
          <section id="sec2" title="其他">
            <draw count="1" type="multiple-choice" points="2"/>
            <draw count="1" type="true-false" points="2"/>
            <draw count="1" type="fill-in" points="2"/>
          </section>
        </exam-blueprint>
        """

    static var all: [String: String] {
        [
            "Courses/provisions.xml": provisions, "Courses/course.xml": course, "Courses/cases/cs1.xml": caseStudy,
            "QuestionBank/bank.xml": bank, "QuestionBank/blueprint.xml": blueprint,
        ]
    }

    /// Strips `⟦code⟧` markers, returning the text and each marker's line:column.
    static func unmark(_ s: String) -> (text: String, markers: [(code: String, line: Int, column: Int)]) {
        var text = ""
        var markers: [(String, Int, Int)] = []
        var line = 1, column = 1
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "⟦", let close = s[i...].firstIndex(of: "⟧") {
                markers.append((String(s[s.index(after: i)..<close]), line, column))
                i = s.index(after: close)
                continue
            }
            let ch = s[i]
            text.append(ch)
            if ch == "\n" { line += 1; column = 1 } else { column += ch.unicodeScalars.count }
            i = s.index(after: i)
        }
        return (text, markers)
    }
}

extension XCTestCase {
    /// Loads the fixture set with `changes` applied (path → (old, new) replacements, or a whole new
    /// document when `old` is empty) and asserts that exactly the marked diagnostics appear (codes
    /// and positions); `alsoAllowed` codes may appear anywhere.
    @discardableResult
    func assertLint(
        _ changes: [String: [(String, String)]], alsoAllowed: Set<String> = [],
        file: StaticString = #filePath, line: UInt = #line
    ) -> LoadedContent {
        var docs = Fixtures.all
        for (path, edits) in changes {
            for (old, new) in edits {
                if old.isEmpty {
                    docs[path] = new
                } else {
                    guard let doc = docs[path], doc.contains(old) else {
                        XCTFail("fixture \(path) has no \(old)", file: file, line: line)
                        continue
                    }
                    docs[path] = doc.replacingOccurrences(of: old, with: new)
                }
            }
        }
        var expected: [(code: String, at: String)] = []
        var inputs: [(path: String, bytes: [UInt8])] = []
        for path in docs.keys.sorted() {
            let (text, markers) = Fixtures.unmark(docs[path]!)
            inputs.append((path, Array(text.utf8)))
            expected += markers.map { ($0.code, "\(path):\($0.line):\($0.column)") }
        }
        let loaded = ContentLoader.load(documents: inputs)
        let got = loaded.diagnostics.map { (code: $0.code, at: "\($0.location)") }
        for e in expected where !got.contains(where: { $0.code == e.code && $0.at == e.at }) {
            XCTFail(
                "expected \(e.code) at \(e.at); got:\n"
                    + loaded.diagnostics.map { "  [\($0.code)] \($0)" }.joined(separator: "\n"),
                file: file, line: line)
        }
        let expectedCodes = Set(expected.map(\.code)).union(alsoAllowed)
        for d in loaded.diagnostics where !expectedCodes.contains(d.code) {
            XCTFail("unexpected [\(d.code)] \(d)", file: file, line: line)
        }
        return loaded
    }
}
