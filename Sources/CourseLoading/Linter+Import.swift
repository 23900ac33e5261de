import Courseware
import Localization
import XMLSupport

extension Linter {
    /// `academy bank import` writes `<cite provision="todo"/>` for a question whose source named
    /// no provision that matched; lint reports it as a warning that says what to do.
    static let importPlaceholder = "todo"

    static func placeholderWarning(_ q: Question, _ at: SourceLocation) -> Diagnostic {
        Diagnostic(
            .warning, at,
            BilingualText(
                zh: "题目 “\(q.id)” 导入时没有匹配到条款，暂时引用 todo；请把 provision 改为条款清单中的 id（旁边的注释是来源中的知识点/条款）",
                en:
                    "question \"\(q.id)\" matched no provision when it was imported and cites todo for now; set provision to an id from the provisions file (the comment next to it has the source's labels)"
            ),
            code: "import-provision-todo")
    }
}
