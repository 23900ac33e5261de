import CourseLoading
import Courseware
import Foundation
import Spreadsheets
import TestSupport
import XCTest

@testable import BankInterchange

/// Export followed by import gives back the same questions, over the whole shipped bank, for
/// both export formats; the imported bank, written as bank XML, loads and lints clean.
final class RoundTripTests: XCTestCase {
    static let root = AcademyProcess.packageRoot

    static func shipped() throws -> (banks: [QuestionBank], provisions: [ProvisionSet]) {
        let loaded = try ContentLoader.load(paths: [
            root.appendingPathComponent("Courses").path, root.appendingPathComponent("QuestionBank").path,
        ])
        XCTAssertFalse(loaded.hasErrors, "\(loaded.diagnostics.prefix(3))")
        return (loaded.content.banks, loaded.content.provisionSets)
    }

    /// Locations say where a value was read; they are not part of the question.
    static func strip(_ q: Question) -> Question {
        var q = q
        q.location = SourceLocation(file: "", line: 0, column: 0)
        q.citations = q.citations.map { Citation(provisionID: $0.provisionID, location: q.location) }
        switch q.body {
        case .singleChoice(var c), .multipleChoice(var c):
            c.options = c.options.map { ChoiceOption(text: $0.text, correct: $0.correct, fixed: $0.fixed, location: q.location) }
            q.body = q.type == .singleChoice ? .singleChoice(c) : .multipleChoice(c)
        case .fillIn(var f):
            f.blanks = f.blanks.map { Blank(accepted: $0.accepted, location: q.location) }
            q.body = .fillIn(f)
        default: break
        }
        return q
    }

    func assertSame(_ original: QuestionBank, _ back: [Question], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(back.count, original.questions.count, file: file, line: line)
        for (a, b) in zip(original.questions, back) {
            XCTAssertEqual(Self.strip(a), Self.strip(b), "\(a.id)", file: file, line: line)
        }
    }

    func rebuild(_ report: ImportReport, _ bank: QuestionBank, _ provisions: [ProvisionSet]) throws -> [Question] {
        XCTAssertEqual(report.issues, [], "\(report.issues.prefix(3))")
        let built = BankBuilder(bankID: bank.id, title: bank.title, idStem: "x", topic: nil, provisions: provisions)
            .build(report.questions)
        XCTAssertEqual(built.issues, [])
        // Written as bank XML, it loads without a diagnostic (with the provisions beside it).
        let xml = BankXMLFormatter.format(built.bank, schemaPath: "../schemas/questionbank.xsd", header: ["t"])
        // With the course and its provisions files beside it, as in QuestionBank/.
        let courses = try ContentLoader.expand(paths: [Self.root.appendingPathComponent("Courses").path])
        let check = ContentLoader.load(
            documents: [("QuestionBank/rt.xml", Array(xml.utf8))]
                + (try courses.map { ($0, [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0)))) }))
        XCTAssertEqual(
            check.diagnostics.filter { $0.location.file == "QuestionBank/rt.xml" && $0.code != "provision-under-tested" }, [])
        XCTAssertEqual(check.content.banks.first.map { $0.questions.map(Self.strip) }, built.bank.questions.map(Self.strip))
        return built.bank.questions
    }

    func testXLSXRoundTripOfTheWholeShippedBank() throws {
        let (banks, provisions) = try Self.shipped()
        XCTAssertGreaterThanOrEqual(banks.flatMap(\.questions).count, 150)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for bank in banks {
            let url = dir.url.appendingPathComponent("\(bank.id).xlsx")
            try SpreadsheetBankExporter.export(bank, to: url)
            let report = try SpreadsheetBankImporter.read(path: url.path)
            assertSame(bank, try rebuild(report, bank, provisions))
        }
    }

    func testMoodleRoundTripOfTheWholeShippedBank() throws {
        let (banks, provisions) = try Self.shipped()
        for bank in banks {
            let xml = try MoodleExporter.export(bank)
            let report = try MoodleImporter.convert(bytes: Array(xml.utf8), file: "\(bank.id).moodle.xml")
            assertSame(bank, try rebuild(report, bank, provisions))
        }
    }

    func testBankXMLFormatterReproducesAShippedBankFaithfully() throws {
        let (banks, _) = try Self.shipped()
        let bank = try XCTUnwrap(banks.first)
        let xml = BankXMLFormatter.format(bank, schemaPath: "../../schemas/questionbank.xsd", header: [])
        let back = ContentLoader.load(documents: [("b.xml", Array(xml.utf8))])
        XCTAssertEqual(back.content.banks.first?.questions.map(Self.strip), bank.questions.map(Self.strip))
    }

    /// Characters that mean something in XML, HTML, Moodle's cloze syntax or a spreadsheet survive
    /// both exports.
    func testSpecialCharactersSurviveBothRoundTrips() throws {
        let loc = SourceLocation(file: "", line: 0, column: 0)
        let odd = "A&B <x> \"q\" 'a' ~ } # / \\ = ]]> ＆"
        let questions = [
            Question(
                id: "q.odd.1", topic: "t/1", difficulty: 2, citations: [Citation(provisionID: "s1", location: loc)],
                explanation: odd,
                body: .singleChoice(
                    ChoiceQuestion(
                        stem: odd,
                        options: [
                            ChoiceOption(text: odd, correct: true, fixed: false, location: loc),
                            ChoiceOption(text: "=1+1", correct: false, fixed: false, location: loc),
                        ], shuffle: true)), location: loc),
            Question(
                id: "q.odd.2", topic: "t", difficulty: 1, citations: [Citation(provisionID: "s1", location: loc)],
                explanation: "e",
                body: .fillIn(
                    FillInQuestion(
                        stem: [.text("甲"), .blank(0), .text("乙"), .blank(1), .text("丙")],
                        blanks: [Blank(accepted: ["a&b", "x}y~z#"], location: loc), Blank(accepted: ["<c>"], location: loc)])),
                location: loc),
        ]
        let bank = QuestionBank(id: "bank.odd", title: "odd", questions: questions, location: loc)
        let moodle = try MoodleImporter.convert(bytes: Array(try MoodleExporter.export(bank).utf8), file: "m.xml")
        XCTAssertEqual(moodle.issues, [])
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let url = dir.url.appendingPathComponent("odd.xlsx")
        try SpreadsheetBankExporter.export(bank, to: url)
        let sheet = try SpreadsheetBankImporter.read(path: url.path)
        XCTAssertEqual(sheet.issues, [])
        for report in [moodle, sheet] {
            let built = BankBuilder(bankID: "bank.odd", title: "odd", idStem: "odd", topic: nil, provisions: []).build(report.questions)
            XCTAssertEqual(built.bank.questions.map { $0.body }, questions.map { $0.body })
            XCTAssertEqual(built.bank.questions.map { $0.explanation }, questions.map { $0.explanation })
            XCTAssertEqual(built.bank.questions.map { $0.topic }, questions.map { $0.topic })
        }
    }

    func testAnAnswerThatCannotBeWrittenUnambiguouslyIsRefused() {
        let loc = SourceLocation(file: "", line: 0, column: 0)
        let q = Question(
            id: "q.bar", topic: "t", difficulty: 1, citations: [], explanation: "e",
            body: .fillIn(FillInQuestion(stem: [.text("甲"), .blank(0)], blanks: [Blank(accepted: ["a|b"], location: loc)])),
            location: loc)
        XCTAssertThrowsError(try SpreadsheetBankExporter.row(q)) { XCTAssertTrue("\($0)".contains("q.bar"), "\($0)") }
    }
}
