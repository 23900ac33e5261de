import ArgumentParser
import Foundation
import Localization
import Spreadsheets

/// `--follow-symlinks`, shared by every command with `-o`; `resolve` applies the one rule for
/// output paths (see `OutputTarget` and `AtomicFileWriter.checkDestination`).
struct OutputFileOptions: ParsableArguments {
    @Flag(name: .customLong("follow-symlinks"), help: "-o 为符号链接时写入其指向的文件（默认拒绝）/ When -o is a symbolic link, write the file it points to (refused by default).")
    var followSymlinks = false

    /// The target of `-o ARG`, or why not (exit 1).
    func resolve(_ argument: String, _ language: Language) throws -> OutputTarget {
        do {
            return try OutputTarget.resolve(argument, followSymlinks: followSymlinks)
        } catch let e as SpreadsheetError {
            throw CommandExit(e.located(in: language))
        }
    }
}
