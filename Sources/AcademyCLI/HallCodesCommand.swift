import ArgumentParser
import Foundation
import Hall
import Localization
import Records
import Spreadsheets

extension HallCommand {
    /// `academy hall codes issue|reissue|revoke`: exam codes (the officers' hall passwords).
    struct Codes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考试码：发放、补发、作废 / Exam codes: issue, reissue, revoke.",
            subcommands: [Issue.self, Reissue.self, Revoke.self]
        )

        struct SlipOptions: ParsableArguments {
            @Option(name: .shortAndLong, help: "输出 slips.html（可打印裁剪）或 codes.csv；省略则打印到屏幕 / Write slips.html or codes.csv.")
            var output: String?
            @Option(help: "考场地址，印在通知单上 / Hall address printed on the slips (HOST or HOST:PORT).")
            var address: String?

            func validate() throws {
                if let output, !output.lowercased().hasSuffix(".html"), !output.lowercased().hasSuffix(".csv") {
                    throw ValidationError("-o: the file must end in .html or .csv / 输出文件应为 .html 或 .csv")
                }
            }
        }

        struct Issue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "为周期内尚无考试码的在岗人员发放考试码 / Issue codes to everyone in the cycle who has none.",
                discussion: "考试码只显示这一次；数据库中只保存慢速加盐散列。Codes are shown only now; the store keeps slow salted hashes only.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Option(help: "只发放给该部门及其下级 / Only this department subtree.") var department: String?
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open(language)
                let (hostKey, _, _) = try key.load(database, language)
                let people = try HallCodeIssue.uncoded(in: store, cycleID: cycle, department: department)
                try Codes.issue(people, cycle: cycle, reissue: false, store: store, key: hostKey, slips: slips, clock, language)
            }
        }

        struct Reissue: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废并重新发放指定人员的考试码 / Revoke and reissue the codes of the given badges.")
            @OptionGroup var database: DatabaseOptions
            @OptionGroup var key: HallCommand.HostKeyOption
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String]
            @OptionGroup var slips: SlipOptions

            func run(in language: Language, clock: AcademyClock) throws {
                let store = try database.open(language)
                let (hostKey, _, _) = try key.load(database, language)
                let people = try HallCodeIssue.members(in: store, cycleID: cycle, badges: badges)
                try Codes.issue(people, cycle: cycle, reissue: true, store: store, key: hostKey, slips: slips, clock, language)
            }
        }

        struct Revoke: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废考试码（不指定人员则作废本周期全部）/ Revoke codes (all of the cycle's when no badge is given).")
            @OptionGroup var database: DatabaseOptions
            @Option(help: "培训周期编号 / Cycle id.") var cycle: String
            @Argument(help: "执法证号 / Badges.") var badges: [String] = []

            func run(in language: Language, clock: AcademyClock) throws {
                let revoked = try database.open(language)
                    .revokeHallCodes(cycleID: cycle, badges: badges.isEmpty ? nil : badges, at: clock.now())
                print(language.pick(zh: "已作废 \(revoked.count) 个考试码", en: "revoked \(revoked.count) code(s)"))
            }
        }

        /// Issues the codes (`HallCodeIssue.issue`), then writes the slips.
        static func issue(
            _ people: [StaffMember], cycle: String, reissue: Bool, store: any EducationStore, key hostKey: HostKey,
            slips: SlipOptions, _ clock: AcademyClock, _ language: Language
        ) throws {
            // The output file is made first, so a bad path fails before any code is stored.
            let writer = try slips.output.map { try AtomicFileWriter(destination: URL(fileURLWithPath: $0), permissions: 0o600) }
            let issue = try HallCodeIssue.issue(people, cycleID: cycle, reissue: reissue, in: store, at: clock.now())
            let address = slips.address ?? (ProcessInfo.processInfo.hostName + ":2222")
            let out = issue.render(address: address, fingerprint: hostKey.fingerprint, output: slips.output)
            guard let writer, let output = slips.output else { return print(out, terminator: "") }
            do {
                try writer.write(out)
                try writer.commit()
            } catch {
                writer.abort()
                throw error
            }
            print(
                language.pick(zh: "已发放 \(people.count) 个考试码，通知单：\(output)（请妥善保管，打印后删除）", en: "issued \(people.count) code(s); slips in \(output) (keep it safe; delete it after printing)"))
        }
    }
}
