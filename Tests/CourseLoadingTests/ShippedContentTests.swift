import CourseLoading
import Courseware
import XCTest
import XMLSupport

/// The shipped course and bank (Courses/, QuestionBank/) against the promises of issue 13: lint
/// clean under --strict, at least 15 case studies balanced within one, at least 240 bank questions
/// with the true/false keys balanced, every provision of the notice and of its related law tested by at least 5 questions,
/// and related law kept in its own provisions file.
final class ShippedContentTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func load() throws -> LoadedContent {
        return try ContentLoader.load(paths: [
            Self.root.appendingPathComponent("Courses").path, Self.root.appendingPathComponent("QuestionBank").path,
        ])
    }

    func testLintIsCleanEvenWarnings() throws {
        let loaded = try load()
        XCTAssertEqual(loaded.diagnostics.map(\.description), [])
    }

    func testCaseStudiesAreManyAndBalanced() throws {
        let content = try load().content
        let course = try XCTUnwrap(content.course("strict-enforcement-2018"))
        let cases = course.caseStudyRefs.compactMap { content.caseStudy($0.caseStudyID) }
        XCTAssertGreaterThanOrEqual(cases.count, 15)
        let positive = cases.filter { $0.polarity == .positive }.count
        XCTAssertLessThanOrEqual(abs(positive - (cases.count - positive)), 1, "positive \(positive) of \(cases.count)")
        for cs in cases {
            XCTAssertTrue(cs.setting.contains("虚构"), "\(cs.id) must say it is fictional")
            XCTAssertEqual(cs.questions.count, 1, cs.id)
            if case .caseAnalysis(let ca)? = cs.questions.first?.body {
                XCTAssertEqual(ca.parts.count, 4, cs.id)
            } else {
                XCTFail("\(cs.id) has no case-analysis question")
            }
        }
    }

    func testBankSizeTypeMixAndTrueFalseBalance() throws {
        let content = try load().content
        let questions = content.banks.flatMap(\.questions)
        XCTAssertGreaterThanOrEqual(questions.count, 240)
        var byType: [QuestionType: Int] = [:]
        var keys = (true: 0, false: 0)
        for q in questions {
            byType[q.type, default: 0] += 1
            if case .trueFalse(let t) = q.body { if t.answer { keys.true += 1 } else { keys.false += 1 } }
        }
        XCTAssertLessThanOrEqual(abs(keys.true - keys.false), 1, "true/false keys \(keys)")
        // 4 papers for one officer (3 attempts + a 双随机 re-examination) need 4 × each draw.
        let bp = try XCTUnwrap(content.blueprints.first { $0.id == "all-staff-2018" })
        for section in bp.sections {
            for draw in section.draws {
                let pool = content.pool(for: bp).filter { draw.matches($0) }.count
                XCTAssertGreaterThanOrEqual(pool, 4 * draw.count, "\(section.title)")
            }
        }
        XCTAssertEqual(byType.count, 4)
    }

    func testEveryDeclaredProvisionIsTestedFiveTimes() throws {
        let content = try load().content
        var counts: [String: Int] = [:]
        func count(_ q: Question) {
            for id in Set(q.citations.map(\.provisionID)) { counts[id, default: 0] += 1 }
            if case .caseAnalysis(let ca) = q.body { ca.parts.forEach(count) }
        }
        content.allQuestions.forEach(count)
        let course = try XCTUnwrap(content.course("strict-enforcement-2018"))
        for id in course.declaredProvisionSetIDs {
            let set = try XCTUnwrap(content.provisionSet(id))
            XCTAssertFalse(set.allProvisions.isEmpty)
            for p in set.allProvisions {
                XCTAssertGreaterThanOrEqual(counts[p.id] ?? 0, 5, "\(p.id) \(p.title)")
            }
        }
    }

    func testRelatedLawIsItsOwnFileAndStatesItsVersion() throws {
        let content = try load().content
        let course = try XCTUnwrap(content.course("strict-enforcement-2018"))
        XCTAssertEqual(course.declaredProvisionSetIDs, ["notice-2018", "related-law"])
        let law = try XCTUnwrap(content.provisionSet("related-law"))
        XCTAssertTrue(law.sections.contains { $0.title.contains("2021年修订") })
        // The notice's own summaries no longer carry words the notice does not contain.
        let notice = try XCTUnwrap(content.provisionSet("notice-2018"))
        let summaries = notice.allProvisions.map(\.summary).joined()
        for phrase in ["以情代法", "选择性执法", "无论何种情况", "只用于公务", "性质和情节相称", "吃请"] {
            XCTAssertFalse(summaries.contains(phrase), phrase)
        }
    }
}
