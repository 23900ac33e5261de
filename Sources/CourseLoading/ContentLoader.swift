import Courseware
import Foundation
import Localization
import XMLSupport

/// The result of loading content: the values, every diagnostic (sorted by file and position),
/// and the files that were read.
public struct LoadedContent: Sendable {
    public var content: ContentSet
    public var diagnostics: [Diagnostic]
    public var files: [String]
    /// The kind of each file that parsed, by path.
    public var kinds: [String: DocumentKind]

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

public enum ContentLoader {
    /// The embedded copies of `schemas/*.xsd`, keyed by file name.
    public static var embeddedSchemaFiles: [String: String] { EmbeddedSchemas.files }

    /// The schema set every load validates against (compiled once per process).
    public static let schemas = XMLSchemaSet(files: EmbeddedSchemas.files)

    public struct PathError: BilingualError, LocalizedText {
        public var path: String
        public func text(in language: Language) -> String { message.text(in: language) }
        public var message: BilingualText {
            BilingualText(zh: "路径不存在：\(path)", en: "no such file or directory: \(path)")
        }
    }

    /// Expands files and directories (recursively, `*.xml`, hidden entries skipped) into a
    /// sorted, de-duplicated list of files. Throws for a path that does not exist.
    public static func expand(paths: [String]) throws(PathError) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        var seen = Set<String>()
        func add(_ p: String) {
            let key = URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
            if seen.insert(key).inserted { out.append(p) }
        }
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw PathError(path: path) }
            if !isDir.boolValue {
                add(path)
                continue
            }
            var found: [String] = []
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            if let e = fm.enumerator(atPath: path) {
                while let rel = e.nextObject() as? String {
                    let name = (rel as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        e.skipDescendants()
                        continue
                    }
                    if name.lowercased().hasSuffix(".xml") {
                        var d: ObjCBool = false
                        let full = base == "." ? rel : base + "/" + rel
                        if fm.fileExists(atPath: full, isDirectory: &d), !d.boolValue { found.append(full) }
                    }
                }
            }
            found.sort()
            found.forEach(add)
        }
        return out
    }

    /// Loads and lints the files and directories given (see `expand`).
    public static func load(paths: [String], options: XMLReadOptions = XMLReadOptions()) throws(PathError) -> LoadedContent {
        let files = try expand(paths: paths)
        return load(
            files: files.map { f in
                (
                    f,
                    { onChild in
                        XMLReader.read(file: f, options: options, schemas: schemas, schemaFor: schemaFor, onChild: onChild)
                    }
                )
            })
    }

    /// Loads documents held in memory (for tools and tests): `(display path, bytes)`.
    public static func load(documents: [(path: String, bytes: [UInt8])], options: XMLReadOptions = XMLReadOptions())
        -> LoadedContent
    {
        load(
            files: documents.map { d in
                (
                    d.path,
                    { onChild in
                        XMLReader.parse(
                            bytes: d.bytes, options: options, schemas: schemas, schemaFor: schemaFor, onChild: onChild)
                    }
                )
            })
    }

    static func schemaFor(_ root: String) -> String? { DocumentKind(rawValue: root)?.schemaFile }

    /// Each file is read with a callback that takes the root's question children as they are
    /// parsed (only banks have those), so a large bank is never held as a whole XML tree.
    private static func load(files: [(String, (@escaping (XElement) -> Bool) -> XMLParseResult)]) -> LoadedContent {
        var content = ContentSet()
        var diagnostics: [Diagnostic] = []
        var side = SideLocations()
        var kinds: [String: DocumentKind] = [:]
        for (path, read) in files {
            var t = PhaseTimer.now()
            // A bank's questions are mapped as they are parsed (on the reader's helper thread).
            let stream = QuestionStream(mapper: DocumentMapper(file: path))
            let result = read { child in stream.take(child) }
            let streamed = stream.questions
            diagnostics += stream.checks.out
            t = PhaseTimer.mark("read \(path)", since: t)
            for p in result.problems {
                diagnostics.append(
                    Diagnostic(
                        p.severity == .error ? .error : .warning,
                        SourceLocation(file: path, line: p.position.line, column: p.position.column),
                        p.message, code: p.code))
            }
            guard let root = result.root else { continue }
            var mapper = DocumentMapper(file: path)
            guard let kind = DocumentKind(rawValue: root.name) else {
                diagnostics.append(
                    Diagnostic(
                        .error, mapper.loc(root),
                        BilingualText(
                            zh: "不认识的文档类型 <\(root.name)>；根元素应为 "
                                + DocumentKind.allCases.map { "<\($0.rawValue)>" }.joined(separator: "、"),
                            en: "unknown document kind <\(root.name)>; the root element must be one of "
                                + DocumentKind.allCases.map { "<\($0.rawValue)>" }.joined(separator: ", ")),
                        code: "unknown-document-kind"))
                continue
            }
            kinds[path] = kind
            checkSchemaLocation(root, kind: kind, mapper: mapper, into: &diagnostics)
            switch kind {
            case .provisions: content.provisionSets.append(mapper.provisions(root))
            case .course: content.courses.append(mapper.course(root))
            case .caseStudy: content.caseStudies.append(mapper.caseStudy(root))
            case .questionBank: content.banks.append(mapper.bank(root, streamed: streamed))
            case .blueprint: content.blueprints.append(mapper.blueprint(root))
            }
            diagnostics += mapper.diagnostics
            PhaseTimer.mark("map", since: t)
            side.bankRefs.merge(mapper.side.bankRefs) { a, _ in a }
            side.scoring.merge(mapper.side.scoring) { a, _ in a }
        }
        var linter = Linter(content: content, side: side)
        let tl = PhaseTimer.now()
        diagnostics += linter.run()
        PhaseTimer.mark("lint", since: tl)
        let order = Dictionary(files.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // By file (in the order read), line, column; ties keep the order found (stable).
        diagnostics = diagnostics.enumerated().sorted { x, y in
            let a = x.element, b = y.element
            let fa = order[a.location.file] ?? Int.max, fb = order[b.location.file] ?? Int.max
            if fa != fb { return fa < fb }
            if a.location.line != b.location.line { return a.location.line < b.location.line }
            if a.location.column != b.location.column { return a.location.column < b.location.column }
            return x.offset < y.offset
        }.map(\.element)
        return LoadedContent(content: content, diagnostics: diagnostics, files: files.map(\.0), kinds: kinds)
    }

    /// Content files should point editors at their XSD with `xsi:noNamespaceSchemaLocation`.
    private static func checkSchemaLocation(
        _ root: XElement, kind: DocumentKind, mapper: DocumentMapper,
        into diagnostics: inout [Diagnostic]
    ) {
        guard let hint = root[attribute: "xsi:noNamespaceSchemaLocation"] else {
            diagnostics.append(
                Diagnostic(
                    .warning, mapper.loc(root),
                    BilingualText(
                        zh:
                            "根元素没有 xsi:noNamespaceSchemaLocation，编辑器无法边写边校验；请加上 xsi:noNamespaceSchemaLocation=\"…/schemas/\(kind.schemaFile)\"",
                        en:
                            "the root element has no xsi:noNamespaceSchemaLocation, so editors cannot validate while typing; add xsi:noNamespaceSchemaLocation=\"…/schemas/\(kind.schemaFile)\""
                    ),
                    code: "missing-schema-location"))
            return
        }
        let name = hint.trimmingCharacters(in: .whitespaces).split(separator: "/").last.map(String.init) ?? ""
        if name != kind.schemaFile {
            diagnostics.append(
                Diagnostic(
                    .warning, mapper.loc(root),
                    BilingualText(
                        zh: "xsi:noNamespaceSchemaLocation 指向 “\(hint)”，但 <\(kind.rawValue)> 文档应使用 \(kind.schemaFile)",
                        en:
                            "xsi:noNamespaceSchemaLocation points at \"\(hint)\" but a <\(kind.rawValue)> document follows \(kind.schemaFile)"
                    ),
                    code: "schema-location-mismatch"))
        }
    }
}

/// Collects a bank's questions, mapped one by one as the reader completes them.
final class QuestionStream: @unchecked Sendable {
    private let mapper: DocumentMapper
    private(set) var questions: [Question] = []
    /// The single-question checks, run as each question arrives.
    private(set) var checks = QuestionChecks()

    init(mapper: DocumentMapper) {
        self.mapper = mapper
    }

    /// Takes question elements (true); leaves anything else in the tree (false).
    func take(_ element: XElement) -> Bool {
        guard DocumentMapper.questionElements.contains(element.name), let q = mapper.question(element) else { return false }
        questions.append(q)
        checks.checkQuestion(q)
        return true
    }
}
