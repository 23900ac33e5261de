import Foundation
import Localization

/// Which database a run of `academy` uses: the `--db` option of a command, the global `--db`
/// that may stand before the command, `ACADEMY_DB`, the configuration file, the default.
public enum DatabaseChoice {
    /// The database when nothing names one: in the working directory.
    public static let fallback = "academy.sqlite"

    /// `explicit` (a command's `--db`), else `ACADEMY_DB`, else `db =` in the configuration file
    /// (`AcademyConfig.current`), else `fallback`. An empty value counts as none. A configuration
    /// file that cannot be read counts as none here: `academy` refuses it before any command runs.
    public static func path(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["ACADEMY_DB"], !env.isEmpty { return env }
        if let configured = (try? AcademyConfig.current(environment: environment))?.db { return configured }
        return fallback
    }

    /// Takes `--db PATH` and `--db=PATH` off the front of `arguments` (before the command name),
    /// where they name the database of the whole run as `ACADEMY_DB` does; the last one wins.
    /// A `--db` without a value is refused.
    public static func leading(_ arguments: [String]) throws(UsageProblem) -> (arguments: [String], database: String?) {
        var args = arguments[...]
        var database: String? = nil
        while let first = args.first, first == "--db" || first.hasPrefix("--db=") {
            if first == "--db" {
                guard args.count > 1 else {
                    throw UsageProblem(BilingualText("academy: --db needs a path / --db 需要数据库文件路径"))
                }
                database = args[args.startIndex + 1]
                args = args.dropFirst(2)
            } else {
                database = String(first.dropFirst("--db=".count))
                args = args.dropFirst()
            }
        }
        return (Array(args), database)
    }
}
