import Foundation
import Localization
import Records
import Rosters

/// The text and JSON of the administrators' listings: cycles, staff, spot-check draws.
public enum AdminViews {
    /// `cycle list`.
    public static func cycles(_ cycles: [TrainingCycle], json: Bool, language: Language) -> String {
        if json { return TextFormat.json(cycles.map(RecordView.json)) }
        if cycles.isEmpty { return language.pick(zh: "（没有培训周期）", en: "(no cycles)") }
        let zh = (language == .zhHans)
        return TextFormat.table(
            [zh ? ["编号", "开始", "截止", "课程", "蓝图", "标题"] : ["id", "opens", "due", "course", "blueprint", "title"]]
                + cycles.map { [$0.id, $0.opens.description, $0.due.description, $0.courseID, $0.blueprintID, $0.title] })
    }

    /// `cycle show`.
    public static func cycle(_ o: CycleOverview, json: Bool, language: Language) -> String {
        let cycle = o.cycle
        if json {
            var obj = RecordView.json(cycle)
            obj["population"] = o.population
            obj["exempt"] = o.exempt
            obj["statusCounts"] =
                o.statusCounts.map { c in Dictionary(uniqueKeysWithValues: CycleStatus.allKeys.map { ($0, c[$0] ?? 0) }) } ?? NSNull()
            return TextFormat.json(obj)
        }
        let zh = (language == .zhHans)
        let window = "\(cycle.opens) 00:00 – \(cycle.due) 23:59:59 (\(cycle.timeZoneID))"
        var rows: [[String]] = [
            [zh ? "编号" : "id", cycle.id], [zh ? "标题" : "title", cycle.title],
            [zh ? "课程" : "course", cycle.courseID], [zh ? "试卷蓝图" : "blueprint", cycle.blueprintID],
            [
                zh ? "参训部门" : "departments",
                cycle.departments.isEmpty ? (zh ? "全部" : "all") : cycle.departments.joined(separator: "; "),
            ],
            [
                zh ? "人员类别" : "roles",
                cycle.roles.isEmpty
                    ? (zh ? "全部" : "all") : cycle.roles.map { zh ? $0.chinese : $0.rawValue }.joined(separator: ", "),
            ],
            [zh ? "时间窗口" : "window", window],
            [zh ? "当前参训人数" : "population now", String(o.population)],
        ]
        if let counts = o.statusCounts {
            for key in CycleStatus.allKeys {
                rows.append(["  " + RecordView.statusLabel(key).text(in: language), String(counts[key] ?? 0)])
            }
        } else {
            rows.append([
                zh ? "状态统计" : "status counts",
                zh
                    ? "（未找到课程 \(cycle.courseID) 或蓝图 \(cycle.blueprintID) 的内容，无法计算）"
                    : "(course \(cycle.courseID) or blueprint \(cycle.blueprintID) not found in the content; cannot compute)",
            ])
            rows.append([zh ? "免训" : "exempt", String(o.exempt)])
        }
        return TextFormat.table(rows)
    }

    /// `staff list`: the table and the count, or a note when there is nobody.
    public static func staff(_ staff: [StaffMember], json: Bool, language: Language) -> String {
        if json { return TextFormat.json(staff.map(RecordView.json)) }
        if staff.isEmpty { return language.pick(zh: "（没有人员）", en: "(no staff)") }
        let header =
            (language == .zhHans) ? ["执法证号", "姓名", "人员类别", "状态", "所属部门"] : ["badge", "name", "role", "status", "department"]
        let rows = staff.map {
            [
                $0.badge, $0.name, language.pick(zh: $0.role.chinese, en: $0.role.rawValue),
                language.pick(zh: $0.status.chinese, en: $0.status.rawValue), $0.department,
            ]
        }
        return TextFormat.table([header] + rows) + "\n" + language.pick(zh: "共 \(staff.count) 人", en: "\(staff.count) people")
    }

    /// `staff show`.
    public static func staffMember(_ m: StaffMember, json: Bool, language: Language) -> String {
        if json { return TextFormat.json(RecordView.json(m)) }
        let zh = (language == .zhHans)
        return TextFormat.table([
            [zh ? "执法证号" : "badge", m.badge],
            [zh ? "姓名" : "name", m.name],
            [zh ? "所属部门" : "department", m.department],
            [zh ? "人员类别" : "role", zh ? m.role.chinese : m.role.rawValue],
            [zh ? "状态" : "status", zh ? m.status.chinese : m.status.rawValue],
            [zh ? "首次导入" : "joined", TextFormat.dateTime(m.joinedAt)],
            [zh ? "离岗时间" : "left", TextFormat.dateTime(m.leftAt)],
        ])
    }

    /// `spotcheck draw`: the draw as recorded (`recorded`), with the people's names and departments.
    public static func spotCheck(
        _ draw: SpotCheckDraw, recorded: SpotCheck, people: [String: StaffMember], cycle: String, seed: UInt64, percent: Double,
        json: Bool, language: Language
    ) -> String {
        if json {
            return TextFormat.json(
                [
                    "schema_version": 1, "id": recorded.id, "cycle": cycle, "seed": String(seed), "percent": percent,
                    "population": draw.populationSize, "inspectors": draw.inspectors,
                    "selected": draw.selected.enumerated().map { i, b -> [String: Any] in
                        [
                            "badge": b, "name": people[b]?.name ?? "", "department": people[b]?.department ?? "",
                            "inspector": draw.inspector(forSelectionAt: i) ?? NSNull(),
                        ]
                    },
                ] as [String: Any])
        }
        let chinese = (language == .zhHans)
        let title =
            chinese
            ? "双随机抽查 #\(recorded.id)：培训周期 \(cycle)，种子 \(seed)，比例 \(TextFormat.score(percent))%，从 \(draw.populationSize) 人中抽取 \(draw.selected.count) 人"
            : "Spot check #\(recorded.id): cycle \(cycle), seed \(seed), \(TextFormat.score(percent))%, \(draw.selected.count) of \(draw.populationSize) people"
        var table = [
            [
                chinese ? "序号" : "#", chinese ? "执法证号" : "badge", chinese ? "姓名" : "name",
                chinese ? "所属部门" : "department", chinese ? "检查人员" : "inspector",
            ]
        ]
        for (i, b) in draw.selected.enumerated() {
            table.append([String(i + 1), b, people[b]?.name ?? "", people[b]?.department ?? "", draw.inspector(forSelectionAt: i) ?? "-"])
        }
        return title + "\n" + TextFormat.table(table)
    }

    /// `record verify`'s words on one certificate: `genuine` when it is in the record and (when
    /// `printed` holds the fields printed on it) reads as the record; the lines go to standard
    /// error when not. `file` names the certificate in a file: the file, its number there, its code.
    public static func certificateVerdict(
        _ verdict: CertificateService.Verdict, printed: [String: String], file: (path: String, number: Int, code: String)?,
        language: Language
    ) -> (genuine: Bool, lines: [String]) {
        let prefix = file.map { f in
            language.pick(zh: "\(f.path) 第 \(f.number) 张（\(f.code)）：", en: "\(f.path) certificate \(f.number) (\(f.code)): ")
        } ?? ""
        switch verdict {
        case .unknownCode:
            return (false, [prefix + language.pick(zh: "无效：档案中没有这个验证码对应的完成记录", en: "INVALID: no completion in the record has this code")])
        case .brokenChain(let seq):
            return (false, [prefix + language.pick(zh: "无效：事件 \(seq) 的哈希与事件链不符，档案可能被改动（运行 academy audit verify）", en: "INVALID: event \(seq) does not match the hash chain; the record may have been altered (run academy audit verify)")])
        case let .notACompletion(badge, cycle):
            return (false, [prefix + language.pick(zh: "无效：该验证码不是 \(badge ?? "?") 在培训周期 \(cycle ?? "?") 的完成记录", en: "INVALID: the code is not the completion of \(badge ?? "?") in cycle \(cycle ?? "?")")])
        case .valid(let cert):
            let differ = cert.fields().filter { f in printed[f.key].map { $0 != f.value } ?? false }
            guard differ.isEmpty else {
                return (false, differ.map { f in
                    prefix + language.pick(zh: "不符：\(f.zh) 印为“\(printed[f.key]!)”，档案为“\(f.value)”", en: "MISMATCH: \(f.en) reads \"\(printed[f.key]!)\", the record says \"\(f.value)\"")
                })
            }
            guard printed.isEmpty else { return (true, [prefix + language.pick(zh: "相符", en: "matches")]) }
            return (
                true,
                [language.pick(zh: "有效：档案中的完成记录如下，请与证明逐项核对", en: "VALID: the record shows this completion; compare it with the certificate")]
                    + cert.fields().map { "  \(language.pick(zh: $0.zh, en: $0.en))：\($0.value)" }
                    + ["  \(language.pick(zh: "培训周期", en: "Cycle"))：\(cert.cycleID)"]
            )
        }
    }

    /// The last line of `record verify --file`.
    public static func certificatesChecked(_ count: Int, failures: Int, language: Language) -> String {
        language.pick(
            zh: "核验 \(count) 张：\(count - failures) 张相符，\(failures) 张不符", en: "checked \(count): \(count - failures) match, \(failures) do not")
    }

    /// `audit head`: the hash on the first line (for the written report), then event number and time.
    public static func head(_ head: ChainHead, json: Bool, language: Language) -> String {
        if json { return TextFormat.json(["seq": head.seq, "hash": head.hash, "at": TextFormat.iso(head.at)]) }
        let at = TextFormat.dateTime(head.at)
        return head.hash + "\n" + language.pick(zh: "事件 #\(head.seq)，\(at)", en: "event #\(head.seq), \(at)")
    }
}
