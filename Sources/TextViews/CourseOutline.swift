import Courseware
import Foundation
import Localization
import TerminalUI

public struct CourseOutline {
    public let language: Language

    public init(language: Language) { self.language = language }

    /// "1 lesson", "2 lessons".
    func plural(_ n: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : (pluralForm ?? singular + "s"))
    }

    public func list(_ content: ContentSet) -> String {
        if content.courses.isEmpty { return language.pick(zh: "没有课程。\n", en: "No courses.\n") }
        var out = ""
        for c in content.courses {
            let minutes = c.lessons.reduce(0) { $0 + $1.minutes }
            out += "\(c.id)  \(c.title)\n"
            out +=
                "    "
                + language.pick(
                    zh: "\(c.modules.count) 个模块，\(c.lessons.count) 个课时（\(minutes) 分钟），\(c.caseStudyRefs.count) 个案例",
                    en:
                        "\(plural(c.modules.count, "module")), \(plural(c.lessons.count, "lesson")) (\(minutes) min), \(plural(c.caseStudyRefs.count, "case study", "case studies"))"
                ) + "\n"
        }
        return out
    }

    func polarity(_ p: CaseStudy.Polarity) -> String {
        language.pick(zh: p.chineseLabel, en: p == .positive ? "positive (正面典型)" : "negative (反面典型)")
    }

    /// No course with the id asked for; names the courses there are.
    public struct UnknownCourse: BilingualError, Equatable {
        public var message: BilingualText
    }

    /// The outline of course `id`; an unknown id is an `UnknownCourse`.
    public func show(id: String, in content: ContentSet) throws(UnknownCourse) -> String {
        guard let course = content.course(id) else {
            let known = content.courses.map(\.id).joined(separator: ", ")
            throw UnknownCourse(
                message: BilingualText(
                    zh: "没有 id 为 “\(id)” 的课程；现有课程：\(known.isEmpty ? "（无）" : known)",
                    en: "no course with id \"\(id)\"; courses: \(known.isEmpty ? "(none)" : known)"))
        }
        return show(course, in: content)
    }

    public func show(_ c: Course, in content: ContentSet) -> String {
        var out = "\(c.title)  [\(c.id)]\n"
        if !c.summary.isEmpty { out += c.summary + "\n" }
        let set = content.provisionSet(c.provisionSetID)
        if let set { out += language.pick(zh: "依据：", en: "Source: ") + set.title + "\n" }
        let related = c.relatedProvisionSetIDs.compactMap { content.provisionSet($0) }
        for r in related { out += language.pick(zh: "相关法律：", en: "Related law: ") + r.title + "\n" }
        var positive = 0, negative = 0
        for (i, m) in c.modules.enumerated() {
            out += "\n" + language.pick(zh: "模块 \(i + 1)：", en: "Module \(i + 1): ") + "\(m.title)  [\(m.id)]\n"
            for item in m.items {
                switch item {
                case .lesson(let l):
                    let optional = l.required ? "" : language.pick(zh: "（选学）", en: " (optional)")
                    out +=
                        "  " + language.pick(zh: "课时", en: "Lesson") + "  \(l.title)  [\(l.id)]  "
                        + language.pick(zh: "\(l.minutes) 分钟", en: "\(l.minutes) min") + optional + "\n"
                case .caseStudy(let r):
                    if let cs = content.caseStudy(r.caseStudyID) {
                        if cs.polarity == .positive { positive += 1 } else { negative += 1 }
                        out +=
                            "  " + language.pick(zh: "案例", en: "Case") + "  \(cs.title)  [\(cs.id)]  " + polarity(cs.polarity)
                            + (cs.questions.isEmpty
                                ? ""
                                : language.pick(
                                    zh: "，\(cs.questions.count) 道案例分析题",
                                    en: ", " + plural(cs.questions.count, "case-analysis question")))
                            + (r.required ? "" : language.pick(zh: "（选学）", en: " (optional)")) + "\n"
                    } else {
                        out +=
                            "  " + language.pick(zh: "案例", en: "Case") + "  [\(r.caseStudyID)]  "
                            + language.pick(zh: "（找不到）", en: "(missing)") + "\n"
                    }
                }
            }
        }
        let minutes = c.lessons.reduce(0) { $0 + $1.minutes }
        out +=
            "\n"
            + language.pick(
                zh:
                    "合计：\(c.modules.count) 个模块，\(c.lessons.count) 个课时，约 \(minutes) 分钟；案例 \(positive + negative) 个（正面 \(positive)，反面 \(negative)）",
                en:
                    "Total: \(plural(c.modules.count, "module")), \(plural(c.lessons.count, "lesson")), about \(minutes) min; \(plural(positive + negative, "case study", "case studies")) (\(positive) positive, \(negative) negative)"
            ) + "\n"
        // Questions per provision: every question and sub-question in the content set citing it.
        var counts: [String: Int] = [:]
        func count(_ q: Question) {
            for id in Set(q.citations.map(\.provisionID)) { counts[id, default: 0] += 1 }
            if case .caseAnalysis(let ca) = q.body { ca.parts.forEach(count) }
        }
        content.allQuestions.forEach(count)
        for set in [set].compactMap({ $0 }) + related {
            out += "\n" + language.pick(zh: "各条款题目数（\(set.id)）：", en: "Questions per provision (\(set.id)):") + "\n"
            for s in set.sections {
                out +=
                    "  \(s.number) \(s.title)  [\(s.id)]" + (counts[s.id].map { language.pick(zh: "  \($0) 道", en: "  \($0)") } ?? "")
                    + "\n"
                for p in s.provisions {
                    out +=
                        "    \(p.id)  \(p.title)  " + language.pick(zh: "\(counts[p.id] ?? 0) 道", en: "\(counts[p.id] ?? 0)") + "\n"
                }
            }
        }
        return out
    }
}
