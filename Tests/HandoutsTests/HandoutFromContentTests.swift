import Courseware
import ExamAssembly
import Foundation
import XCTest

@testable import Handouts

/// `Handout(content:courseID:…)`, what `academy course handout` builds: the course, one module,
/// the practice paper, and the refusals it words.
final class HandoutFromContentTests: XCTestCase {
    func testBuildsTheCourseWithTitlesAndAPracticePaper() throws {
        let content = try HandoutTests.shipped()
        let course = try XCTUnwrap(content.courses.first)
        let plain = try Handout(content: content, courseID: course.id)
        XCTAssertEqual(plain.course.id, course.id)
        XCTAssertNil(plain.practice)
        XCTAssertEqual(plain.provisionTitles, content.provisionTitles)
        XCTAssertFalse(plain.provisionTitles.isEmpty)
        let module = try XCTUnwrap(course.modules.last?.id)
        let one = try Handout(content: content, courseID: course.id, moduleID: module, practiceSeed: 7)
        XCTAssertEqual(one.moduleID, module)
        // The course's first blueprint, drawn with the seed: the same paper as the assembler's.
        let bp = try XCTUnwrap(content.blueprints.first { $0.courseID == course.id })
        let assembler = try Assembler(blueprint: bp, in: content)
        let expected = Handout.PracticePaper(title: "练习卷：" + bp.title, paper: try assembler.paper(seed: 7), assembler: assembler)
        XCTAssertEqual(one.practice?.title, expected.title)
        XCTAssertEqual(one.practice?.items.map(\.question.id), expected.items.map(\.question.id))
        XCTAssertEqual(one.practice?.items.map(\.optionOrder), expected.items.map(\.optionOrder))
    }

    func testRefusesAnUnknownCourseModuleOrBlueprint() throws {
        let content = try HandoutTests.shipped()
        let course = try XCTUnwrap(content.courses.first)
        func message(_ body: () throws -> Handout) -> String? {
            do { _ = try body() } catch { return (error as? Handout.Failure)?.message(in: .en) }
            return nil
        }
        XCTAssertEqual(
            message { try Handout(content: content, courseID: "nope") },
            "no course with id \"nope\"; courses: \(content.courses.map(\.id).joined(separator: ", "))")
        XCTAssertEqual(
            message { try Handout(content: content, courseID: course.id, moduleID: "m.none") },
            "the course has no module \"m.none\"; modules: \(course.modules.map(\.id).joined(separator: ", "))")
        var noBlueprints = content
        noBlueprints.blueprints = []
        XCTAssertEqual(
            message { try Handout(content: noBlueprints, courseID: course.id, practiceSeed: 1) },
            "no exam blueprint for this course, so no practice paper (give --blueprint)")
        // An unknown --blueprint falls back to the course's first.
        XCTAssertNotNil(try Handout(content: content, courseID: course.id, practiceSeed: 1, blueprintID: "bp.none").practice)
    }
}
