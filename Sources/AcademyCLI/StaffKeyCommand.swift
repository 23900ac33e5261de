import ArgumentParser
import Foundation
import Hall
import Localization
import Records
import TextViews

extension StaffCommand {
    /// `academy staff key add BADGE --file id_ed25519.pub`: lets an officer log in to the exam
    /// hall with an SSH key instead of an exam code.
    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "考场 SSH 公钥 / SSH public keys for the exam hall.",
            subcommands: [Add.self]
        )

        struct Add: LocalizedCommand {
            static let configuration = CommandConfiguration(
                abstract: "登记一把 SSH 公钥（记入事件链）/ Register an SSH public key (recorded in the event chain).")
            @OptionGroup var database: DatabaseOptions
            @Argument(help: "执法证号 / Badge.") var badge: String
            @Option(help: "公钥文件，如 id_ed25519.pub / Public key file, e.g. id_ed25519.pub.") var file: String

            func run(in language: Language, clock: AcademyClock) throws {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandExit(language.pick(zh: "无法读取 \(file)", en: "cannot read \(file)"))
                }
                let key: OfficerPublicKey
                do { key = try OfficerPublicKey(text: String(decoding: data, as: UTF8.self), file: file) } catch { throw CommandExit("\(error)") }
                let store = try database.open(language)
                guard try store.staffMember(badge: badge) != nil else { throw AttemptRefusal.unknownBadge(badge) }
                let added = try store.addHallKey(
                    HallKey(badge: badge, fingerprint: key.fingerprint, publicKey: key.line, addedAt: clock.now()))
                print(
                    added
                        ? language.pick(zh: "已登记 \(badge) 的公钥 \(key.fingerprint)", en: "registered key \(key.fingerprint) for \(badge)")
                        : language.pick(zh: "\(badge) 已登记过该公钥 \(key.fingerprint)", en: "\(badge) already has key \(key.fingerprint)"))
            }
        }
    }
}
