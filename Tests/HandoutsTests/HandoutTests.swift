import CourseLoading
import Courseware
import ExamAssembly
import Foundation
import TestSupport
import XCTest

@testable import Handouts

final class HandoutTests: XCTestCase {
    static func shipped() throws -> ContentSet {
        let root = AcademyProcess.packageRoot
        let loaded = try ContentLoader.load(paths: [
            root.appendingPathComponent("Courses").path, root.appendingPathComponent("QuestionBank").path,
        ])
        XCTAssertFalse(loaded.hasErrors)
        return loaded.content
    }

    static func handout(_ content: ContentSet, module: String? = nil, practice: Bool = true) throws -> Handout {
        let course = try XCTUnwrap(content.courses.first)
        var paper: Handout.PracticePaper? = nil
        if practice {
            let bp = try XCTUnwrap(content.blueprints.first { $0.courseID == course.id })
            let assembler = try Assembler(blueprint: bp, pool: content.pool(for: bp))
            paper = Handout.PracticePaper(title: "练习卷", paper: try assembler.paper(seed: 7), assembler: assembler)
        }
        return Handout(
            course: course, caseStudies: Dictionary(uniqueKeysWithValues: content.caseStudies.map { ($0.id, $0) }),
            provisionTitles: [:], moduleID: module, practice: paper)
    }

    func testSelfContainedWithEveryModuleLessonAndCase() throws {
        let content = try Self.shipped()
        let course = try XCTUnwrap(content.courses.first)
        let html = try Self.handout(content).html()
        for forbidden in ["<script", "src=", "href=", "url(", "http:", "https:", "@import"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssertTrue(html.contains("size: A4"))
        XCTAssertTrue(html.contains(".module, .practice, .answers { break-before: page; }"))
        XCTAssertEqual(html.components(separatedBy: "<section class=\"module\"").count - 1, course.modules.count)
        for l in course.lessons { XCTAssertTrue(html.contains(Handout.esc(l.title)), l.id) }
        for ref in course.caseStudyRefs {
            let cs = try XCTUnwrap(content.caseStudy(ref.caseStudyID))
            XCTAssertTrue(html.contains("【\(cs.polarity.chineseLabel)】\(Handout.esc(cs.title))"), cs.id)
        }
        XCTAssertTrue(html.contains("正面典型") && html.contains("反面典型"))
        XCTAssertTrue(html.contains("本案例为教学虚构"))
        // Practice questions first, then the answers with explanations, after every module.
        let practice = try XCTUnwrap(html.range(of: "<section class=\"practice\">"))
        let answers = try XCTUnwrap(html.range(of: "<section class=\"answers\">"))
        XCTAssertLessThan(practice.lowerBound, answers.lowerBound)
        XCTAssertFalse(html[..<practice.lowerBound].contains("参考答案"))
    }

    func testOneModuleAndNoPractice() throws {
        let content = try Self.shipped()
        let course = try XCTUnwrap(content.courses.first)
        let m = course.modules[1]
        let html = try Self.handout(content, module: m.id, practice: false).html()
        XCTAssertEqual(html.components(separatedBy: "<section class=\"module\"").count - 1, 1)
        XCTAssertTrue(html.contains(Handout.esc(m.title)))
        XCTAssertFalse(html.contains(Handout.esc(course.modules[0].title) + "</h2>"))
        XCTAssertFalse(html.contains("class=\"answers\""))
    }

    func testTextIsEscaped() {
        let course = Course(
            id: "c", title: "<b>课</b>", summary: "a & b", provisionSetID: "p",
            modules: [
                CourseModule(
                    id: "m", title: "<script>x</script>",
                    items: [
                        .lesson(
                            Lesson(
                                id: "l", title: "t", minutes: 5, required: true, citations: [],
                                sections: [TextSection(title: nil, paragraphs: ["<img src=x>"])], keyPoints: [],
                                location: SourceLocation(file: "", line: 0, column: 0)))
                    ], location: SourceLocation(file: "", line: 0, column: 0))
            ], location: SourceLocation(file: "", line: 0, column: 0))
        let html = Handout(course: course, caseStudies: [:], provisionTitles: [:]).html()
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertTrue(html.contains("&lt;img src=x&gt;"))
    }

    /// Printed by headless Chromium: an A4 PDF with at least a page per module. Chromium is
    /// installed by scripts/install-deps.sh --test; when it is missing this test fails.
    func testChromiumPrintsItAsA4() throws {
        let content = try Self.shipped()
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("handout.html", try Self.handout(content).html())
        let pdf = dir.url.appendingPathComponent("handout.pdf")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "chromium", "--headless", "--disable-gpu", "--no-sandbox", "--no-pdf-header-footer",
            "--user-data-dir=" + dir.url.appendingPathComponent("profile").path, "--print-to-pdf=" + pdf.path, file.absoluteString,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "chromium failed (scripts/install-deps.sh --test installs it)")
        let data = try Data(contentsOf: pdf)
        XCTAssertTrue(data.starts(with: Array("%PDF".utf8)))
        let text = String(decoding: data, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        let modules = try XCTUnwrap(content.courses.first).modules.count
        XCTAssertGreaterThanOrEqual(pages, modules + 2, "cover, a page per module, practice, answers")
        // Every page is A4: 595 × 842 pt.
        let boxes = text.components(separatedBy: "/MediaBox [").dropFirst().map {
            $0.prefix(while: { $0 != "]" }).split(separator: " ").compactMap { Double($0) }
        }
        XCTAssertFalse(boxes.isEmpty)
        for b in boxes {
            XCTAssertEqual(b.count, 4)
            XCTAssertEqual(b.count == 4 ? b[2].rounded() : 0, 595)
            XCTAssertEqual(b.count == 4 ? b[3].rounded() : 0, 842)
        }
    }
}
