import ArgumentParser
import Courseware
import Exams
import Foundation
import Records
import TerminalUI

/// `academy study --officer BADGE [--cycle C]`: the cycle's lessons and case studies with the
/// officer's progress; opening one pages it, and reaching its end is recorded in the education
/// record. Without a terminal (or with `--plain`) it prints the list, and `--item ID` prints one
/// item whole (which counts as reaching its end).
struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study",
        abstract: "学习本周期的课程与案例（读到末尾记为学完）/ Study the cycle's lessons and case studies (reaching the end records it).")

    @Option(help: "执法证号 / Badge number.") var officer: String
    @Option(help: "培训周期编号（只有一个进行中的周期时可省略）/ Training cycle id (optional when only one is open).")
    var cycle: String?
    @Option(help: "逐行模式下输出一个课程或案例的全文 / In line mode, print one lesson or case study.")
    var item: String?
    @Flag(help: "逐行模式（读屏软件、脚本）/ Line mode, for screen readers and scripts.") var plain = false
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var contentOptions: ContentOptions

    func run() throws {
        let content = try contentOptions.load().content
        let store = try database.open()
        let progress: StudyProgress
        do {
            progress = try StudyService(store: store, content: content, clock: ExamClock.wall)
                .open(badge: officer, cycleID: cycle)
        } catch let e as any BilingualError {
            Stderr.line(e.message.pick(chinese: L10n.isChinese))
            throw ExitCode(1)
        }
        let (trainingCycle, member, course) = (progress.cycle, progress.member, progress.course)
        let study = StudyContent(course: course, content: content, language: L10n.isChinese ? .chinese : .english)
        var finished: Set<String> { progress.finished }
        func record(_ id: String) throws { try progress.recordFinished(id) }

        let interactive = Terminal.isInteractive()
        if plain || !interactive || item != nil {
            if let id = item {
                guard let doc = study.document(id: id) else {
                    Stderr.line(L10n.pick(zh: "本课程中没有编号为 \(id) 的课时或案例", en: "no lesson or case study \(id) in this course"))
                    throw ExitCode(1)
                }
                print(PlainDocument.render(doc, width: 80))
                try record(id)
                print(L10n.pick(zh: "[已学完 \(id)]", en: "[finished \(id)]"))
                return
            }
            print(
                L10n.pick(
                    zh: "\(member.name)（\(officer)）· \(trainingCycle.title) · \(course.title)",
                    en: "\(member.name) (\(officer)) · \(trainingCycle.title) · \(course.title)"))
            for line in study.listLines(finished: finished) { print(line) }
            print(
                L10n.pick(
                    zh: "已学完 \(study.finishedCount(finished))/\(study.entries.count)。用 --item 编号 阅读全文。",
                    en: "Finished \(study.finishedCount(finished))/\(study.entries.count). Use --item ID to read one."))
            return
        }

        let terminal = Terminal()
        try terminal.enter()
        defer { terminal.leave() }
        let menuApp = MenuApp(
            terminal: terminal, title: L10n.pick(zh: "学习 · \(course.title)", en: "Study · \(course.title)"),
            subtitle: "", menu: Menu(entries: []), language: study.language)
        var selected = 0
        while true {
            menuApp.subtitle = L10n.pick(
                zh:
                    "\(member.name)（\(officer)）· \(trainingCycle.title) · 已学完 \(study.finishedCount(finished))/\(study.entries.count)",
                en:
                    "\(member.name) (\(officer)) · \(trainingCycle.title) · finished \(study.finishedCount(finished))/\(study.entries.count)"
            )
            menuApp.menu = Menu(entries: study.menuEntries(finished: finished), selected: selected)
            switch menuApp.choose() {
            case .quit:
                terminal.leave()
                print(
                    L10n.pick(
                        zh: "已学完 \(study.finishedCount(finished))/\(study.entries.count)。",
                        en: "Finished \(study.finishedCount(finished))/\(study.entries.count)."))
                return
            case .terminated(let sig):
                throw ExitCode(128 + sig)
            case .disconnected:
                throw ExitCode(1)
            case .open(let row):
                selected = row
                guard let entry = study.entry(atMenuRow: row), let doc = study.document(id: entry.id) else { continue }
                let pager = PagerApp(terminal: terminal, title: entry.title, document: doc, language: study.language)
                var failure: Error?
                pager.onReachedEnd = {
                    do { try record(entry.id) } catch { failure = error }
                }
                let outcome = pager.show()
                if let failure {
                    terminal.leave()
                    Stderr.line(L10n.pick(zh: "无法记录学习进度：\(failure)", en: "could not record progress: \(failure)"))
                    throw ExitCode(1)
                }
                switch outcome {
                case .quit: continue
                case .terminated(let sig): throw ExitCode(128 + sig)
                case .disconnected: throw ExitCode(1)
                }
            }
        }
    }
}

/// The course's study items as menu entries and pager documents.
struct StudyContent {
    struct Entry {
        var id: String
        var title: String
        var detail: String
        var required: Bool
    }

    let course: Course
    let content: ContentSet
    let language: UILanguage
    /// Study items in course order, with the menu row of each (module headings take rows too).
    private(set) var entries: [Entry] = []
    private var rows: [Int: Int] = [:]
    private var headings: [(row: Int, title: String)] = []

    init(course: Course, content: ContentSet, language: UILanguage) {
        self.course = course
        self.content = content
        self.language = language
        var row = 0
        for module in course.modules {
            headings.append((row, module.title))
            row += 1
            for item in module.items {
                let e: Entry
                switch item {
                case .lesson(let l):
                    e = Entry(
                        id: l.id, title: l.title,
                        detail: language.pick(zh: "课程 · \(l.minutes) 分钟", en: "lesson · \(l.minutes) min")
                            + (l.required ? "" : language.pick(zh: " · 选学", en: " · optional")),
                        required: l.required)
                case .caseStudy(let r):
                    let cs = content.caseStudy(r.caseStudyID)
                    e = Entry(
                        id: r.caseStudyID, title: cs?.title ?? r.caseStudyID,
                        detail: language.pick(zh: "案例", en: "case") + " · "
                            + (cs.map {
                                language.pick(
                                    zh: $0.polarity.chineseLabel, en: $0.polarity == .positive ? "positive" : "negative")
                            } ?? "?")
                            + (r.required ? "" : language.pick(zh: " · 选学", en: " · optional")),
                        required: r.required)
                }
                rows[row] = entries.count
                entries.append(e)
                row += 1
            }
        }
    }

    func finishedCount(_ finished: Set<String>) -> Int { entries.filter { finished.contains($0.id) }.count }

    func entry(atMenuRow row: Int) -> Entry? { rows[row].map { entries[$0] } }

    func menuEntries(finished: Set<String>) -> [Menu.Entry] {
        var out: [Menu.Entry] = []
        var h = 0
        var i = 0
        let total = headings.count + entries.count
        for row in 0..<total {
            if h < headings.count, headings[h].row == row {
                out.append(Menu.Entry(title: headings[h].title, isHeading: true))
                h += 1
            } else {
                let e = entries[i]
                out.append(Menu.Entry(title: e.title, detail: e.detail, done: finished.contains(e.id)))
                i += 1
            }
        }
        return out
    }

    func listLines(finished: Set<String>) -> [String] {
        var lines: [String] = []
        var n = 0
        for module in course.modules {
            lines.append("【\(module.title)】")
            for item in module.items {
                n += 1
                let e = entries[n - 1]
                lines.append("  \(n). [\(finished.contains(item.id) ? "✓" : " ")] \(e.title)  (\(e.detail))  id=\(e.id)")
            }
        }
        return lines
    }

    private func provisionLabel(_ id: String) -> String {
        for set in content.provisionSets {
            for section in set.sections {
                if section.id == id { return "\(section.number)、\(section.title)" }
                if let p = section.provisions.first(where: { $0.id == id }) { return "\(section.number)、\(p.title)" }
            }
        }
        return id
    }

    func document(id: String) -> PagerDocument? {
        func t(_ zh: String, _ en: String) -> String { language.pick(zh: zh, en: en) }
        for item in course.items where item.id == id {
            var doc = PagerDocument()
            switch item {
            case .lesson(let l):
                doc.add(.title(l.title))
                doc.add(
                    .note(
                        t("课程 · 约 \(l.minutes) 分钟", "Lesson · about \(l.minutes) minutes")
                            + (l.required ? t(" · 必学", " · required") : t(" · 选学", " · optional"))))
                if !l.citations.isEmpty {
                    doc.add(
                        .note(
                            t("依据：", "Provisions: ")
                                + l.citations.map { provisionLabel($0.provisionID) }.joined(separator: t("；", "; "))))
                }
                for s in l.sections {
                    doc.add(.blank)
                    if let title = s.title { doc.add(.heading(title)) }
                    for p in s.paragraphs { doc.add(.paragraph(p)) }
                }
                if !l.keyPoints.isEmpty {
                    doc.add(.blank)
                    doc.add(.heading(t("要点", "Key points")))
                    for p in l.keyPoints { doc.add(.item(marker: "• ", text: p)) }
                }
            case .caseStudy(let r):
                guard let c = content.caseStudy(r.caseStudyID) else { return nil }
                doc.add(.title(c.title))
                doc.add(
                    .item(
                        marker: "",
                        text: t(c.polarity.chineseLabel, c.polarity == .positive ? "Positive example" : "Negative example"),
                        style: c.polarity == .positive ? [.good, .bold] : [.warning, .bold]))
                doc.add(.note(t("场景（虚构）：", "Setting (fictional): ") + c.setting))
                doc.add(.blank)
                doc.add(.heading(t("背景", "Background")))
                for p in c.background { doc.add(.paragraph(p)) }
                doc.add(.blank)
                doc.add(.heading(t("经过", "What happened")))
                for e in c.events { doc.add(.item(marker: e.time.map { "【\($0)】" } ?? "• ", text: e.text)) }
                doc.add(.blank)
                doc.add(.heading(t("分析", "Analysis")))
                for f in c.findings {
                    let kept = f.verdict == .kept
                    doc.add(
                        .item(
                            marker: kept ? t("✓ 遵守 ", "✓ kept ") : t("✗ 违反 ", "✗ broken "),
                            text: provisionLabel(f.citation.provisionID), style: kept ? [.good, .bold] : [.warning, .bold]))
                    doc.add(.item(marker: "    ", text: f.text))
                }
                doc.add(.blank)
                doc.add(.heading(t("启示", "Lessons drawn")))
                for p in c.lessonsDrawn { doc.add(.item(marker: "• ", text: p)) }
                doc.add(.blank)
                doc.add(.heading(t("讨论题", "Discussion")))
                for (i, q) in c.discussion.enumerated() { doc.add(.item(marker: "\(i + 1). ", text: q)) }
            }
            doc.add(.blank)
            doc.add(.note(t("（完）", "(end)")))
            return doc
        }
        return nil
    }
}

/// A pager document as plain wrapped text (line mode).
enum PlainDocument {
    static func render(_ doc: PagerDocument, width: Int) -> String {
        doc.layout(width: width).map(\.text).joined(separator: "\n")
    }
}
