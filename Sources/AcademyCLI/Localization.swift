import ArgumentParser
import Courseware
import Foundation
import Localization

/// The language of one run of `academy`, chosen once at the edge by `AcademyCommand.runMain`:
/// the global `--lang zh-Hans|en` (taken out of the arguments wherever it stands), else the
/// environment (`Language.fromEnvironment`: Chinese unless `ACADEMY_LANG` or the locale
/// explicitly names another language; `C`/`POSIX` give Chinese). `runMain` hands it to the
/// command, which passes it on as a value to whatever renders text (lint diagnostics, XML
/// errors, screens, reports). Nothing holds it in between.
/// The clock is chosen there too (`AcademyClock`), and whatever a command throws is put into
/// words in that language in one place (`CommandFailure`).
protocol LocalizedCommand: ParsableCommand {
    func run(in language: Language, clock: AcademyClock) throws
}

extension LocalizedCommand {
    /// Only for a caller that bypasses `runMain`: the environment's language and clock.
    mutating func run() throws {
        let env = ProcessInfo.processInfo.environment
        let language = Language.fromEnvironment(env)
        do { try run(in: language, clock: try AcademyClock.fromEnvironment(env)) } catch let e as AcademyClock.HookError {
            throw CommandExit(usage: e.message)
        } catch {
            throw CommandFailure.exit(for: error, in: language)
        }
    }
}

/// ArgumentParser calls `validate()` while it parses, and `validate()` takes no arguments: the
/// one place the language is a task-local, bound by `runMain` around parsing only. Commands get
/// theirs as the `run(in:)` parameter.
enum ParsingLanguage {
    @TaskLocal static var value: Language = .zhHans
}

/// The clock a command runs on (`CommandClock`: `ACADEMY_NOW` and `ACADEMY_CLOCK_OFFSET`), made
/// once by `runMain` and passed to `run(in:clock:)`.
typealias AcademyClock = CommandClock
