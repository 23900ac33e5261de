import Courseware
import ExamAssembly
import Exams
import Foundation
import Records
import TestSupport

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    var now: Date { lock.withLock { date } }
    func set(_ d: Date) { lock.withLock { date = d } }
    func advance(_ seconds: TimeInterval) { lock.withLock { date = date.addingTimeInterval(seconds) } }
    var wall: WallClock { WallClock { self.now } }
}

/// A fresh database with staff, one cycle open in January 2026, and content for it: a blueprint
/// of 4 single-choice and 2 true/false questions (5 points each, 30 minutes) over a 40-question
/// pool, and a course of two lessons.
final class ServiceFixture {
    let dir: URL
    let path: String
    let store: SQLiteEducationStore
    let clock: ManualClock
    var contentSet: ContentSet
    static let department = "示例省/示例市/示例区/城市管理综合行政执法大队"

    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)!
    }

    /// - Parameter crowd: that many more officers, badges C000, C001, …
    init(maxAttempts: Int = 3, minutes: Int = 30, review: ExamBlueprint.ReviewPolicy = .immediately, crowd: Int = 0) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("exams-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("academy.sqlite").path
        store = try SQLiteEducationStore(path: path)
        clock = ManualClock(Self.date("2026-01-15T02:00:00Z"))
        var questions: [Question] = []
        for i in 0..<20 { questions.append(Build.single("s\(i)", correct: i % 4)) }
        for i in 0..<20 { questions.append(Build.trueFalse("t\(i)", answer: i % 2 == 0)) }
        let bp = Build.blueprint(
            [Build.section("S", [Build.rule(4, .singleChoice, points: 5), Build.rule(2, .trueFalse, points: 5)])],
            id: "bp-1", pass: 18, review: review, courseID: "course-1", minutes: minutes, maxAttempts: maxAttempts)
        let lesson = { (id: String) in
            StudyItem.lesson(
                Lesson(
                    id: id, title: "\(id) title", minutes: 10, required: true, citations: [],
                    sections: [TextSection(title: nil, paragraphs: ["正文"])], keyPoints: [], location: Build.loc()))
        }
        let course = Course(
            id: "course-1", title: "课程", summary: "", provisionSetID: "p",
            modules: [CourseModule(id: "m1", title: "模块", items: [lesson("l1"), lesson("l2")], location: Build.loc())],
            location: Build.loc())
        contentSet = ContentSet(
            courses: [course], banks: [QuestionBank(id: "bank", title: "题库", questions: questions, location: Build.loc())],
            blueprints: [bp])
        try store.importStaff(
            [
                StaffInput(badge: "A001", name: "张三", department: Self.department, role: .officer, status: nil, line: 2),
                StaffInput(badge: "A002", name: "李四", department: Self.department, role: .officer, status: nil, line: 3),
                StaffInput(
                    badge: "A003", name: "王五", department: Self.department, role: .officer, status: .inactive, line: 4),
            ]
                + (0..<crowd).map {
                    StaffInput(
                        badge: String(format: "C%03d", $0), name: "考生\($0)", department: Self.department, role: .officer,
                        status: nil, line: 5 + $0)
                }, markMissingInactive: false, source: "staff.csv", at: Self.date("2026-01-01T00:00:00Z"))
        try store.createCycle(
            TrainingCycle(
                id: "2026-spring", title: "2026年春季培训", courseID: "course-1", blueprintID: "bp-1",
                departments: [Self.department], roles: [.officer],
                opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!,
                timeZoneID: "Asia/Shanghai", createdAt: Self.date("2026-01-05T00:00:00Z")))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var content: ExamContent { ExamContent(contentSet, hashPools: true) }

    func service(seed: UInt64 = 7) -> ExamService {
        var next = seed
        return ExamService(store: store, content: content, clock: clock.wall, drawSeed: { next += 1; return next })
    }

    func study() -> StudyService { StudyService(store: store, content: contentSet, clock: clock.wall) }

    /// The correct answer of the session's current question, in displayed terms.
    static func correctAnswer(_ s: ExamSession, contentSet: ContentSet, at index: Int? = nil) -> ExamSession.Answer {
        let v = s.view(index)
        let q = contentSet.allQuestions.first { $0.id == s.slots[index ?? s.current].questionID }!
        switch q.body {
        case .singleChoice(let c):
            let shown = v.options
            let right = c.options.first { $0.correct }!.text
            return .options([shown.firstIndex(of: right)!])
        case .trueFalse(let t): return .trueFalse(t.answer)
        default: fatalError("not in this fixture")
        }
    }
}
