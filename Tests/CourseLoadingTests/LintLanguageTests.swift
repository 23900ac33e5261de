import CourseLoading
import Courseware
import Foundation
import Localization
import XCTest

/// Lint's diagnostics are values in both languages; whoever prints them picks one. Two loads
/// running at the same time in one process, one shown in Chinese and one in English, each come
/// out entirely in their own language.
final class LintLanguageTests: XCTestCase {
    static let documents: [(String, [UInt8])] = [
        ("a.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><handbook id="h"/>"#.utf8)),
        ("b.xml", Array(#"<?xml version="1.0" encoding="UTF-8"?><question-bank id="b" title="b"><x"#.utf8)),
    ]

    static func render(_ language: Language) -> [String] {
        let loaded = ContentLoader.load(documents: Self.documents)
        let refined = LintRefinement.refine(loaded.diagnostics, content: loaded.content, source: { _ in nil })
        return refined.map { $0.text(in: language) }
    }

    func testTwoLanguagesAtOnce() {
        let zh = Self.render(.zhHans), en = Self.render(.en)
        XCTAssertEqual(zh.count, 2, "\(zh)")
        XCTAssertTrue(zh.contains { $0.hasPrefix("a.xml:1:") && $0.contains("不认识的文档类型 <handbook>") }, "\(zh)")
        XCTAssertTrue(zh.contains { $0.hasPrefix("b.xml:") && $0.contains("XML 格式错误") }, "\(zh)")
        XCTAssertTrue(en.contains { $0.hasPrefix("a.xml:1:") && $0.contains("unknown document kind <handbook>") }, "\(en)")
        XCTAssertTrue(en.contains { $0.hasPrefix("b.xml:") && $0.contains("malformed XML") }, "\(en)")

        let got = Results()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            got.set(i, Self.render(i % 2 == 0 ? .zhHans : .en))
        }
        for (i, r) in got.all(16).enumerated() { XCTAssertEqual(r, i % 2 == 0 ? zh : en, "run \(i)") }
    }
}

/// Renderings by run number, filled from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [String]] = [:]
    func set(_ i: Int, _ v: [String]) { lock.withLock { values[i] = v } }
    func all(_ n: Int) -> [[String]] { lock.withLock { (0..<n).map { values[$0] ?? [] } } }
}
