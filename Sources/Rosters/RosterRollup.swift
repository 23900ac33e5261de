import Foundation
import Localization
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
    /// Passed the exam but not yet done with the required lessons (status `passed`).
    public var passedPending = 0
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
        case .passed: passedPending += 1
        default: break
        }
        if row.passed == true { passed += 1 }
        if let s = row.countingScore { scoreSum += s; scored += 1 }
    }
}

/// The department tree of a roster, flattened in pre-order (parents before children, siblings
/// in `DepartmentOrder`: 一中队 before 二中队, numbers by value, the rest by code point), root first.
///
/// With a `scope` (the `--department` path) the root is that department (path = the scope, name
/// = its last component) and depths count from it: the scope's ancestors never appear.
public struct RosterRollup: Sendable, Hashable {
    public var nodes: [DepartmentRollup]
    /// The `--department` path the tree is rooted at, if any.
    public var scope: String?

    public var total: DepartmentRollup { nodes[0] }

    public init(rows: [RosterRow], scope: String? = nil) {
        let builder = Builder(scope: scope)
        for row in rows { builder.add(row) }
        self = builder.finish()
    }

    /// Builds the tree one row at a time (a streamed roster): holds one node per department,
    /// never the rows.
    public final class Builder {
        private final class Node {
            var value: DepartmentRollup
            var children: [String: Node] = [:]
            init(_ v: DepartmentRollup) { value = v }
        }
        private let scope: String?
        private let scopeParts: [Substring]
        private let root: Node

        public init(scope: String?) {
            self.scope = scope
            scopeParts = scope?.split(separator: "/", omittingEmptySubsequences: true) ?? []
            root = Node(DepartmentRollup(path: scope ?? "", name: scopeParts.last.map(String.init) ?? "", depth: 0))
        }

        public func add(_ row: RosterRow) {
            root.value.add(row)
            var node = root
            var path = scope ?? ""
            var depth = 0
            let parts = row.department.split(separator: "/", omittingEmptySubsequences: true)
            let below = parts.starts(with: scopeParts) ? parts.dropFirst(scopeParts.count) : parts[...]
            for part in below {
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

        public func finish() -> RosterRollup {
            var out: [DepartmentRollup] = []
            func walk(_ n: Node) {
                out.append(n.value)
                for key in n.children.keys.sorted(by: DepartmentOrder.precedes) { walk(n.children[key]!) }
            }
            walk(root)
            return RosterRollup(nodes: out, scope: scope)
        }
    }

    init(nodes: [DepartmentRollup], scope: String?) {
        self.nodes = nodes
        self.scope = scope
    }

    /// The subtree at `path` re-rooted as if rolled up with that scope (the figures are the same:
    /// each node already aggregates its whole subtree).
    public func subtree(at path: String) -> RosterRollup {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let top = nodes.first(where: { $0.path == path }) else {
            return RosterRollup(nodes: [DepartmentRollup(path: path, name: parts.last.map(String.init) ?? "", depth: 0)], scope: path)
        }
        let nodes = self.nodes.filter { $0.path == path || $0.path.hasPrefix(path + "/") }.map { n -> DepartmentRollup in
            var n = n
            n.depth -= top.depth
            return n
        }
        return RosterRollup(nodes: nodes, scope: path)
    }

    /// The roll-up of a streamed roster: one pass.
    public init(_ rows: RosterRows, scope: String? = nil) throws {
        let builder = Builder(scope: scope)
        try rows.forEach(builder.add)
        self = builder.finish()
    }

    /// Sorting by UTF-8 bytes (= code points): locale-independent and documented.
    public static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

extension RosterRollup {
    /// How a node is labelled in every listing (summary, 汇总 sheet, report): the root is 合计
    /// (or, with a scope, the scope department's name); every other node shows only its own
    /// name, indented one level per depth below the root's children (scoped: below the root).
    public func label(_ n: DepartmentRollup, _ language: Language) -> (level: Int, text: String) {
        if n.depth == 0 {
            return (0, scope == nil ? language.pick(zh: "合计", en: "Total") : n.name)
        }
        return (scope == nil ? n.depth - 1 : n.depth, n.name)
    }
}
