import Foundation
import Records

/// One node of the department roll-up. Each node aggregates its whole subtree; the root (path "")
/// is the total over the population.
///
/// - completion rate = completed ÷ (headcount − exempt); nil when nobody is required to train.
/// - mean score = the mean of the counting scores of the people who have one (blueprint points).
public struct DepartmentRollup: Sendable, Hashable, Codable {
    /// Full path ("江苏省/南京市/玄武区"); "" for the root.
    public var path: String
    /// Last path component ("玄武区"); "" for the root.
    public var name: String
    /// 0 for the root, 1 for a top-level department, …
    public var depth: Int
    public var headcount = 0
    public var completed = 0
    public var exempt = 0
    public var passed = 0
    public var overdue = 0
    public var failed = 0
    public var notStarted = 0
    public var scoreSum = 0.0
    public var scored = 0

    public init(path: String, name: String, depth: Int) {
        self.path = path
        self.name = name
        self.depth = depth
    }

    public var required: Int { headcount - exempt }
    public var completionRate: Double? { required > 0 ? Double(completed) / Double(required) : nil }
    public var meanScore: Double? { scored > 0 ? scoreSum / Double(scored) : nil }

    mutating func add(_ row: RosterRow) {
        headcount += 1
        switch row.status {
        case .completed: completed += 1
        case .exempt: exempt += 1
        case .overdue: overdue += 1
        case .failed: failed += 1
        case .notStarted: notStarted += 1
        default: break
        }
        if row.passed == true { passed += 1 }
        if let s = row.countingScore { scoreSum += s; scored += 1 }
    }
}

/// The department tree of a roster, flattened in pre-order (parents before children, siblings
/// in `DepartmentOrder`: 一中队 before 二中队, numbers by value, the rest by code point), root first.
public struct RosterRollup: Sendable, Hashable {
    public var nodes: [DepartmentRollup]

    public var total: DepartmentRollup { nodes[0] }

    public init(rows: [RosterRow]) {
        final class Node {
            var value: DepartmentRollup
            var children: [String: Node] = [:]
            init(_ v: DepartmentRollup) { value = v }
        }
        let root = Node(DepartmentRollup(path: "", name: "", depth: 0))
        for row in rows {
            root.value.add(row)
            var node = root
            var path = ""
            var depth = 0
            for part in row.department.split(separator: "/", omittingEmptySubsequences: true) {
                let name = String(part)
                path = path.isEmpty ? name : path + "/" + name
                depth += 1
                if let child = node.children[name] {
                    node = child
                } else {
                    let child = Node(DepartmentRollup(path: path, name: name, depth: depth))
                    node.children[name] = child
                    node = child
                }
                node.value.add(row)
            }
        }
        var out: [DepartmentRollup] = []
        func walk(_ n: Node) {
            out.append(n.value)
            for key in n.children.keys.sorted(by: DepartmentOrder.precedes) { walk(n.children[key]!) }
        }
        walk(root)
        nodes = out
    }

    /// Sorting by UTF-8 bytes (= code points): locale-independent and documented.
    public static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
