import Foundation
import Spreadsheets

/// Reads a question sheet in the layout of Chinese exam platforms' import templates (XLSX, or CSV
/// in UTF-8, UTF-8 with BOM or GB18030): 题型, 题干, 选项A…选项H, 答案, 解析, 难度, 分值, 知识点/条款.
/// The header row is the first row (of the first 10) that has a 题型 and a 题干 column, so a title
/// or instructions row above it is fine. Blank rows are ignored.
public enum SpreadsheetBankImporter {
    enum Column: Hashable {
        case type, stem, option(Int), answer, explanation, difficulty, score, knowledge, provisions, id, shuffle
    }

    static func column(_ header: String) -> Column? {
        let h = AnswerSpelling.halfWidth(header).replacingOccurrences(of: " ", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "*＊"))
        switch h {
        case "题型", "试题类型", "题目类型", "类型": return .type
        case "题干", "试题内容", "题目", "题目内容", "试题题干": return .stem
        case "答案", "正确答案", "标准答案", "参考答案": return .answer
        case "解析", "答案解析", "试题解析", "题目解析": return .explanation
        case "难度", "难易程度", "难易度": return .difficulty
        case "分值", "分数", "试题分数": return .score
        case "知识点": return .knowledge
        case "条款", "依据条款", "出处": return .provisions
        case "编号", "试题编号", "题号", "ID", "id": return .id
        case "选项乱序", "乱序": return .shuffle
        default:
            if h.hasPrefix("选项"), h.count == 3, let i = AnswerSpelling.letters.firstIndex(of: h.last!) { return .option(i) }
            return nil
        }
    }

    /// Reads the file and converts every row. Throws only when the file cannot be read at all.
    public static func read(path: String, limits: ReadLimits = .default) throws(ImportFailure) -> ImportReport {
        let table: SheetTable
        do {
            table = try SpreadsheetReader.read(contentsOf: URL(fileURLWithPath: path), limits: limits)
        } catch let e as SpreadsheetError {
            throw ImportFailure(file: e.file, line: e.line, zh: e.chinese, en: e.english)
        } catch {
            throw ImportFailure(file: path, zh: "\(error)", en: "\(error)")
        }
        return try convert(table)
    }

    public static func convert(_ table: SheetTable) throws(ImportFailure) -> ImportReport {
        let file = table.source
        guard
            let headerIndex = table.rows.prefix(10).firstIndex(where: { row in
                let cols = row.cells.compactMap(column)
                return cols.contains(.type) && cols.contains(.stem)
            })
        else {
            throw ImportFailure(
                file: file, line: table.rows.first?.line,
                zh: "前 10 行中没有表头行（需要“题型”和“题干”两列；见 samples/题库导入模板.xlsx）",
                en: "no header row in the first 10 rows (it needs 题型 and 题干 columns; see samples/题库导入模板.xlsx)")
        }
        let header = table.rows[headerIndex]
        var columns: [Column: Int] = [:]
        var headers: [Column: String] = [:]
        for (i, cell) in header.cells.enumerated() {
            guard let c = column(cell) else { continue }
            if let prior = columns[c] {
                throw ImportFailure(
                    file: file, line: header.line,
                    zh: "表头“\(cell)”（第 \(i + 1) 列）与第 \(prior + 1) 列重复",
                    en: "header \"\(cell)\" (column \(i + 1)) repeats column \(prior + 1)")
            }
            columns[c] = i
            headers[c] = cell
        }
        if columns[.answer] == nil {
            throw ImportFailure(
                file: file, line: header.line, zh: "表头缺少“答案”（或“正确答案”）列",
                en: "the header has no 答案 (or 正确答案) column")
        }
        var names = QuestionDraft.FieldNames()
        names.stem = headers[.stem] ?? "题干"
        names.answer = headers[.answer] ?? "答案"
        names.explanation = headers[.explanation] ?? "解析"
        names.difficulty = headers[.difficulty] ?? "难度"
        let optionHeaders = headers
        names.option = { optionHeaders[.option($0)] ?? "选项" + String(AnswerSpelling.letters[$0]) }

        var report = ImportReport()
        for row in table.rows[(headerIndex + 1)...] where !row.isBlank {
            func cell(_ c: Column) -> String { columns[c].map { row[$0] } ?? "" }
            let typeText = cell(.type)
            guard let typeName = QuestionDraft.typeName(typeText) else {
                report.issues.append(
                    ImportIssue(
                        .error, file: file, line: row.line, field: headers[.type],
                        zh: typeText.isEmpty
                            ? "题型是空的（应为 单选题、多选题、判断题 或 填空题）"
                            : "题型“\(typeText)”无法识别（应为 单选题、多选题、判断题 或 填空题）",
                        en: typeText.isEmpty
                            ? "the question type is empty (use 单选题, 多选题, 判断题 or 填空题)"
                            : "question type \"\(typeText)\" is not recognised (use 单选题, 多选题, 判断题 or 填空题)"))
                continue
            }
            guard case .kind(let kind) = typeName else {
                report.issues.append(
                    ImportIssue(
                        .skipped, file: file, line: row.line, field: headers[.type],
                        zh: "“\(typeText)”需要人工评阅，题库不收录，已跳过",
                        en: "\"\(typeText)\" needs a human marker; the bank cannot hold it, skipped"))
                continue
            }
            var draft = QuestionDraft(kind: kind, file: file, line: row.line)
            draft.stem = cell(.stem)
            draft.options = (0..<8).map { cell(.option($0)) }
            draft.answer = cell(.answer)
            draft.explanation = cell(.explanation)
            draft.difficulty = cell(.difficulty)
            draft.sourceID = cell(.id)
            draft.provisionLabels = QuestionDraft.labels(cell(.provisions))
            let knowledge = QuestionDraft.labels(cell(.knowledge))
            draft.provisionLabels += knowledge
            draft.topic = knowledge.first ?? ""
            let shuffleText = AnswerSpelling.halfWidth(cell(.shuffle)).trimmingCharacters(in: .whitespaces)
            if !shuffleText.isEmpty {
                switch shuffleText.uppercased() {
                case "是", "Y", "YES", "TRUE", "1": draft.shuffle = true
                case "否", "N", "NO", "FALSE", "0": draft.shuffle = false
                default:
                    report.issues.append(
                        ImportIssue(
                            .error, file: file, line: row.line, field: headers[.shuffle],
                            zh: "“\(shuffleText)”应为 是 或 否", en: "\"\(shuffleText)\" should be 是 (yes) or 否 (no)"))
                    continue
                }
            }
            let score = AnswerSpelling.halfWidth(cell(.score)).trimmingCharacters(in: .whitespaces)
            if !score.isEmpty, !(Double(score).map { $0.isFinite && $0 > 0 } ?? false) {
                report.issues.append(
                    ImportIssue(
                        .error, file: file, line: row.line, field: headers[.score],
                        zh: "分值“\(score)”不是正数", en: "score \"\(score)\" is not a positive number"))
                continue
            }
            let (q, issues) = draft.resolve(names)
            report.issues += issues
            if let q { report.questions.append(q) }
        }
        if report.questions.isEmpty && !report.hasErrors {
            report.issues.append(
                ImportIssue(
                    .error, file: file, line: header.line, zh: "表头之后没有任何可导入的题目",
                    en: "no question to import after the header row"))
        }
        return report
    }
}
