import Courseware
import Exams
import Foundation
import Localization
import TerminalUI

/// The study screens over any terminal device: the course's items as a menu with the officer's
/// progress; opening one pages it, and reaching its end is recorded through `StudyProgress`.
public enum StudyScreen {
    public enum Ending: Sendable {
        /// The officer left the menu; `summary` is the line to show after the screen is gone.
        case quit(summary: String)
        /// Ended by a signal or by the server; a process exits with 128 + signal.
        case terminated(Int32)
        case disconnected
        /// Progress could not be recorded (message says why).
        case failed(String)
    }

    /// The line-mode listing: who and which course, every item with ✓ when finished, and the count.
    public static func listing(_ progress: StudyProgress, content: ContentSet, language: Language) -> [String] {
        let study = StudyContent(course: progress.course, content: content, language: language)
        let m = progress.member, c = progress.cycle
        let done = "\(study.finishedCount(progress.finished))/\(study.entries.count)"
        return [
            language.pick(
                zh: "\(m.name)（\(m.badge)）· \(c.title) · \(progress.course.title)",
                en: "\(m.name) (\(m.badge)) · \(c.title) · \(progress.course.title)")
        ] + study.listLines(finished: progress.finished) + [
            language.pick(zh: "已学完 \(done)。用 --item 编号 阅读全文。", en: "Finished \(done). Use --item ID to read one.")
        ]
    }

    /// Runs the menu and pager; the caller has entered full-screen mode and leaves it after.
    public static func run(_ progress: StudyProgress, content: ContentSet, on terminal: any TerminalDevice, language: Language)
        -> Ending
    {
        let study = StudyContent(course: progress.course, content: content, language: language)
        let member = progress.member
        let menuApp = MenuApp(
            terminal: terminal, title: language.pick(zh: "学习 · \(progress.course.title)", en: "Study · \(progress.course.title)"),
            subtitle: "", menu: Menu(entries: []), language: language)
        var selected = 0
        while true {
            let done = "\(study.finishedCount(progress.finished))/\(study.entries.count)"
            menuApp.subtitle = language.pick(
                zh: "\(member.name)（\(member.badge)）· \(progress.cycle.title) · 已学完 \(done)",
                en: "\(member.name) (\(member.badge)) · \(progress.cycle.title) · finished \(done)")
            menuApp.menu = Menu(entries: study.menuEntries(finished: progress.finished), selected: selected)
            switch menuApp.choose() {
            case .quit:
                return .quit(summary: language.pick(zh: "已学完 \(done)。", en: "Finished \(done)."))
            case .terminated(let sig):
                return .terminated(sig)
            case .disconnected:
                return .disconnected
            case .open(let row):
                selected = row
                guard let entry = study.entry(atMenuRow: row), let doc = study.document(id: entry.id) else { continue }
                let pager = PagerApp(terminal: terminal, title: entry.title, document: doc, language: language)
                var failure: Error?
                pager.onReachedEnd = {
                    do { try progress.recordFinished(entry.id) } catch { failure = error }
                }
                let outcome = pager.show()
                if let failure {
                    return .failed(language.pick(zh: "无法记录学习进度：\(failure)", en: "could not record progress: \(failure)"))
                }
                switch outcome {
                case .quit: continue
                case .terminated(let sig): return .terminated(sig)
                case .disconnected: return .disconnected
                }
            }
        }
    }
}

/// The course's study items as menu entries and pager documents.
public struct StudyContent {
    public struct Entry {
        public var id: String
        public var title: String
        public var detail: String
        public var required: Bool
    }

    public let course: Course
    public let content: ContentSet
    public let language: Language
    /// Study items in course order, with the menu row of each (module headings take rows too).
    public private(set) var entries: [Entry] = []
    private var rows: [Int: Int] = [:]
    private var headings: [(row: Int, title: String)] = []

    public init(course: Course, content: ContentSet, language: Language) {
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

    public func finishedCount(_ finished: Set<String>) -> Int { entries.filter { finished.contains($0.id) }.count }

    public func entry(atMenuRow row: Int) -> Entry? { rows[row].map { entries[$0] } }

    public func menuEntries(finished: Set<String>) -> [Menu.Entry] {
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

    public func listLines(finished: Set<String>) -> [String] {
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

    public func document(id: String) -> PagerDocument? {
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
public enum PlainDocument {
    public static func render(_ doc: PagerDocument, width: Int) -> String {
        doc.layout(width: width).map(\.text).joined(separator: "\n")
    }
}
