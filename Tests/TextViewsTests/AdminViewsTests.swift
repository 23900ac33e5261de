import Foundation
import Localization
import Records
import XCTest

@testable import Rosters
@testable import TextViews

/// The text of `cycle list|show`, `staff list|show`, `spotcheck draw` and `record verify`.
final class AdminViewsTests: XCTestCase {
    static let cycle = TrainingCycle(
        id: "2026-spring", title: "春季培训", courseID: "course-1", blueprintID: "bp-1", departments: [], roles: [.officer],
        opens: CalendarDay("2026-01-10")!, due: CalendarDay("2026-02-10")!, timeZoneID: "Asia/Shanghai",
        createdAt: Date(timeIntervalSince1970: 0))
    static let member = StaffMember(
        badge: "A001", name: "张三", department: "示例省/示例市", role: .officer, status: .active,
        joinedAt: Date(timeIntervalSince1970: 0), leftAt: nil)

    func testCycles() {
        XCTAssertEqual(AdminViews.cycles([], json: false, language: .zhHans), "（没有培训周期）")
        XCTAssertEqual(AdminViews.cycles([], json: false, language: .en), "(no cycles)")
        XCTAssertEqual(AdminViews.cycles([], json: true, language: .en), TextFormat.json([Any]()))
        let text = AdminViews.cycles([Self.cycle], json: false, language: .en)
        XCTAssertEqual(
            text,
            TextFormat.table([
                ["id", "opens", "due", "course", "blueprint", "title"],
                ["2026-spring", "2026-01-10", "2026-02-10", "course-1", "bp-1", "春季培训"],
            ]))
    }

    func testCycleOverview() throws {
        let bare = CycleOverview(cycle: Self.cycle, population: 3, exempt: 1, statusCounts: nil)
        let text = AdminViews.cycle(bare, json: false, language: .en)
        XCTAssertTrue(text.contains("population now"), text)
        XCTAssertTrue(text.contains("(course course-1 or blueprint bp-1 not found in the content; cannot compute)"), text)
        XCTAssertTrue(text.contains("2026-01-10 00:00 – 2026-02-10 23:59:59 (Asia/Shanghai)"), text)
        let counted = CycleOverview(cycle: Self.cycle, population: 3, exempt: 1, statusCounts: ["exempt": 1, "completed": 2])
        let zh = AdminViews.cycle(counted, json: false, language: .zhHans)
        XCTAssertTrue(zh.contains("已完成"), zh)
        XCTAssertFalse(zh.contains("无法计算"), zh)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(AdminViews.cycle(counted, json: true, language: .en).utf8)) as? [String: Any])
        XCTAssertEqual(json["population"] as? Int, 3)
        XCTAssertEqual((json["statusCounts"] as? [String: Int])?["not_started"], 0)
        let none = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(AdminViews.cycle(bare, json: true, language: .en).utf8)) as? [String: Any])
        XCTAssertTrue(none["statusCounts"] is NSNull)
    }

    func testStaff() {
        XCTAssertEqual(AdminViews.staff([], json: false, language: .en), "(no staff)")
        let zh = AdminViews.staff([Self.member], json: false, language: .zhHans)
        XCTAssertTrue(zh.hasSuffix("\n共 1 人"), zh)
        XCTAssertTrue(zh.contains("执法人员"), zh)
        XCTAssertTrue(AdminViews.staff([Self.member], json: false, language: .en).hasSuffix("\n1 people"))
        let show = AdminViews.staffMember(Self.member, json: false, language: .en)
        XCTAssertTrue(show.contains("department"), show)
        XCTAssertTrue(show.contains("active"), show)
        XCTAssertEqual(AdminViews.staffMember(Self.member, json: true, language: .en), TextFormat.json(RecordView.json(Self.member)))
    }

    func testSpotCheck() throws {
        let draw = try SpotCheckDraw.draw(population: ["A001", "A002"], percent: 100, seed: 7, inspectors: ["李检查"])
        let recorded = SpotCheck(
            id: 5, cycleID: "2026-spring", seed: 7, percent: 100, selected: draw.selected, inspectors: draw.inspectors,
            drawnAt: Date(timeIntervalSince1970: 0))
        let text = AdminViews.spotCheck(
            draw, recorded: recorded, people: ["A001": Self.member], cycle: "2026-spring", seed: 7, percent: 100, json: false,
            language: .en)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines[0], "Spot check #5: cycle 2026-spring, seed 7, 100%, 2 of 2 people")
        XCTAssertTrue(text.contains("李检查"), text)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(
                    AdminViews.spotCheck(
                        draw, recorded: recorded, people: [:], cycle: "2026-spring", seed: 7, percent: 100, json: true, language: .en
                    ).utf8)) as? [String: Any])
        XCTAssertEqual(json["seed"] as? String, "7")
        XCTAssertEqual((json["selected"] as? [[String: Any]])?.count, 2)
    }

    func testHead() throws {
        let head = ChainHead(seq: 12, hash: String(repeating: "c", count: 64), at: nil)
        XCTAssertEqual(AdminViews.head(head, json: false, language: .en), head.hash + "\nevent #12, " + TextFormat.dateTime(nil))
        XCTAssertTrue(AdminViews.head(head, json: false, language: .zhHans).hasSuffix("事件 #12，" + TextFormat.dateTime(nil)))
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(AdminViews.head(head, json: true, language: .en).utf8)) as? [String: Any])
        XCTAssertEqual(json["seq"] as? Int, 12)
    }

    func testCertificatesChecked() {
        XCTAssertEqual(AdminViews.certificatesChecked(3, failures: 1, language: .en), "checked 3: 2 match, 1 do not")
        XCTAssertEqual(AdminViews.certificatesChecked(3, failures: 1, language: .zhHans), "核验 3 张：2 张相符，1 张不符")
    }

    func testCertificateVerdicts() {
        let cert = Certificate(
            name: "张三", badge: "A001", unit: "执法大队", cycleID: "2026-spring", course: "严格规范执法", hours: "4", score: "90.0 / 100",
            date: "2026-01-20", code: "abcd-abcd-abcd-abcd-abcd")
        let shown = AdminViews.certificateVerdict(.valid(cert), printed: [:], file: nil, language: .en)
        XCTAssertTrue(shown.genuine)
        XCTAssertEqual(shown.lines.first, "VALID: the record shows this completion; compare it with the certificate")
        XCTAssertEqual(shown.lines.last, "  Cycle：2026-spring")
        XCTAssertEqual(shown.lines.count, 9)
        let matches = AdminViews.certificateVerdict(.valid(cert), printed: ["name": "张三"], file: ("certs.html", 2, "abcd"), language: .zhHans)
        XCTAssertTrue(matches.genuine)
        XCTAssertEqual(matches.lines, ["certs.html 第 2 张（abcd）：相符"])
        let differs = AdminViews.certificateVerdict(.valid(cert), printed: ["name": "李四", "hours": "8"], file: nil, language: .en)
        XCTAssertFalse(differs.genuine)
        XCTAssertEqual(
            differs.lines,
            ["MISMATCH: Name reads \"李四\", the record says \"张三\"", "MISMATCH: Hours reads \"8\", the record says \"4\""])
        XCTAssertFalse(AdminViews.certificateVerdict(.unknownCode, printed: [:], file: nil, language: .en).genuine)
        XCTAssertEqual(
            AdminViews.certificateVerdict(.notACompletion(badge: nil, cycleID: "c"), printed: [:], file: nil, language: .en).lines,
            ["INVALID: the code is not the completion of ? in cycle c"])
        XCTAssertTrue(
            AdminViews.certificateVerdict(.brokenChain(seq: 9), printed: [:], file: nil, language: .zhHans).lines[0].contains("事件 9"))
    }
}
