import Courseware
import ExamAssembly
import Localization

extension Handout {
    public struct Failure: BilingualError, Equatable {
        public var message: BilingualText
    }

    /// The handout of course `courseID` in `content` (only module `moduleID` when given). With
    /// `practiceSeed`, a practice paper drawn with that seed by `blueprintID` (default: the
    /// course's first blueprint). An unknown course, module or blueprint is a `Failure`; a paper
    /// that cannot be drawn, an `AssemblyError`.
    public init(
        content: ContentSet, courseID: String, moduleID: String? = nil, practiceSeed: UInt64? = nil, blueprintID: String? = nil
    ) throws {
        guard let course = content.course(courseID) else {
            let known = content.courses.map(\.id).joined(separator: ", ")
            throw Failure(
                message: BilingualText(
                    zh: "没有 id 为 “\(courseID)” 的课程；现有课程：\(known)", en: "no course with id \"\(courseID)\"; courses: \(known)"))
        }
        if let moduleID, !course.modules.contains(where: { $0.id == moduleID }) {
            let known = course.modules.map(\.id).joined(separator: ", ")
            throw Failure(
                message: BilingualText(
                    zh: "课程中没有单元 “\(moduleID)”；现有单元：\(known)", en: "the course has no module \"\(moduleID)\"; modules: \(known)"))
        }
        var practice: PracticePaper? = nil
        if let practiceSeed {
            guard
                let bp = blueprintID.flatMap(content.blueprint) ?? content.blueprints.first(where: { $0.courseID == course.id })
            else {
                throw Failure(
                    message: BilingualText(
                        zh: "没有找到本课程的考试蓝图，无法生成练习卷（用 --blueprint 指定）",
                        en: "no exam blueprint for this course, so no practice paper (give --blueprint)"))
            }
            let assembler = try Assembler(blueprint: bp, in: content)
            let paper = try assembler.paper(seed: practiceSeed)
            practice = PracticePaper(title: "练习卷：" + bp.title, paper: paper, assembler: assembler)
        }
        self.init(
            course: course, caseStudies: Dictionary(content.caseStudies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            provisionTitles: content.provisionTitles, moduleID: moduleID, practice: practice)
    }
}
