import Localization

/// How an item is answered.
public enum ExamItemKind: Hashable, Sendable {
    case singleChoice
    case multipleChoice
    case trueFalse
    case fillIn(blanks: Int)
}

/// An officer's answer to one item, in display order (option 0 is the first shown, "A").
public enum ExamResponse: Hashable, Sendable {
    case none
    case choices(Set<Int>)
    case trueFalse(Bool)
    case blanks([String])

    public var isAnswered: Bool {
        switch self {
        case .none: false
        case .choices(let s): !s.isEmpty
        case .trueFalse: true
        case .blanks(let b): b.contains { !$0.trimmingSpaces.isEmpty }
        }
    }
}

/// Whether the store holds what the screen shows. `saved` is only ever set by
/// `ExamViewModel.markSaved(item:revision:)`, which the integration calls after the durable
/// write returned; the screen says 已保存 only in that state.
public enum SaveState: Hashable, Sendable {
    /// Nothing answered, nothing to save.
    case empty
    /// Changed on screen; the write for `revision` has not been confirmed.
    case pending
    case saved
    case failed(String)
}

/// One numbered item on the paper (a case-analysis question contributes one item per
/// sub-question, each carrying the shared scenario).
public struct ExamItem: Hashable, Sendable {
    public var sectionTitle: String
    /// e.g. 单选 / Single choice.
    public var typeLabel: String
    public var kind: ExamItemKind
    public var stem: String
    /// The case scenario for a case-analysis sub-question, with a label such as 「案例一（2/3）」.
    public var scenario: [String]
    public var caseLabel: String?
    /// Option texts in display order (labels A–H are added by the screen).
    public var options: [String]
    public var points: Double
    public var response: ExamResponse
    public var flagged: Bool
    public var saveState: SaveState
    /// Bumped on every change; a save confirmation for an older revision is ignored.
    public private(set) var revision: Int = 0

    public init(
        sectionTitle: String, typeLabel: String, kind: ExamItemKind, stem: String,
        scenario: [String] = [], caseLabel: String? = nil, options: [String] = [],
        points: Double, response: ExamResponse = .none, flagged: Bool = false
    ) {
        self.sectionTitle = sectionTitle
        self.typeLabel = typeLabel
        self.kind = kind
        self.stem = stem
        self.scenario = scenario
        self.caseLabel = caseLabel
        self.options = options
        self.points = points
        self.response = response
        self.flagged = flagged
        saveState = response.isAnswered ? .saved : .empty
    }

    mutating func change(to response: ExamResponse) {
        self.response = response
        revision += 1
        saveState = .pending
    }
}

/// What the result screen shows; built by the integration from the grade report and the
/// blueprint's review policy.
public struct ExamResultView: Hashable, Sendable {
    public struct Line: Hashable, Sendable {
        public var label: String
        public var earned: Double
        public var possible: Double
        public init(label: String, earned: Double, possible: Double) {
            self.label = label
            self.earned = earned
            self.possible = possible
        }
    }

    public struct Review: Hashable, Sendable {
        public var number: Int
        public var stem: String
        public var given: String
        public var correct: String
        public var explanation: String
        public init(number: Int, stem: String, given: String, correct: String, explanation: String) {
            self.number = number
            self.stem = stem
            self.given = given
            self.correct = correct
            self.explanation = explanation
        }
    }

    public var score: Double
    public var total: Double
    public var passPoints: Double
    public var passed: Bool
    public var byTopic: [Line]
    public var byProvision: [Line]
    /// Missed questions with explanations; nil when the review policy withholds them.
    public var review: [Review]?
    /// Why the review is withheld (e.g. 考试周期结束后公布解析), or other notes.
    public var note: String?
    /// True when the paper was submitted because time ran out.
    public var timedOut: Bool

    public init(
        score: Double, total: Double, passPoints: Double, passed: Bool, byTopic: [Line],
        byProvision: [Line], review: [Review]?, note: String?, timedOut: Bool = false
    ) {
        self.score = score
        self.total = total
        self.passPoints = passPoints
        self.passed = passed
        self.byTopic = byTopic
        self.byProvision = byProvision
        self.review = review
        self.note = note
        self.timedOut = timedOut
    }
}

public enum ExamMode: Hashable, Sendable {
    case question
    case overview(selected: Int)
    /// Typing a question number after `g`.
    case jump(String)
    case editingBlank(Int, LineEditor)
    case confirmSubmit
    case confirmQuit
    /// Time ran out; the paper is being submitted with what was saved.
    case timeUp
    case result(ExamResultView, Pager?)
}

/// Everything an exam action can ask of the outside world.
public enum ExamEffect: Hashable, Sendable {
    /// Write this answer durably, then call `markSaved(item:revision:)`.
    case save(item: Int, response: ExamResponse, revision: Int)
    case setFlag(item: Int, flagged: Bool)
    case submit(timedOut: Bool)
    /// Leave the screen; the attempt stays open and resumes with the same command.
    case leave
}

public enum ExamAction: Hashable, Sendable {
    /// Single choice: select option i. Multiple choice: toggle option i.
    case option(Int)
    case setTrueFalse(Bool)
    /// Start editing blank k of a fill-in item.
    case editBlank(Int)
    case editor(Key)
    case next, previous
    case jump(Int)
    case beginJump
    case jumpInput(Key)
    case toggleFlag
    case showOverview
    case overviewMove(Int)
    case overviewOpen
    case submit
    case confirm
    case cancel
    case quit
    case scroll(Int)
    /// The clock: seconds left. At zero the exam is submitted.
    case tick(remaining: Int)
}

/// The state of the exam screen. A plain value: actions go in, effects come out; the
/// integration performs the effects (saving through the exam session) and reports back.
public struct ExamViewModel: Hashable, Sendable {
    public var language: Language
    public var title: String
    public var subtitle: String
    public var items: [ExamItem]
    public var current: Int = 0
    public var remainingSeconds: Int
    /// The countdown turns into a warning at or below this.
    public var warningSeconds: Int = 300
    public var mode: ExamMode = .question
    /// A one-line note (e.g. 「请输入 1–30 之间的题号」).
    public var message: String?
    /// Body lines scrolled off the top of a long question.
    public var scroll: Int = 0
    /// The terminal width, for moving up/down in the overview grid.
    public var screenWidth: Int = 80

    public init(
        language: Language, title: String, subtitle: String, items: [ExamItem],
        remainingSeconds: Int, current: Int = 0
    ) {
        self.language = language
        self.title = title
        self.subtitle = subtitle
        self.items = items
        self.remainingSeconds = remainingSeconds
        self.current = items.isEmpty ? 0 : min(max(current, 0), items.count - 1)
    }

    public var answeredCount: Int { items.filter { $0.response.isAnswered }.count }
    public var unansweredCount: Int { items.count - answeredCount }
    public var flaggedCount: Int { items.filter(\.flagged).count }
    /// True while some change has not been confirmed by the store.
    public var hasUnsavedChanges: Bool { items.contains { $0.saveState == .pending || isFailed($0.saveState) } }
    public var isFinished: Bool { if case .result = mode { true } else { false } }

    private func isFailed(_ s: SaveState) -> Bool { if case .failed = s { true } else { false } }
    private func t(_ zh: String, _ en: String) -> String { language.pick(zh: zh, en: en) }

    /// The store confirmed the write of `revision`; the screen may now say it is saved.
    public mutating func markSaved(item: Int, revision: Int) {
        guard items.indices.contains(item), items[item].revision == revision else { return }
        items[item].saveState = items[item].response.isAnswered ? .saved : .empty
    }

    public mutating func markSaveFailed(item: Int, revision: Int, reason: String) {
        guard items.indices.contains(item), items[item].revision == revision else { return }
        items[item].saveState = .failed(reason)
        message = t("保存失败：", "Could not save: ") + reason
    }

    public mutating func showResult(_ result: ExamResultView) {
        mode = .result(result, nil)
    }

    /// Scrolls the result pager; returns true when the officer asked to leave.
    public mutating func handleResultKey(_ key: Key, width: Int, height: Int) -> Bool {
        guard case .result(let r, let existing) = mode else { return false }
        var pager = existing ?? Pager(document: ExamScreen.resultDocument(r, lang: language))
        pager.layout(width: width - 2, height: height - 3)
        let outcome = pager.handle(key)
        mode = .result(r, pager)
        return outcome == .quit
    }

    private mutating func setResponse(_ r: ExamResponse) -> [ExamEffect] {
        guard items.indices.contains(current) else { return [] }
        if items[current].response == r { return [] }
        items[current].change(to: r)
        return [.save(item: current, response: r, revision: items[current].revision)]
    }

    private mutating func go(to index: Int) {
        guard !items.isEmpty else { return }
        let clamped = min(max(index, 0), items.count - 1)
        if clamped != current { scroll = 0 }
        current = clamped
    }

    /// Applies one action in the current mode and returns the effects to perform (saves, flags,
    /// submit, leave). One handler per mode.
    @discardableResult
    public mutating func apply(_ action: ExamAction) -> [ExamEffect] {
        if case .tick(let remaining) = action { return tick(remaining) }
        switch mode {
        case .result, .timeUp:
            if action == .quit || action == .confirm || action == .cancel { return isFinished ? [.leave] : [] }
            return []
        case .confirmSubmit:
            switch action {
            case .confirm:
                mode = .question
                return [.submit(timedOut: false)]
            case .cancel, .quit, .submit:
                mode = .question
            default: break
            }
            return []
        case .confirmQuit:
            switch action {
            case .confirm: return [.leave]
            case .cancel: mode = .question
            default: break
            }
            return []
        case .jump(let digits): return applyInJump(digits, action)
        case .editingBlank(let k, let editor): return applyInEditor(k, editor, action)
        case .overview(let selected): return applyInOverview(selected, action)
        case .question: return applyInQuestion(action)
        }
    }

    private mutating func tick(_ remaining: Int) -> [ExamEffect] {
        remainingSeconds = max(0, remaining)
        if remainingSeconds == 0, !isFinished, mode != .timeUp {
            mode = .timeUp
            return [.submit(timedOut: true)]
        }
        return []
    }

    private mutating func applyInJump(_ digits: String, _ action: ExamAction) -> [ExamEffect] {
        guard case .jumpInput(let key) = action else {
            if action == .cancel { mode = .question }
            return []
        }
        switch key {
        case .char(let c) where c.isASCII && c.isNumber && digits.count < 4:
            mode = .jump(digits + String(c))
        case .backspace:
            mode = digits.isEmpty ? .question : .jump(String(digits.dropLast()))
        case .enter:
            mode = .question
            if let n = Int(digits), n >= 1, n <= items.count {
                go(to: n - 1)
                message = nil
            } else {
                message = t("请输入 1–\(items.count) 之间的题号", "Enter a number from 1 to \(items.count)")
            }
        case .escape, .ctrl("c"), .char("q"):
            mode = .question
        default: break
        }
        return []
    }

    private mutating func applyInEditor(_ k: Int, _ editor: LineEditor, _ action: ExamAction) -> [ExamEffect] {
        var editor = editor
        guard case .editor(let key) = action else {
            if action == .cancel { mode = .question }
            return []
        }
        switch editor.handle(key) {
        case .editing:
            mode = .editingBlank(k, editor)
            return []
        case .cancel:
            mode = .question
            return []
        case .commit:
            mode = .question
            guard case .fillIn(let n) = items[current].kind else { return [] }
            var blanks: [String]
            if case .blanks(let b) = items[current].response { blanks = b } else { blanks = [] }
            while blanks.count < n { blanks.append("") }
            blanks[k] = editor.text
            let r: ExamResponse = blanks.allSatisfy { $0.trimmingSpaces.isEmpty } ? .none : .blanks(blanks)
            var effects = setResponse(r)
            // Enter on a blank moves to the next blank, like a form.
            if k + 1 < n {
                let next = blanks[k + 1]
                mode = .editingBlank(k + 1, LineEditor(text: next))
                effects += []
            }
            return effects
        }
    }

    private mutating func applyInOverview(_ selected: Int, _ action: ExamAction) -> [ExamEffect] {
        switch action {
        case .overviewMove(let delta):
            mode = .overview(selected: min(max(selected + delta, 0), max(items.count - 1, 0)))
        case .overviewOpen:
            go(to: selected)
            mode = .question
        case .jump(let n):
            if n >= 1 && n <= items.count { go(to: n - 1); mode = .question }
        case .beginJump:
            mode = .jump("")
        case .showOverview, .cancel:
            mode = .question
        case .quit:
            mode = .confirmQuit
        case .submit:
            mode = .confirmSubmit
        default: break
        }
        return []
    }

    private mutating func applyInQuestion(_ action: ExamAction) -> [ExamEffect] {
        message = nil
        guard items.indices.contains(current) else { return [] }
        let item = items[current]
        switch action {
        case .option(let i):
            switch item.kind {
            case .singleChoice:
                guard item.options.indices.contains(i) else { return [] }
                return setResponse(.choices([i]))
            case .multipleChoice:
                guard item.options.indices.contains(i) else { return [] }
                var set: Set<Int> = []
                if case .choices(let s) = item.response { set = s }
                if set.contains(i) { set.remove(i) } else { set.insert(i) }
                return setResponse(set.isEmpty ? .none : .choices(set))
            case .trueFalse:
                guard i == 0 || i == 1 else { return [] }
                return setResponse(.trueFalse(i == 0))
            case .fillIn(let n):
                if i < n { return apply(.editBlank(i)) }
                return []
            }
        case .setTrueFalse(let v):
            guard item.kind == .trueFalse else { return [] }
            return setResponse(.trueFalse(v))
        case .editBlank(let k):
            guard case .fillIn(let n) = item.kind, k >= 0, k < n else { return [] }
            var existing = ""
            if case .blanks(let b) = item.response, k < b.count { existing = b[k] }
            mode = .editingBlank(k, LineEditor(text: existing))
        case .next: go(to: current + 1)
        case .previous: go(to: current - 1)
        case .jump(let n):
            if n >= 1 && n <= items.count { go(to: n - 1) }
        case .beginJump: mode = .jump("")
        case .toggleFlag:
            items[current].flagged.toggle()
            return [.setFlag(item: current, flagged: items[current].flagged)]
        case .showOverview: mode = .overview(selected: current)
        case .submit: mode = .confirmSubmit
        case .quit: mode = .confirmQuit
        case .scroll(let d): scroll = max(0, scroll + d)
        default: break
        }
        return []
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\u{3000}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\u{3000}" { s = s.dropLast() }
        return s
    }
}
