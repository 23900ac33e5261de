import Courseware
import Localization

/// `undeclared-provision` (error) and `unknown-provision-set` for related law: a course declares
/// the provisions file it teaches (`provisions="…"`) and the related-law files it may also cite
/// (`related-provisions="…"`). Everything the course shows an officer — its lessons, the case
/// studies it includes (findings and questions), and the banks its blueprints draw from — may cite
/// only provisions of those files. This keeps the notice and other law apart: a question about the
/// 行政强制法 cannot pass as the notice's rule unless the course says it draws on that law.
///
/// A citation of an id that exists nowhere is `unknown-provision` (reported by `Linter`), not here.
struct DeclaredProvisionsCheck {
    let content: ContentSet

    func run() -> [Diagnostic] {
        // Provision or section id → id of the provisions file that defines it.
        var owner: [String: String] = [:]
        for ps in content.provisionSets {
            for s in ps.sections {
                owner[s.id] = ps.id
                for p in s.provisions { owner[p.id] = ps.id }
            }
        }
        var out: [Diagnostic] = []
        var reported = Set<String>()
        for course in content.courses {
            for ref in course.relatedProvisionSetIDs where content.provisionSet(ref) == nil {
                out.append(
                    Diagnostic(
                        .error, course.location,
                        BilingualText(
                            zh: "课程的 related-provisions 中的 “\(ref)” 找不到对应的条款清单（<provisions id=…>）",
                            en: "the course's related-provisions names \"\(ref)\", which is no provisions document (<provisions id=…>)"),
                        code: "unknown-provision-set"))
            }
            // A course whose own provisions file is missing already has unknown-provision-set; every
            // citation would repeat it.
            guard content.provisionSet(course.provisionSetID) != nil else { continue }
            let declared = Set(course.declaredProvisionSetIDs)
            func check(_ cite: Citation) {
                guard let set = owner[cite.provisionID], !declared.contains(set) else { return }
                guard reported.insert("\(cite.location)|\(course.id)").inserted else { return }
                out.append(
                    Diagnostic(
                        .error, cite.location,
                        BilingualText(
                            zh:
                                "引用的条款 “\(cite.provisionID)” 属于条款清单 “\(set)”，但课程 “\(course.id)” 没有声明它（在 <course> 的 provisions 或 related-provisions 中加上 \(set)）",
                            en:
                                "cited provision \"\(cite.provisionID)\" belongs to provisions document \"\(set)\", which course \"\(course.id)\" does not declare (add \(set) to the course's provisions or related-provisions)"
                        ),
                        code: "undeclared-provision"))
            }
            func visit(_ q: Question) {
                q.citations.forEach(check)
                if case .caseAnalysis(let ca) = q.body { ca.parts.forEach(visit) }
            }
            for l in course.lessons { l.citations.forEach(check) }
            for r in course.caseStudyRefs {
                guard let cs = content.caseStudy(r.caseStudyID) else { continue }
                cs.findings.map(\.citation).forEach(check)
                cs.questions.forEach(visit)
            }
            var banks = Set<String>()
            for bp in content.blueprints where bp.courseID == course.id {
                for id in bp.bankIDs where banks.insert(id).inserted { content.bank(id)?.questions.forEach(visit) }
            }
        }
        return out
    }
}

extension QuestionChecks {
    /// `fill-in-single-form` (warning): a blank whose only accepted answer is longer than 4
    /// characters. Long answers can be written correctly in more than one way (常态化、长效化 /
    /// 常态长效化; 全过程记录 / 全程记录), and the grader guesses nothing, so the author should list
    /// the other correct forms — or confirm there is none by rewording the blank.
    static let singleFormLimit = 4

    mutating func checkFillInForms(_ q: Question, _ f: FillInQuestion) {
        for (i, b) in f.blanks.enumerated() {
            let forms = b.accepted.filter { !$0.isEmpty }
            guard forms.count == 1, forms[0].count > Self.singleFormLimit else { continue }
            out.append(
                Diagnostic(
                    .warning, b.location,
                    BilingualText(
                        zh:
                            "填空题 “\(q.id)” 的第 \(i + 1) 个空只接受一种写法“\(forms[0])”（超过 \(Self.singleFormLimit) 个字）；请列出其他正确写法（<accept>），或把空改短",
                        en:
                            "blank \(i + 1) of fill-in question \"\(q.id)\" accepts a single form \"\(forms[0])\" (longer than \(Self.singleFormLimit) characters); list the other correct forms (<accept>) or shorten the blank"
                    ),
                    code: "fill-in-single-form"))
        }
    }
}
