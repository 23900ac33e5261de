import ArgumentParser

/// The root of the `academy` command tree. Each subcommand lives in its own file.
public struct AcademyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "academy",
        abstract: "城市管理执法人员教育培训与考试系统 / Training and examination for urban-management enforcement staff.",
        subcommands: [StaffCommand.self, CycleCommand.self, RecordCommand.self, AuditCommand.self, DevCommand.self, RosterCommand.self, SpotcheckCommand.self]
    )
    public init() {}
}
