import Foundation
import Records
import Spreadsheets

/// The library entry points behind `academy roster …` and `academy spotcheck draw`: look up the
/// cycle, check the department, query the store, and write the output atomically.
public enum RosterService {
    public struct Loaded: Sendable {
        public var context: RosterContext
        public var rows: [RosterRow]
        /// Computed on use (a CSV export does not need it).
        public var rollup: RosterRollup { RosterRollup(rows: rows) }

        public init(context: RosterContext, rows: [RosterRow]) {
            self.context = context
            self.rows = rows
        }
    }

    /// Looks up the cycle (unknown → `StoreError.unknownCycle`) and the department (a path with no
    /// staff at all under it → `RosterError.unknownDepartment`), then queries the roster.
    public static func load(
        store: any EducationStore, cycleID: String, department: String?, rule: CompletionRule,
        now: Date, chinese: Bool
    ) throws -> Loaded {
        guard let cycle = try store.cycle(id: cycleID) else { throw StoreError.unknownCycle(cycleID) }
        var dept = department?.trimmingCharacters(in: .whitespaces)
        while dept?.hasSuffix("/") == true { dept?.removeLast() }
        if dept?.isEmpty == true { dept = nil }
        let rows = try store.roster(cycleID: cycleID, department: dept, rule: rule, now: now)
        if let dept, rows.isEmpty, try store.staffList(department: dept).isEmpty {
            throw RosterError.unknownDepartment(dept, cycleID: cycleID)
        }
        let head = try store.chainHead()
        let context = RosterContext(
            cycle: cycle, department: dept, generatedAt: now,
            head: head.seq > 0 ? head : nil, chinese: chinese)
        return Loaded(context: context, rows: rows)
    }

    /// Where an export goes: a file (temp file + rename) or standard output.
    public enum Destination: Sendable {
        case file(URL)
        case standardOutput
    }

    /// Writes the roster. XLSX to standard output is built in a private temporary directory and
    /// copied out (the caller refuses that when stdout is a terminal).
    public static func export(
        _ loaded: Loaded, format: RosterFormat, to destination: Destination,
        encoding: CSVWriter.Encoding = .utf8(bom: true),
        progress: RosterExport.Progress? = nil
    ) throws {
        switch (format, destination) {
        case let (.csv, .file(url)):
            try AtomicFileWriter.write(to: url) { w in
                try RosterExport.writeCSV(
                    loaded.rows, context: loaded.context, to: w, encoding: encoding,
                    destinationName: w.displayName, progress: progress)
            }
        case (.csv, .standardOutput):
            try RosterExport.writeCSV(
                loaded.rows, context: loaded.context, to: FileDescriptorSink.standardOutput(),
                encoding: encoding, destinationName: "<stdout>", progress: progress)
        case let (.json, .file(url)):
            let data = try RosterExport.json(loaded.rows, rollup: loaded.rollup, context: loaded.context)
            try AtomicFileWriter.write(to: url) { try $0.write(data) }
        case (.json, .standardOutput):
            let data = try RosterExport.json(loaded.rows, rollup: loaded.rollup, context: loaded.context)
            try FileDescriptorSink.standardOutput().write(data)
        case let (.xlsx, .file(url)):
            try RosterExport.writeXLSX(loaded.rows, rollup: loaded.rollup, context: loaded.context, to: url, progress: progress)
        case (.xlsx, .standardOutput):
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "academy-roster-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("roster.xlsx")
            try RosterExport.writeXLSX(loaded.rows, rollup: loaded.rollup, context: loaded.context, to: url, progress: progress)
            try FileDescriptorSink.standardOutput().write(try Data(contentsOf: url))
        }
    }

    /// Writes the HTML report atomically (or to standard output).
    public static func writeReport(_ loaded: Loaded, to target: OutputTarget) throws {
        let html = RosterReport.html(rows: loaded.rows, rollup: loaded.rollup, context: loaded.context)
        switch target {
        case .file(let url): try AtomicFileWriter.write(to: url) { try $0.write(html) }
        case .standardOutput: try FileDescriptorSink.standardOutput().write(html)
        }
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
