/// What the full-screen exam needs from the exam session. Every call is synchronous; `save`
/// returns only after the answer is durably committed (or throws).
public protocol ExamController: AnyObject {
    func save(item: Int, response: ExamResponse) throws
    func setFlag(item: Int, flagged: Bool) throws
    /// Seconds left by the session's clock (which keeps running while the officer is away).
    func remainingSeconds() -> Int
    /// Submits what is saved and returns the result screen's content.
    func submit(timedOut: Bool) throws -> ExamResultView
}

public enum ExamAppOutcome: Hashable, Sendable {
    /// Submitted and the officer closed the result screen.
    case submitted
    /// The officer left; the attempt stays open.
    case left
    /// A signal (SIGINT, SIGTERM, SIGHUP) ended the session; exit with 128 + signal.
    case terminated(Int32)
    /// The terminal went away (end of input).
    case disconnected
}

/// Runs the exam screen on a terminal: reads keys, applies actions, performs the effects
/// through the controller, redraws once per batch of input, and ticks the countdown.
public final class ExamApp {
    public private(set) var viewModel: ExamViewModel
    private let terminal: any TerminalDevice
    private let controller: ExamController
    private var renderer = DiffRenderer()
    /// Poll interval for the countdown.
    public var tickMilliseconds: Int32 = 250

    public init(terminal: any TerminalDevice, viewModel: ExamViewModel, controller: ExamController) {
        self.terminal = terminal
        self.viewModel = viewModel
        self.controller = controller
    }

    private func redraw() {
        let size = terminal.size
        viewModel.screenWidth = size.width
        var buffer = ScreenBuffer(width: size.width, height: size.height)
        ExamScreen.draw(viewModel, into: &buffer)
        terminal.writeString(renderer.render(buffer))
    }

    private var saves: [Int: (ExamResponse, Int)] = [:]
    private var saveOrder: [Int] = []

    /// Writes the newest revision of each changed item. Saves are coalesced per batch of
    /// input: a paste flood of keys costs one write per item touched, not one per key.
    private func flushSaves() {
        for item in saveOrder {
            guard let (response, revision) = saves[item] else { continue }
            do {
                try controller.save(item: item, response: response)
                viewModel.markSaved(item: item, revision: revision)
            } catch {
                viewModel.markSaveFailed(item: item, revision: revision, reason: "\(error)")
            }
        }
        saves = [:]
        saveOrder = []
    }

    /// Applies an action and performs its effects (saves are queued until `flushSaves`).
    private func perform(_ action: ExamAction) -> ExamAppOutcome? {
        for effect in viewModel.apply(action) {
            switch effect {
            case .save(let item, let response, let revision):
                if saves[item] == nil { saveOrder.append(item) }
                saves[item] = (response, revision)
            case .setFlag(let item, let flagged):
                try? controller.setFlag(item: item, flagged: flagged)
            case .submit(let timedOut):
                flushSaves()
                if timedOut { redraw() }
                do {
                    var result = try controller.submit(timedOut: timedOut)
                    result.timedOut = timedOut
                    viewModel.showResult(result)
                } catch {
                    viewModel.mode = .question
                    viewModel.message = viewModel.language.pick(zh: "交卷失败：", en: "Submit failed: ") + "\(error)"
                }
            case .leave:
                flushSaves()
                return viewModel.isFinished ? .submitted : .left
            }
        }
        return nil
    }

    public func run() throws -> ExamAppOutcome {
        try terminal.enter()
        defer { terminal.leave() }
        if let o = perform(.tick(remaining: controller.remainingSeconds())) { return o }
        redraw()
        while true {
            let event = terminal.nextEvent(timeoutMilliseconds: tickMilliseconds)
            switch event {
            case .terminate(let sig):
                return .terminated(sig)
            case .endOfInput:
                return .disconnected
            case .resize:
                renderer.invalidate()
            case .timeout:
                break
            case .keys(let keys):
                for key in keys {
                    if case .result = viewModel.mode {
                        let size = terminal.size
                        if viewModel.handleResultKey(key, width: size.width, height: size.height) {
                            return .submitted
                        }
                        continue
                    }
                    if key == .ctrl("l") { renderer.invalidate() }
                    // With the layout hidden by the too-small notice, keys could change answers
                    // the officer cannot see: only Ctrl-C (leave; answers are saved) is honoured.
                    let size = terminal.size
                    if !SizeGuard.fits(width: size.width, height: size.height) {
                        if key == .ctrl("c") { return viewModel.isFinished ? .submitted : .left }
                        continue
                    }
                    // Applied at once so the next key is mapped in the new mode.
                    if let a = ExamKeymap.action(for: key, in: viewModel), let o = perform(a) {
                        flushSaves()
                        return o
                    }
                }
            }
            flushSaves()
            if !viewModel.isFinished, let o = perform(.tick(remaining: controller.remainingSeconds())) { return o }
            redraw()
        }
    }
}
