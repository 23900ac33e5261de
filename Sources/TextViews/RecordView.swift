import Foundation
import Localization
import Records

public enum RecordView {
    public static func json(_ r: EducationRecord) -> [String: Any] {
        [
            "schema": "academy.record/1",
            "staff": RecordView.json(r.staff),
            "staffChanges": r.staffChanges.map {
                ["event": $0.eventSeq, "at": TextFormat.iso($0.at), "kind": $0.kind, "changes": $0.changes, "source": $0.source]
                    as [String: Any]
            },
            "cycles": r.cycles.map { h -> [String: Any] in
                let counted = h.standing?.countingAttemptNumber
                return [
                    "cycle": RecordView.json(h.cycle),
                    "inPopulation": h.inPopulation,
                    "status": h.standing.map { $0.status.key } ?? NSNull(),
                    "itemsDone": h.standing.map { $0.itemsDone } ?? NSNull(),
                    "itemsTotal": h.standing.map { $0.itemsTotal } ?? NSNull(),
                    "completedAt": TextFormat.iso(h.standing?.completedAt),
                    "lessons": h.finished.map { ["item": $0.itemID, "finishedAt": TextFormat.iso($0.finishedAt)] },
                    "attempts": h.attempts.map { a -> [String: Any] in
                        [
                            "id": a.id, "number": a.number, "state": a.state.rawValue,
                            "startedAt": TextFormat.iso(a.startedAt), "submittedAt": TextFormat.iso(a.submittedAt),
                            "endReason": a.endReason?.rawValue ?? NSNull(), "timeLimitSeconds": a.timeLimitSeconds,
                            "blueprint": a.blueprintID, "blueprintVersion": a.blueprintVersion, "bankHash": a.bankHash,
                            "seed": String(a.seed), "counts": counted == a.number,
                            "grades": a.grades.map { g -> [String: Any] in
                                [
                                    "score": g.score, "maxScore": g.maxScore, "passed": g.passed,
                                    "gradedAt": TextFormat.iso(g.gradedAt),
                                    "reason": g.reason, "regrade": g.isRegrade,
                                ]
                            },
                        ]
                    },
                    "exemption": h.exemption.map { e -> Any in
                        ["reason": e.reason, "grantedBy": e.grantedBy, "grantedAt": TextFormat.iso(e.grantedAt)] as [String: Any]
                    } ?? NSNull(),
                    "spotChecks": h.spotChecks.map { s -> [String: Any] in
                        [
                            "id": s.id, "seed": String(s.seed), "percent": s.percent, "inspectors": s.inspectors,
                            "drawnAt": TextFormat.iso(s.drawnAt),
                        ]
                    },
                ]
            },
        ]
    }

    public static func text(_ r: EducationRecord, language: Language) -> String {
        let zh = language == .zhHans
        func t(_ a: String, _ b: String) -> String { language.pick(zh: a, en: b) }
        let s = r.staff
        var out: [String] = []
        out.append(t("教育培训档案", "Education record") + " — \(s.name) (\(s.badge))")
        out.append(
            TextFormat.table([
                [t("所属部门", "department"), s.department],
                [t("人员类别", "role"), zh ? s.role.chinese : s.role.rawValue],
                [
                    t("状态", "status"),
                    (zh ? s.status.chinese : s.status.rawValue) + (s.leftAt.map { " (\(TextFormat.dateTime($0)))" } ?? ""),
                ],
            ]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        if !r.staffChanges.isEmpty {
            out.append("")
            out.append(t("人员变动：", "Staff changes:"))
            for c in r.staffChanges {
                let kind: String
                switch c.kind {
                case "added": kind = t("导入", "added")
                case "inactivated": kind = t("离岗", "made inactive")
                default: kind = t("变更", "updated")
                }
                let detail = c.changes.keys.sorted().map { k -> String in
                    let v = c.changes[k]!
                    return v.count == 2 ? "\(k): \(v[0]) → \(v[1])" : "\(k): \(v.first ?? "")"
                }.joined(separator: "; ")
                out.append(
                    "  \(TextFormat.dateTime(c.at))  \(kind)  \(detail)\(c.source.isEmpty ? "" : "  [\(c.source)]")  #\(c.eventSeq)"
                )
            }
        }
        if r.cycles.isEmpty {
            out.append("")
            out.append(t("（尚无培训周期记录）", "(no training cycles yet)"))
        }
        for h in r.cycles {
            let c = h.cycle
            out.append("")
            var title = "\(t("培训周期", "Cycle")) \(c.id) 「\(c.title)」 \(c.opens) – \(c.due)"
            if !h.inPopulation { title += t("（当前不在参训范围内）", " (not in the current population)") }
            out.append(title)
            if let st = h.standing {
                var line = "  \(t("状态", "status")): \(st.status.label.text(in: language))"
                if case .studying = st.status {
                } else {
                    line += t("，学习 \(st.itemsDone)/\(st.itemsTotal)", ", lessons \(st.itemsDone)/\(st.itemsTotal)")
                }
                if let d = st.completedAt { line += t("，完成于 ", ", completed ") + TextFormat.dateTime(d) }
                out.append(line)
            }
            out.append("  " + t("学习记录", "Lessons read") + (h.finished.isEmpty ? t("：无", ": none") : t("：", ":")))
            for f in h.finished { out.append("    \(TextFormat.dateTime(f.finishedAt))  \(f.itemID)") }
            out.append("  " + t("考试", "Attempts") + (h.attempts.isEmpty ? t("：无", ": none") : t("：", ":")))
            for a in h.attempts {
                var line = "    #\(a.number)  \(TextFormat.dateTime(a.startedAt))"
                if a.state == .open {
                    line += t("  进行中", "  in progress")
                } else {
                    line += " → \(TextFormat.dateTime(a.submittedAt))"
                    line += a.endReason == .timeout ? t("（超时自动交卷）", " (timed out)") : ""
                    let grades = a.grades.map { g in
                        "\(TextFormat.score(g.score))/\(TextFormat.score(g.maxScore)) "
                            + (g.passed ? t("通过", "passed") : t("未通过", "failed"))
                            + (g.isRegrade
                                ? t(
                                    "（重新评分：\(g.reason)，\(TextFormat.dateTime(g.gradedAt))）",
                                    " (regraded: \(g.reason), \(TextFormat.dateTime(g.gradedAt)))") : "")
                    }
                    line += "  " + grades.joined(separator: " ⇒ ")
                }
                if h.standing?.countingAttemptNumber == a.number { line += t("  ← 计入成绩", "  ← counts") }
                out.append(line)
                out.append(
                    "       "
                        + t(
                            "蓝图 \(a.blueprintID) v\(a.blueprintVersion)，种子 \(a.seed)，题库 \(a.bankHash.prefix(12))",
                            "blueprint \(a.blueprintID) v\(a.blueprintVersion), seed \(a.seed), bank \(a.bankHash.prefix(12))"))
            }
            if let e = h.exemption {
                out.append(
                    "  "
                        + t(
                            "免训：\(e.reason)（批准人 \(e.grantedBy)，\(TextFormat.dateTime(e.grantedAt))）",
                            "Exempt: \(e.reason) (granted by \(e.grantedBy), \(TextFormat.dateTime(e.grantedAt)))"))
            }
            for sc in h.spotChecks {
                out.append(
                    "  "
                        + t(
                            "双随机抽查：\(TextFormat.dateTime(sc.drawnAt)) 抽中（种子 \(sc.seed)，比例 \(TextFormat.score(sc.percent))%）",
                            "Spot check: selected \(TextFormat.dateTime(sc.drawnAt)) (seed \(sc.seed), \(TextFormat.score(sc.percent))%)"
                        )
                        + (sc.inspectors.isEmpty ? "" : t("，检查人员 ", ", inspectors ") + sc.inspectors.joined(separator: "、")))
            }
        }
        return out.joined(separator: "\n")
    }

    public static func json(_ m: StaffMember) -> [String: Any] {
        [
            "badge": m.badge, "name": m.name, "department": m.department, "role": m.role.rawValue,
            "status": m.status.rawValue, "joinedAt": TextFormat.iso(m.joinedAt), "leftAt": TextFormat.iso(m.leftAt),
        ]
    }

    public static func json(_ c: TrainingCycle) -> [String: Any] {
        [
            "id": c.id, "title": c.title, "course": c.courseID, "blueprint": c.blueprintID, "departments": c.departments,
            "roles": c.roles.map(\.rawValue), "opens": c.opens.description, "due": c.due.description, "timeZone": c.timeZoneID,
            "windowStart": TextFormat.iso(c.windowStart), "windowEnd": TextFormat.iso(c.windowEnd),
            "createdAt": TextFormat.iso(c.createdAt),
        ]
    }

    public static func statusLabel(_ key: String) -> BilingualText {
        switch key {
        case "not_started": BilingualText(zh: "未开始", en: "not started")
        case "studying": BilingualText(zh: "学习中", en: "studying")
        case "passed": BilingualText(zh: "考试已通过", en: "exam passed")
        case "failed": BilingualText(zh: "未通过（次数用完）", en: "failed")
        case "completed": BilingualText(zh: "已完成", en: "completed")
        case "exempt": BilingualText(zh: "免训", en: "exempt")
        case "overdue": BilingualText(zh: "逾期", en: "overdue")
        default: BilingualText(zh: key, en: key)
        }
    }
}
