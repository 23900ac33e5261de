import CLibXML2
import Foundation

/// One-time libxml2 set-up: initialise the library and install the deny-all external entity
/// loader (which serves only the embedded schemas while they are compiled).
private let libxmlSetUp: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader(academyEntityLoader)
}()

/// Embedded schema files, visible to the entity loader only while a schema is being compiled.
nonisolated(unsafe) private var schemaFilesBeingCompiled: [String: [UInt8]] = [:]
private let schemaCompileLock = NSLock()

/// Deny-all external entity loader. The only thing it ever serves is an embedded schema file
/// (for `xs:include`) while `XMLSchemaSet` compiles; no file or network access ever happens.
private let academyEntityLoader: xmlExternalEntityLoader = { url, _, ctxt in
    guard let url, let name = String(validatingCString: url), !name.contains("://") else { return nil }
    let key = name.split(separator: "/").last.map(String.init) ?? name
    guard let bytes = schemaFilesBeingCompiled[key] else { return nil }
    let buffer: xmlParserInputBufferPtr? = bytes.withUnsafeBufferPointer { b in
        b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
            xmlParserInputBufferCreateMem($0, Int32(b.count), XML_CHAR_ENCODING_NONE)  // copies
        }
    }
    guard let buffer else { return nil }
    guard let input = xmlNewIOInputStream(ctxt, buffer, XML_CHAR_ENCODING_NONE) else {
        xmlFreeParserInputBuffer(buffer)
        return nil
    }
    return input
}

/// Swallows errors that would otherwise go to stderr (they are captured per context instead).
private let silentStructuredError: xmlStructuredErrorFunc = { _, _ in }

/// A set of XSD files held in memory (e.g. embedded in the binary), compiled on first use.
/// `xs:include` between them is resolved from the set, never from disk.
public final class XMLSchemaSet: @unchecked Sendable {
    public let files: [String: String]
    private var compiled: [String: xmlSchemaPtr] = [:]
    private let lock = NSLock()

    /// `files` maps a file name (e.g. `questionbank.xsd`) to its text.
    public init(files: [String: String]) {
        self.files = files
    }

    deinit {
        for (_, s) in compiled { xmlSchemaFree(s) }
    }

    public struct CompileError: Error, CustomStringConvertible {
        public var schema: String
        public var messages: [String]
        public var description: String { "schema \(schema) does not compile: " + messages.joined(separator: "; ") }
    }

    /// Compiles `name` (and its includes) now, throwing when it does not compile.
    public func check(_ name: String) throws {
        _ = try schema(named: name)
    }

    func schema(named name: String) throws -> xmlSchemaPtr {
        lock.lock()
        defer { lock.unlock() }
        if let s = compiled[name] { return s }
        _ = libxmlSetUp
        guard let text = files[name] else { throw CompileError(schema: name, messages: ["no such embedded schema"]) }
        schemaCompileLock.lock()
        defer { schemaCompileLock.unlock() }
        schemaFilesBeingCompiled = files.mapValues { Array($0.utf8) }
        defer { schemaFilesBeingCompiled = [:] }
        let sink = ProblemSink(lineMap: nil)
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        xmlSetStructuredErrorFunc(nil, silentStructuredError)
        // The parser context keeps a pointer to the text, so it is used only inside the closure.
        let bytes = Array(text.utf8)
        let parsed: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { text in
                guard let pctxt = xmlSchemaNewMemParserCtxt(text, Int32(b.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(pctxt) }
                xmlSchemaSetParserStructuredErrors(pctxt, problemHandler, sinkPtr)
                return xmlSchemaParse(pctxt)
            }
        }
        guard let schema = parsed else {
            throw CompileError(schema: name, messages: sink.problems.map(\.message))
        }
        compiled[name] = schema
        return schema
    }
}

/// Collects problems raised by libxml2 callbacks; positions come from the line map when a node
/// is known.
final class ProblemSink {
    var problems: [XMLProblem] = []
    var lineMap: LineMap?
    var doctypeSeen = false
    var stopped = false
    var fatalSeen = false

    init(lineMap: LineMap?) {
        self.lineMap = lineMap
    }

    func add(_ error: UnsafePointer<xmlError>) {
        let e = error.pointee
        if stopped { return }
        var message = e.message.flatMap { String(validatingCString: $0) } ?? "unknown error"
        while message.last?.isWhitespace == true { message.removeLast() }
        var position = XMLPosition(line: max(Int(e.line), 1), column: max(Int(e.int2), 1))
        var code = "xml-syntax"
        let domain = xmlErrorDomain(rawValue: UInt32(bitPattern: e.domain))
        if domain == XML_FROM_SCHEMASV || domain == XML_FROM_SCHEMASP {
            code = domain == XML_FROM_SCHEMASV ? "xsd-invalid" : "xsd-compile"
            if var node = e.node?.assumingMemoryBound(to: xmlNode.self) {
                if node.pointee.type == XML_ATTRIBUTE_NODE, let parent = node.pointee.parent { node = parent }
                if let p = node.pointee._private, let map = lineMap {
                    position = map.position(ofOffset: map.startOfTag(before: Int(bitPattern: p) - 1))
                }
            }
            message = L.pick(zh: "不符合 XSD：", en: "schema: ") + message
        } else if message.contains("Excessive depth") {
            code = "xml-too-deep"
            message = L.pick(zh: "元素嵌套过深（超过 256 层），已停止读取",
                             en: "elements are nested too deeply (more than 256 levels); reading stopped")
        } else if message.contains("not proper UTF-8") || message.contains("encoding") && e.code == XML_ERR_INVALID_ENCODING.rawValue {
            code = "xml-encoding"
            let detail = message.split(separator: "\n").dropFirst().joined(separator: " ")
            message = L.pick(
                zh: "文件不是有效的 UTF-8（\(detail)）；若文件其实是 GBK/GB2312，请在 XML 声明中写明 encoding=\"GB18030\"，最好另存为 UTF-8",
                en: "the file is not valid UTF-8 (\(detail)); if it is really GBK/GB2312, declare encoding=\"GB18030\" in the XML declaration, or better, save it as UTF-8")
        } else {
            message = message.replacingOccurrences(of: "\n", with: " ")
            message = L.pick(zh: "XML 格式错误：", en: "malformed XML: ") + message
        }
        let severity: XMLProblem.Severity = e.level == XML_ERR_WARNING ? .warning : .error
        if e.level == XML_ERR_FATAL {
            // libxml2 stops at the first fatal error; follow-on messages add nothing.
            if fatalSeen && code == "xml-syntax" { return }
            fatalSeen = true
        }
        problems.append(XMLProblem(severity, position, message, code: code))
    }
}

private let problemHandler: xmlStructuredErrorFunc = { ctx, error in
    guard let ctx, let error else { return }
    Unmanaged<ProblemSink>.fromOpaque(ctx).takeUnretainedValue().add(error)
}

/// Parser errors: libxml2 passes the parser context; the sink hangs off `_private`.
private let parserErrorHandler: xmlStructuredErrorFunc = { ctx, error in
    guard let ctx, let error else { return }
    let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let p = ctxt.pointee._private else { return }
    Unmanaged<ProblemSink>.fromOpaque(p).takeUnretainedValue().add(error)
}

/// Absolute byte offset of the parser's current position.
@inline(__always)
private func currentOffset(_ ctxt: xmlParserCtxtPtr) -> Int {
    guard let input = ctxt.pointee.input, let cur = input.pointee.cur, let base = input.pointee.base else { return 0 }
    return Int(input.pointee.consumed) + (cur - base)
}

/// Wraps libxml2's own start-element handler and records, in the new node's `_private`, the byte
/// offset just past the start tag's name and attributes (+1, so that 0 means "unknown").
private let startElementHook: startElementNsSAX2Func = { ctx, localname, prefix, uri, nbNs, namespaces, nbAttrs, nbDefaulted, attributes in
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nbNs, namespaces, nbAttrs, nbDefaulted, attributes)
    guard let ctx else { return }
    let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    if let node = ctxt.pointee.node {
        node.pointee._private = UnsafeMutableRawPointer(bitPattern: currentOffset(ctxt) + 1)
    }
}

/// Any DOCTYPE is refused before its internal subset (entities, external DTD) is looked at.
private let internalSubsetHook: internalSubsetSAXFunc = { ctx, _, _, _ in
    guard let ctx else { return }
    let ctxt = ctx.assumingMemoryBound(to: xmlParserCtxt.self)
    guard let p = ctxt.pointee._private else { xmlStopParser(ctxt); return }
    let sink = Unmanaged<ProblemSink>.fromOpaque(p).takeUnretainedValue()
    let offset = currentOffset(ctxt)
    let position = sink.lineMap?.position(ofOffset: sink.lineMap?.startOfTag(before: offset) ?? offset)
        ?? XMLPosition(line: 1, column: 1)
    sink.problems.append(XMLProblem(.error, position, L.pick(
        zh: "不允许 DOCTYPE 声明（文档类型定义可能引入外部文件或实体扩展）；请删除 <!DOCTYPE …>，内容由 XSD 校验",
        en: "DOCTYPE declarations are not allowed (they can pull in external files or expand entities); remove <!DOCTYPE …>, content is checked against the XSD"),
        code: "xml-doctype"))
    sink.doctypeSeen = true
    sink.stopped = true
    xmlStopParser(ctxt)
}

public enum XMLReader {
    /// Reads and parses a file. Size is checked before reading.
    /// - Parameter schemaFor: given the root element's name, the schema file (in `schemas`) to
    ///   validate against, or nil to skip validation.
    public static func read(file path: String, options: XMLReadOptions = XMLReadOptions(),
                            schemas: XMLSchemaSet? = nil,
                            schemaFor: (String) -> String? = { _ in nil }) -> XMLParseResult {
        switch readBytes(path: path, limit: options.maxBytes) {
        case .failure(let p):
            return XMLParseResult(root: nil, problems: [p])
        case .success(let bytes):
            return parse(bytes: bytes, options: options, schemas: schemas, schemaFor: schemaFor)
        }
    }

    static func tooLarge(_ size: Int, _ limit: Int) -> XMLProblem {
        let mb = { (n: Int) in String(format: "%.1f", Double(n) / 1_048_576) }
        return XMLProblem(.error, XMLPosition(line: 1, column: 1), L.pick(
            zh: "文件过大（\(mb(size)) MB，上限 \(mb(limit)) MB），未读取；请拆分为多个文件",
            en: "file too large (\(mb(size)) MB, the limit is \(mb(limit)) MB); it was not read — split it into several files"),
            code: "xml-too-large")
    }

    static func readBytes(path: String, limit: Int) -> Result<[UInt8], XMLProblem> {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            return .failure(XMLProblem(.error, XMLPosition(line: 1, column: 1),
                                       L.pick(zh: "无法打开文件：\(reason)", en: "cannot open file: \(reason)"), code: "xml-io"))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) > limit {
            return .failure(tooLarge(Int(st.st_size), limit))
        }
        var bytes: [UInt8] = []
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { bytes.reserveCapacity(Int(st.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                return .failure(XMLProblem(.error, XMLPosition(line: 1, column: 1),
                                           L.pick(zh: "读取文件失败：\(reason)", en: "cannot read file: \(reason)"), code: "xml-io"))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return .failure(tooLarge(bytes.count, limit)) }
        }
        return .success(bytes)
    }

    /// Parses a document held in memory (any supported encoding), validates it against the
    /// schema chosen by `schemaFor`, and returns it as values.
    public static func parse(bytes: [UInt8], options: XMLReadOptions = XMLReadOptions(),
                             schemas: XMLSchemaSet? = nil,
                             schemaFor: (String) -> String? = { _ in nil }) -> XMLParseResult {
        _ = libxmlSetUp
        if bytes.count > options.maxBytes { return XMLParseResult(root: nil, problems: [tooLarge(bytes.count, options.maxBytes)]) }
        let utf8: [UInt8]
        do {
            utf8 = try XMLEncoding.toUTF8(bytes)
        } catch {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, error.position, error.message, code: "xml-encoding")])
        }
        if utf8.count > Int(Int32.max) - 1 { return XMLParseResult(root: nil, problems: [tooLarge(utf8.count, options.maxBytes)]) }
        return utf8.withUnsafeBufferPointer { buffer in
            parseUTF8(buffer, schemas: schemas, schemaFor: schemaFor)
        }
    }

    private static func parseUTF8(_ buffer: UnsafeBufferPointer<UInt8>, schemas: XMLSchemaSet?,
                                  schemaFor: (String) -> String?) -> XMLParseResult {
        let sink = ProblemSink(lineMap: LineMap(buffer))
        if buffer.isEmpty {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, XMLPosition(line: 1, column: 1),
                L.pick(zh: "文件是空的", en: "the file is empty"), code: "xml-syntax")])
        }
        if let at = AttributeGuard.firstOverfullTag(in: buffer) {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, sink.lineMap!.position(ofOffset: at), L.pick(
                zh: "元素的属性超过 \(AttributeGuard.limit) 个，已拒绝读取",
                en: "an element has more than \(AttributeGuard.limit) attributes; the file was not read"), code: "xml-too-many-attributes")])
        }
        let sinkPtr = Unmanaged.passUnretained(sink).toOpaque()
        xmlSetStructuredErrorFunc(nil, silentStructuredError)
        guard let ctxt = xmlNewParserCtxt() else {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, XMLPosition(line: 1, column: 1), "out of memory", code: "xml-io")])
        }
        var ctxtAlive = true
        defer { if ctxtAlive { xmlFreeParserCtxt(ctxt) } }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
        xmlCtxtUseOptions(ctxt, options)
        if let sax = ctxt.pointee.sax {
            sax.pointee.startElementNs = startElementHook
            sax.pointee.internalSubset = internalSubsetHook
            sax.pointee.serror = parserErrorHandler
        }
        ctxt.pointee._private = sinkPtr
        // libxml2 2.9's "static" (no-copy) input buffers re-read shrunk content, so the input
        // gets its own copy.
        let raw = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        guard let inputBuffer = xmlParserInputBufferCreateMem(raw, Int32(buffer.count), XML_CHAR_ENCODING_UTF8),
              let input = xmlNewIOInputStream(ctxt, inputBuffer, XML_CHAR_ENCODING_UTF8) else {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, XMLPosition(line: 1, column: 1), "out of memory", code: "xml-io")])
        }
        inputPush(ctxt, input)
        xmlParseDocument(ctxt)
        let doc = ctxt.pointee.myDoc
        ctxt.pointee.myDoc = nil
        defer { if let doc { xmlFreeDoc(doc) } }
        let wellFormed = ctxt.pointee.wellFormed != 0 && !sink.doctypeSeen
        // The context holds a copy of the input; the document keeps its own reference to the
        // name dictionary, so the context can go now.
        xmlFreeParserCtxt(ctxt)
        ctxtAlive = false
        guard wellFormed, let doc, let rootNode = xmlDocGetRootElement(doc) else {
            if sink.problems.isEmpty {
                sink.problems.append(XMLProblem(.error, XMLPosition(line: 1, column: 1),
                    L.pick(zh: "XML 格式错误：没有根元素", en: "malformed XML: no root element"), code: "xml-syntax"))
            }
            return XMLParseResult(root: nil, problems: sink.problems)
        }
        let rootName = String(cString: rootNode.pointee.name)
        if let schemas, let schemaName = schemaFor(rootName) {
            do {
                let schema = try schemas.schema(named: schemaName)
                if let vctxt = xmlSchemaNewValidCtxt(schema) {
                    xmlSchemaSetValidStructuredErrors(vctxt, problemHandler, sinkPtr)
                    xmlSchemaValidateDoc(vctxt, doc)
                    xmlSchemaFreeValidCtxt(vctxt)
                }
            } catch {
                sink.problems.append(XMLProblem(.error, XMLPosition(line: 1, column: 1), "\(error)", code: "xsd-compile"))
            }
        }
        var converter = TreeConverter(lineMap: sink.lineMap!)
        let root = converter.convert(rootNode, freeingChildren: true)
        return XMLParseResult(root: root, problems: sink.problems)
    }
}

/// Turns the libxml2 tree into `XElement` values (document order, so offsets only grow).
private struct TreeConverter {
    var lineMap: LineMap

    /// With `freeingChildren`, each child subtree is freed as soon as it is converted, so the
    /// libxml2 tree and the value tree are never both whole in memory.
    mutating func convert(_ node: xmlNodePtr, freeingChildren: Bool = false) -> XElement {
        let n = node.pointee
        var name = String(cString: n.name)
        if let ns = n.ns, let prefix = ns.pointee.prefix {
            name = String(cString: prefix) + ":" + name
        }
        var attributes: [XAttribute] = []
        var a = n.properties
        while let attr = a {
            var aname = String(cString: attr.pointee.name)
            if let ns = attr.pointee.ns, let prefix = ns.pointee.prefix {
                aname = String(cString: prefix) + ":" + aname
            }
            var value = ""
            var t = attr.pointee.children
            while let tn = t {
                if let c = tn.pointee.content { value += String(cString: c) }
                t = tn.pointee.next
            }
            attributes.append(XAttribute(name: aname, value: value))
            a = attr.pointee.next
        }
        let position: XMLPosition
        if let p = n._private {
            position = lineMap.position(ofOffset: lineMap.startOfTag(before: Int(bitPattern: p) - 1))
        } else {
            position = XMLPosition(line: Int(xmlGetLineNo(node)), column: 1)
        }
        var nodes: [XNode] = []
        var c = n.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE:
                nodes.append(.element(convert(child)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content, !Self.isIndentation(content) {
                    let s = String(cString: content)
                    if case .text(let prev)? = nodes.last {
                        nodes[nodes.count - 1] = .text(prev + s)
                    } else {
                        nodes.append(.text(s))
                    }
                }
            default:
                break
            }
            c = child.pointee.next
            if freeingChildren {
                xmlUnlinkNode(child)
                xmlFreeNode(child)
            }
        }
        return XElement(name: name, attributes: attributes, nodes: nodes, position: position)
    }

    /// Whitespace containing a line break: the indentation between elements, never content.
    static func isIndentation(_ p: UnsafePointer<xmlChar>) -> Bool {
        var sawNewline = false
        var i = 0
        while true {
            switch p[i] {
            case 0: return sawNewline
            case 0x0A, 0x0D: sawNewline = true
            case 0x20, 0x09: break
            default: return false
            }
            i += 1
        }
    }
}
