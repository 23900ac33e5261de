import Foundation
import Localization
import Records
import Spreadsheets

/// The library entry points behind `academy roster …` and `academy spotcheck draw`: look up the
/// cycle, check the department, query the store, and write the output atomically.
public enum RosterService {
    /// A roster ready to be written: what it is about, and its rows as a stream (nothing is
    /// read from the store until an output makes a pass).
    public struct Loaded: Sendable {
        public var context: RosterContext
        public var source: RosterRows

        public init(context: RosterContext, source: RosterRows) {
            self.context = context
            self.source = source
        }

        public init(context: RosterContext, rows: [RosterRow]) {
            self.init(context: context, source: .array(rows))
        }

        /// Every row in memory (tests and small rosters; outputs stream `source`).
        public func rows() throws -> [RosterRow] { try source.collect() }

        /// The department roll-up: one pass over the rows, holding one node per department.
        public func rollup() throws -> RosterRollup { try RosterRollup(source, scope: context.department) }
    }

    /// Looks up the cycle (unknown → `StoreError.unknownCycle`) and the department (a full path
    /// or a unique suffix of one, see `resolveDepartment`; a path no one was ever under →
    /// `RosterError.unknownDepartment`). The rows stream from the store when an output reads them.
    public static func load(
        store: any EducationStore, cycleID: String, department: String?, rule: CompletionRule,
        now: Date, language: Language
    ) throws -> Loaded {
        guard let cycle = try store.cycle(id: cycleID) else { throw StoreError.unknownCycle(cycleID) }
        var known: [String]?
        let dept = try resolveDepartment(
            department,
            known: {
                known = try store.departments()
                return known!
            }, cycleID: cycleID)
        if let dept, !(known ?? []).contains(dept) { throw RosterError.unknownDepartment(dept, cycleID: cycleID) }
        let head = try store.chainHead()
        let context = RosterContext(
            cycle: cycle, department: dept, generatedAt: now,
            head: head.seq > 0 ? head : nil, language: language)
        return Loaded(
            context: context, source: .store(store, cycleID: cycleID, department: dept, rule: rule, now: now))
    }

    /// `--department`: a full path ("市局/东城区大队"), or a suffix of exactly one known path made of
    /// whole components ("东城区大队"). Trailing slashes and spaces are ignored; an empty value
    /// means no filter. An ambiguous suffix is an error listing the matches; a path that matches
    /// nothing is returned as is (the caller reports it as unknown when nobody is under it).
    public static func resolveDepartment(_ raw: String?, known: [String], cycleID: String) throws -> String? {
        try resolveDepartment(raw, known: { known }, cycleID: cycleID)
    }

    /// As above; `known` is asked for only when a department is given.
    public static func resolveDepartment(_ raw: String?, known: () throws -> [String], cycleID: String) throws -> String? {
        var dept = raw?.trimmingCharacters(in: .whitespaces)
        while dept?.hasSuffix("/") == true { dept?.removeLast() }
        while dept?.hasPrefix("/") == true { dept?.removeFirst() }
        guard let d = dept, !d.isEmpty else { return nil }
        let known = try known()
        if known.contains(d) { return d }
        let matches = known.filter { $0.hasSuffix("/" + d) }.sorted(by: DepartmentOrder.pathPrecedes)
        if matches.count > 1 { throw RosterError.ambiguousDepartment(d, matches: matches) }
        return matches.first ?? d
    }

    /// Rows whose status or role is among those asked for (`roster export --status/--role`).
    public static func filter(_ rows: [RosterRow], statuses: Set<RosterStatusFilter>, roles: Set<StaffRole>) -> [RosterRow] {
        rows.filter(matcher(statuses: statuses, roles: roles))
    }

    /// The same filter applied as the rows stream.
    public static func filter(_ rows: RosterRows, statuses: Set<RosterStatusFilter>, roles: Set<StaffRole>) -> RosterRows {
        guard !statuses.isEmpty || !roles.isEmpty else { return rows }
        return rows.filtered(matcher(statuses: statuses, roles: roles))
    }

    static func matcher(statuses: Set<RosterStatusFilter>, roles: Set<StaffRole>) -> @Sendable (RosterRow) -> Bool {
        { r in (roles.isEmpty || roles.contains(r.role)) && (statuses.isEmpty || statuses.contains { $0.matches(r) }) }
    }

    /// Where an export goes: a file (temp file + rename) or standard output.
    public enum Destination: Sendable {
        case file(URL)
        case standardOutput

        /// Where `-o` (resolved) sends it.
        public init(_ target: OutputTarget) {
            switch target {
            case .standardOutput: self = .standardOutput
            case .file(let url): self = .file(url)
            }
        }
    }

    /// The note a roster command gives when the cycle's population is empty, ending with `what` it
    /// wrote all the same; nil when there is someone.
    public static func emptyNote(cycle: String, count: Int, wrote what: BilingualText) -> BilingualText? {
        guard count == 0 else { return nil }
        return BilingualText(
            zh: "注意：培训周期 \(cycle) 的人员范围为空（没有符合其部门与人员类别的在岗人员）；\(what.zh)",
            en: "note: the population of cycle \(cycle) is empty (no active staff match its departments and roles); \(what.en)")
    }

    /// The warning when the content lacks the cycle's course or blueprint (the assumed rule is used).
    public static func noContentWarning(_ cycle: TrainingCycle) -> BilingualText {
        BilingualText(
            zh: "警告：未找到课程 \(cycle.courseID) 或考试方案 \(cycle.blueprintID) 的内容，课程总数按 0 计、考试次数上限按 3 计",
            en: "warning: no content for course \(cycle.courseID) or blueprint \(cycle.blueprintID); counting 0 required lessons and at most 3 attempts")
    }

    /// Writes the roster as the rows stream (CSV and XLSX: one pass; JSON: a roll-up pass, then
    /// the rows) and returns how many were written. XLSX to standard output is built in a private
    /// temporary directory and copied out in chunks (the caller refuses that when stdout is a terminal).
    @discardableResult
    public static func export(
        _ loaded: Loaded, format: RosterFormat, to destination: Destination,
        encoding: CSVWriter.Encoding = .utf8(bom: true),
        progress: RosterExport.Progress? = nil
    ) throws -> Int {
        switch (format, destination) {
        case let (.csv, .file(url)):
            var n = 0
            try AtomicFileWriter.write(to: url) { w in
                n = try RosterExport.writeCSV(
                    loaded.source, context: loaded.context, to: w, encoding: encoding,
                    destinationName: w.displayName, progress: progress)
            }
            return n
        case (.csv, .standardOutput):
            return try RosterExport.writeCSV(
                loaded.source, context: loaded.context, to: FileDescriptorSink.standardOutput(),
                encoding: encoding, destinationName: "<stdout>", progress: progress)
        case let (.json, .file(url)):
            let rollup = try loaded.rollup()
            var n = 0
            try AtomicFileWriter.write(to: url) { w in
                n = try RosterExport.writeJSON(loaded.source, rollup: rollup, context: loaded.context, to: w)
            }
            return n
        case (.json, .standardOutput):
            return try RosterExport.writeJSON(
                loaded.source, rollup: try loaded.rollup(), context: loaded.context, to: FileDescriptorSink.standardOutput())
        case let (.xlsx, .file(url)):
            return try RosterExport.writeXLSX(loaded.source, context: loaded.context, to: url, progress: progress)
        case (.xlsx, .standardOutput):
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "academy-roster-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("roster.xlsx")
            let n = try RosterExport.writeXLSX(loaded.source, context: loaded.context, to: url, progress: progress)
            let file = try FileHandle(forReadingFrom: url)
            defer { try? file.close() }
            let out = FileDescriptorSink.standardOutput()
            while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(chunk) }
            return n
        }
    }

    /// The report's input: the loaded roster plus the cycle's exemptions and spot-check draws.
    /// `level` (chart and table, below the scope's root) must exist in the tree.
    public static func reportInput(
        _ loaded: Loaded, store: any EducationStore, header: ReportHeader, level: Int?
    ) throws -> RosterReport.Input {
        let rollup = try loaded.rollup()
        let deepest = rollup.nodes.map(\.depth).max() ?? 0
        if let level, level < 1 || (level > deepest && deepest > 0) {
            throw RosterError.badLevel(level, deepest: max(1, deepest))
        }
        let exemptions = Dictionary(
            try store.exemptions(cycleID: loaded.context.cycle.id).map { ($0.badge, $0) }, uniquingKeysWith: { a, _ in a })
        return RosterReport.Input(
            source: loaded.source, rollup: rollup, context: loaded.context, header: header, exemptions: exemptions,
            spotChecks: try store.spotChecks(cycleID: loaded.context.cycle.id), level: level ?? 1)
    }

    /// Writes the HTML report as it is produced, atomically (or to standard output).
    public static func writeReport(_ input: RosterReport.Input, to target: OutputTarget) throws {
        switch target {
        case .file(let url): try AtomicFileWriter.write(to: url) { try RosterReport.write(input, to: $0) }
        case .standardOutput: try RosterReport.write(input, to: FileDescriptorSink.standardOutput())
        }
    }

    /// `roster report --each-department LEVEL -o DIR/`: one report per department at `level`
    /// below the scope's root, named `NN-名称.html`, and `index.html` linking them with their
    /// figures. Returns the files written (index last).
    public static func writeEachDepartment(_ input: RosterReport.Input, level: Int, to dir: URL) throws -> [URL] {
        let deepest = input.rollup.nodes.map(\.depth).max() ?? 0
        guard level >= 1, level <= deepest else { throw RosterError.badLevel(level, deepest: max(1, deepest)) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let units = input.rollup.nodes.filter { $0.depth == level }
        let width = String(units.count).count
        var written: [(URL, DepartmentRollup)] = []
        for (i, unit) in units.enumerated() {
            var sub = input
            sub.source = input.source.narrowed(to: unit.path)
            sub.context.department = unit.path
            sub.rollup = input.rollup.subtree(at: unit.path)
            sub.level = 1
            let number = String(repeating: "0", count: width - String(i + 1).count) + String(i + 1)
            let url = dir.appendingPathComponent("\(number)-\(fileSafe(unit.name)).html")
            try writeReport(sub, to: .file(url))
            written.append((url, unit))
        }
        let index = dir.appendingPathComponent("index.html")
        let html = ReportIndex.html(input, units: written.map { ($0.0.lastPathComponent, $0.1) })
        try AtomicFileWriter.write(to: index) { try $0.write(html) }
        return written.map(\.0) + [index]
    }

    /// A department name as a file name: no slash, no control character, no leading dot.
    static func fileSafe(_ name: String) -> String {
        var s = String(name.unicodeScalars.map { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0 == ":" ? "_" : Character($0) })
        while s.hasPrefix(".") { s.removeFirst() }
        return s.isEmpty ? "_" : String(s.prefix(80))
    }

    /// Draws and records a 双随机 spot check over the cycle's current population.
    public static func drawSpotCheck(
        store: any EducationStore, cycleID: String, percent: Double, seed: UInt64,
        inspectors: [String], at: Date
    ) throws -> (SpotCheckDraw, SpotCheck, [String: StaffMember]) {
        guard try store.cycle(id: cycleID) != nil else { throw StoreError.unknownCycle(cycleID) }
        guard percent.isFinite, percent > 0, percent <= 100 else { throw RosterError.badPercent(percent) }
        let people = try store.population(cycleID: cycleID, department: nil)
        if people.isEmpty { throw RosterError.emptyPopulation(cycleID: cycleID) }
        let draw = try SpotCheckDraw.draw(population: people.map(\.badge), percent: percent, seed: seed, inspectors: inspectors)
        let recorded = try store.recordSpotCheck(
            cycleID: cycleID, seed: seed, percent: percent, selected: draw.selected,
            inspectors: draw.inspectors, at: at)
        var byBadge: [String: StaffMember] = [:]
        for p in people { byBadge[p.badge] = p }
        return (draw, recorded, byBadge)
    }
}
