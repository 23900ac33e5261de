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
        let sink = ProblemSink()
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

/// Collects problems raised by libxml2 callbacks.
class ProblemSink {
    var problems: [XMLProblem] = []
    var stopped = false
    var fatalSeen = false

    /// Where the element being validated starts, for schema errors.
    func currentElementPosition() -> XMLPosition? { nil }

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
            if domain == XML_FROM_SCHEMASV, let p = currentElementPosition() { position = p }
            message = L.pick(zh: "不符合 XSD：", en: "schema: ") + message.replacingOccurrences(of: "\n", with: " ")
        } else if message.contains("Excessive depth") {
            code = "xml-too-deep"
            message = L.pick(
                zh: "元素嵌套过深（超过 256 层），已停止读取",
                en: "elements are nested too deeply (more than 256 levels); reading stopped")
        } else if message.contains("not proper UTF-8")
            || message.contains("encoding") && e.code == XML_ERR_INVALID_ENCODING.rawValue
        {
            code = "xml-encoding"
            let detail = message.split(separator: "\n").dropFirst().joined(separator: " ")
            message = L.pick(
                zh: "文件不是有效的 UTF-8（\(detail)）；若文件其实是 GBK/GB2312，请在 XML 声明中写明 encoding=\"GB18030\"，最好另存为 UTF-8",
                en:
                    "the file is not valid UTF-8 (\(detail)); if it is really GBK/GB2312, declare encoding=\"GB18030\" in the XML declaration, or better, save it as UTF-8"
            )
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

/// One parse. The SAX callbacks (on the parsing thread) only record compact events — element
/// starts with their byte offset and attributes, text runs, element ends — on a tape; a
/// `TreeBuilder` turns the tape into `XElement` values, on a second thread for large documents,
/// while the XSD validator plugged into the same event stream checks the document. libxml2
/// never builds a tree.
final class ParseSession: ProblemSink {
    let ctxt: xmlParserCtxtPtr
    /// For error positions on the parsing thread.
    let lineMap: LineMap
    let builder: TreeBuilder
    let queue: DispatchQueue?
    var doctypeSeen = false
    /// All recording state sits in one struct so that each callback makes one access to it.
    var recorder = Recorder()

    init(ctxt: xmlParserCtxtPtr, lineMap: LineMap, builder: TreeBuilder, concurrent: Bool) {
        self.ctxt = ctxt
        self.lineMap = lineMap
        self.builder = builder
        queue = concurrent ? DispatchQueue(label: "academy.xml.tree-builder") : nil
        recorder.concurrent = concurrent
    }

    /// The plug calls our end handler before the validator's, so an error raised at an end tag
    /// (a facet over the element's text) belongs to the element that just ended.
    override func currentElementPosition() -> XMLPosition? {
        (recorder.justEnded ?? recorder.offsets.last).map { lineMap.position(ofOffset: lineMap.startOfTag(before: $0)) }
    }

    /// Absolute byte offset of the parser's current position.
    @inline(__always)
    func currentOffset() -> Int {
        guard let input = ctxt.pointee.input, let cur = input.pointee.cur, let base = input.pointee.base else { return 0 }
        return Int(input.pointee.consumed) + (cur - base)
    }

    func start(
        localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, count: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        recorder.start(offset: currentOffset(), localname: localname, prefix: prefix, count: count, attributes: attributes)
    }

    func characters(_ p: UnsafePointer<xmlChar>, _ n: Int) {
        recorder.characters(p, n)
    }

    func end() {
        if let chunk = recorder.end(), let queue {
            let builder = self.builder
            queue.async { builder.consume(chunk) }
        }
    }

    /// Hands over what is left and waits until the builder has consumed everything.
    func finish() {
        let chunk = recorder.takeChunk()
        if let queue {
            let builder = self.builder
            queue.sync { builder.consume(chunk) }
        } else {
            builder.consume(chunk)
        }
    }
}

struct Recorder {
    struct NameKey: Hashable {
        var prefix: UnsafeRawPointer?
        var local: UnsafeRawPointer
    }

    var concurrent = false
    /// Start-tag offsets of the open elements.
    var offsets: [Int] = []
    var tape = Tape()
    var nameIndex: [NameKey: Int] = [:]
    var names: [String] = []
    /// Index of the text event still being extended (none after a start or end tag).
    var openText: Int?
    /// Start-tag offset of the element whose end tag was the last event, if it was one.
    var justEnded: Int?

    init() {
        offsets.reserveCapacity(64)
        tape.reserve()
    }

    /// Names are interned in the parser's dictionary, so their pointers identify them.
    @inline(__always)
    mutating func name(_ local: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?) -> Int {
        let key = NameKey(prefix: prefix.map { UnsafeRawPointer($0) }, local: UnsafeRawPointer(local))
        if let i = nameIndex[key] { return i }
        var n = String(cString: local)
        if let prefix { n = String(cString: prefix) + ":" + n }
        names.append(n)
        nameIndex[key] = names.count - 1
        return names.count - 1
    }

    mutating func start(
        offset: Int, localname: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, count: Int,
        attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        offsets.append(offset)
        openText = nil
        justEnded = nil
        tape.events.append(Tape.start)
        tape.events.append(name(localname, prefix))
        tape.events.append(offset)
        let countAt = tape.events.count
        tape.events.append(0)
        var kept = 0
        if count > 0, let attributes {
            for i in 0..<count {
                let base = attributes + 5 * i
                guard let local = base[0], let start = base[3], let end = base[4] else { continue }
                tape.events.append(name(local, base[1]))
                tape.events.append(tape.bytes.count)
                tape.events.append(end - start)
                tape.bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: end - start))
                kept += 1
            }
        }
        tape.events[countAt] = kept
    }

    mutating func characters(_ p: UnsafePointer<xmlChar>, _ n: Int) {
        guard !offsets.isEmpty, n > 0 else { return }
        if let t = openText {
            tape.events[t + 2] += n  // libxml2 delivers a text run in pieces: extend it
        } else {
            openText = tape.events.count
            tape.events.append(Tape.text)
            tape.events.append(tape.bytes.count)
            tape.events.append(n)
        }
        tape.bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
    }

    /// Returns a chunk of tape to hand over, every so many completed children of the root.
    mutating func end() -> Tape? {
        guard let ended = offsets.popLast() else { return nil }
        justEnded = ended
        openText = nil
        tape.events.append(Tape.end)
        if concurrent && tape.events.count > 16_384 { return takeChunk() }
        return nil
    }

    mutating func takeChunk() -> Tape {
        var chunk = tape
        chunk.names = names
        openText = nil
        tape = Tape()
        tape.reserve()
        return chunk
    }
}

/// Recorded SAX events: `[start, name, offset, n, (name, valueStart, valueLength) × n]`,
/// `[text, start, length]`, `[end]`; text and attribute values live in `bytes`.
struct Tape: Sendable {
    static let start = 0, text = 1, end = 2
    var events: [Int] = []
    var bytes: [UInt8] = []
    var names: [String] = []

    mutating func reserve() {
        events.reserveCapacity(8192)
        bytes.reserveCapacity(1 << 16)
    }
}

/// Turns tape into `XElement` values. Used by one thread at a time.
final class TreeBuilder: @unchecked Sendable {
    var state: TreeState

    init(lineMap: LineMap, onChild: ((XElement) -> Bool)?, streamDepth: Int) {
        state = TreeState(lineMap: lineMap, onChild: onChild, streamDepth: streamDepth)
    }

    var root: XElement? { state.root }

    func consume(_ tape: Tape) { state.consume(tape) }
}

struct TreeState {
    struct Frame {
        var name: String
        var attributes: [XAttribute]
        var nodes: [XNode]
        var position: XMLPosition
        var hasElementChild = false
        /// `nodes[0]` is whitespace with a line break that may turn out to be indentation.
        var leadingIndentation = false
    }

    let lineMap: LineMap
    let onChild: ((XElement) -> Bool)?
    let streamDepth: Int
    var stack: [Frame] = []
    var root: XElement?
    var text: [UInt8] = []

    init(lineMap: LineMap, onChild: ((XElement) -> Bool)?, streamDepth: Int) {
        self.lineMap = lineMap
        self.onChild = onChild
        self.streamDepth = streamDepth
        stack.reserveCapacity(64)
    }

    mutating func consume(_ tape: Tape) {
        let ev = tape.events
        var i = 0
        tape.bytes.withUnsafeBufferPointer { bytes in
            while i < ev.count {
                switch ev[i] {
                case Tape.start:
                    flushText()
                    let name = tape.names[ev[i + 1]]
                    let offset = ev[i + 2]
                    let n = ev[i + 3]
                    i += 4
                    var attrs: [XAttribute] = []
                    if n > 0 {
                        attrs.reserveCapacity(n)
                        for _ in 0..<n {
                            let value = UnsafeBufferPointer(rebasing: bytes[ev[i + 1]..<(ev[i + 1] + ev[i + 2])])
                            attrs.append(XAttribute(name: tape.names[ev[i]], value: Self.attributeValue(value)))
                            i += 3
                        }
                    }
                    let position = lineMap.position(ofOffset: lineMap.startOfTag(before: offset))
                    stack.append(Frame(name: name, attributes: attrs, nodes: [], position: position))
                case Tape.text:
                    text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[ev[i + 1]..<(ev[i + 1] + ev[i + 2])]))
                    i += 3
                default:
                    end()
                    i += 1
                }
            }
        }
    }

    /// libxml2 hands attribute values over with `&` written as `&#38;` (it leaves that to the
    /// tree builder); every other reference is already replaced.
    static func attributeValue(_ v: UnsafeBufferPointer<xmlChar>) -> String {
        guard v.contains(0x26) else { return String(decoding: v, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(v.count)
        var i = 0
        while i < v.count {
            if v[i] == 0x26, i + 4 < v.count, v[i + 1] == 0x23, v[i + 2] == 0x33, v[i + 3] == 0x38, v[i + 4] == 0x3B {
                out.append(0x26)
                i += 5
            } else {
                out.append(v[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func flushText() {
        guard !text.isEmpty else { return }
        defer { text.removeAll(keepingCapacity: true) }
        guard !stack.isEmpty else { return }
        // Whitespace with a line break next to child elements is indentation, not content;
        // as the only content of an element (`<t>\n</t>`) it is kept.
        var indentation = true
        var sawBreak = false
        for b in text {
            switch b {
            case 0x0A, 0x0D: sawBreak = true
            case 0x20, 0x09: break
            default: indentation = false
            }
            if !indentation { break }
        }
        let top = stack.count - 1
        if indentation && sawBreak {
            if stack[top].hasElementChild { return }
            if stack[top].nodes.isEmpty { stack[top].leadingIndentation = true }
        }
        let s = String(decoding: text, as: UTF8.self)
        if case .text(let prev)? = stack[top].nodes.last {
            stack[top].nodes[stack[top].nodes.count - 1] = .text(prev + s)
            stack[top].leadingIndentation = false
        } else {
            stack[top].nodes.append(.text(s))
        }
    }

    mutating func end() {
        flushText()
        guard let frame = stack.popLast() else { return }
        let element = XElement(name: frame.name, attributes: frame.attributes, nodes: frame.nodes, position: frame.position)
        if stack.isEmpty {
            root = element
            return
        }
        let top = stack.count - 1
        if !stack[top].hasElementChild {
            stack[top].hasElementChild = true
            if stack[top].leadingIndentation {
                stack[top].nodes.removeFirst()
                stack[top].leadingIndentation = false
            }
        }
        if stack.count == streamDepth, let onChild, onChild(element) {
            // Taken by the caller.
        } else {
            stack[top].nodes.append(.element(element))
        }
    }
}

/// The session of the parse running on this thread (libxml2 callbacks receive varying context
/// pointers once the schema validator is plugged in, so they look the session up here).
private let sessionKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

@inline(__always)
private func currentSession() -> ParseSession? {
    guard let p = pthread_getspecific(sessionKey) else { return nil }
    return Unmanaged<ParseSession>.fromOpaque(p).takeUnretainedValue()
}

private let sessionErrorHandler: xmlStructuredErrorFunc = { _, error in
    guard let error, let s = currentSession() else { return }
    s.add(error)
}

/// Start/end/characters receive the parser context as `ctx` (directly, or passed on by the
/// schema plug's split handlers); the session hangs off its `_private` and outlives the parse,
/// so it is used without retain/release traffic.
@inline(__always)
private func withSession(_ ctx: UnsafeMutableRawPointer?, _ body: (ParseSession) -> Void) {
    guard let ctx, let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
    Unmanaged<ParseSession>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

private let startElementHandler: startElementNsSAX2Func = { ctx, localname, prefix, _, _, _, nbAttrs, _, attributes in
    guard let localname else { return }
    withSession(ctx) { $0.start(localname: localname, prefix: prefix, count: Int(nbAttrs), attributes: attributes) }
}

private let endElementHandler: endElementNsSAX2Func = { ctx, _, _, _ in
    withSession(ctx) { $0.end() }
}

private let charactersHandler: charactersSAXFunc = { ctx, ch, len in
    guard let ch else { return }
    withSession(ctx) { $0.characters(ch, Int(len)) }
}

/// Any DOCTYPE is refused before its internal subset (entities, external DTD) is looked at.
private let internalSubsetHandler: internalSubsetSAXFunc = { _, _, _, _ in
    guard let s = currentSession() else { return }
    let offset = s.currentOffset()
    let position = s.lineMap.position(ofOffset: s.lineMap.startOfTag(before: offset))
    s.problems.append(
        XMLProblem(
            .error, position,
            L.pick(
                zh: "不允许 DOCTYPE 声明（文档类型定义可能引入外部文件或实体扩展）；请删除 <!DOCTYPE …>，内容由 XSD 校验",
                en:
                    "DOCTYPE declarations are not allowed (they can pull in external files or expand entities); remove <!DOCTYPE …>, content is checked against the XSD"
            ),
            code: "xml-doctype"))
    s.doctypeSeen = true
    s.stopped = true
    xmlStopParser(s.ctxt)
}

/// Only the five predefined entities exist (there is never a DTD).
private let getEntityHandler: getEntitySAXFunc = { _, name in
    xmlGetPredefinedEntity(name)
}

public enum XMLReader {
    /// Reads and parses a file. Size is checked before reading.
    /// - Parameter schemaFor: given the root element's name, the schema file (in `schemas`) to
    ///   validate against, or nil to skip validation.
    ///   The root element's name comes from a scan of the prolog, before parsing starts.
    /// - Parameter onChild: called with each element at depth `streamDepth` (1: children of the
    ///   root; 2: their children, e.g. the rows of an XLSX `sheetData`) as soon as it is complete,
    ///   in document order; return true to take it (it is then not kept in the returned tree), so
    ///   that a large document never needs to be whole in memory. For large documents it runs on
    ///   a helper thread while parsing goes on (calls are serial, in order, and all done before
    ///   this function returns).
    public static func read(
        file path: String, options: XMLReadOptions = XMLReadOptions(),
        schemas: XMLSchemaSet? = nil,
        schemaFor: (String) -> String? = { _ in nil },
        streamDepth: Int = 1,
        onChild: ((XElement) -> Bool)? = nil
    ) -> XMLParseResult {
        switch readBytes(path: path, limit: options.maxBytes) {
        case .failure(let p):
            return XMLParseResult(root: nil, problems: [p])
        case .success(let bytes):
            return parse(
                bytes: bytes, options: options, schemas: schemas, schemaFor: schemaFor,
                streamDepth: streamDepth, onChild: onChild)
        }
    }

    static func tooLarge(_ size: Int, _ limit: Int) -> XMLProblem {
        let mb = { (n: Int) in String(format: "%.1f", Double(n) / 1_048_576) }
        return XMLProblem(
            .error, XMLPosition(line: 1, column: 1),
            L.pick(
                zh: "文件过大（\(mb(size)) MB，上限 \(mb(limit)) MB），未读取；请拆分为多个文件",
                en: "file too large (\(mb(size)) MB, the limit is \(mb(limit)) MB); it was not read — split it into several files"
            ),
            code: "xml-too-large")
    }

    static func readBytes(path: String, limit: Int) -> Result<[UInt8], XMLProblem> {
        let fd: Int32
        switch RegularFile.open(path) {
        case .failure(let r):
            return .failure(
                XMLProblem(
                    .error, XMLPosition(line: 1, column: 1),
                    L.pick(zh: "无法读取文件：\(r.zh)", en: "cannot read file: \(r.en)"), code: "xml-io"))
        case .success(let opened):
            fd = opened.fd
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) > limit {
            return .failure(tooLarge(Int(st.st_size), limit))
        }
        var bytes: [UInt8] = []
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            // Regular file: read straight into an array of the right size.
            let size = Int(st.st_size)
            var failure: XMLProblem? = nil
            bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
                var got = 0
                while got < size {
                    let n = Glibc.read(fd, buf.baseAddress! + got, size - got)
                    if n < 0 && errno == EINTR { continue }
                    if n < 0 {
                        let reason = String(cString: strerror(errno))
                        failure = XMLProblem(
                            .error, XMLPosition(line: 1, column: 1),
                            L.pick(zh: "读取文件失败：\(reason)", en: "cannot read file: \(reason)"), code: "xml-io")
                        break
                    }
                    if n == 0 { break }
                    got += n
                }
                count = got
            }
            if let failure { return .failure(failure) }
            return .success(bytes)
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                return .failure(
                    XMLProblem(
                        .error, XMLPosition(line: 1, column: 1),
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
    public static func parse(
        bytes: [UInt8], options: XMLReadOptions = XMLReadOptions(),
        schemas: XMLSchemaSet? = nil,
        schemaFor: (String) -> String? = { _ in nil },
        streamDepth: Int = 1,
        onChild: ((XElement) -> Bool)? = nil
    ) -> XMLParseResult {
        _ = libxmlSetUp
        if bytes.count > options.maxBytes {
            return XMLParseResult(root: nil, problems: [tooLarge(bytes.count, options.maxBytes)])
        }
        let utf8: [UInt8]
        do {
            utf8 = try XMLEncoding.toUTF8(bytes)
        } catch {
            return XMLParseResult(root: nil, problems: [XMLProblem(.error, error.position, error.message, code: "xml-encoding")])
        }
        if utf8.count > Int(Int32.max) - 1 {
            return XMLParseResult(root: nil, problems: [tooLarge(utf8.count, options.maxBytes)])
        }
        return utf8.withUnsafeBufferPointer { buffer in
            parseUTF8(buffer, schemas: schemas, schemaFor: schemaFor, streamDepth: max(1, streamDepth), onChild: onChild)
        }
    }

    private static func parseUTF8(
        _ buffer: UnsafeBufferPointer<UInt8>, schemas: XMLSchemaSet?,
        schemaFor: (String) -> String?, streamDepth: Int,
        onChild: ((XElement) -> Bool)?
    ) -> XMLParseResult {
        var tp = PhaseTimer.now()
        let lineMap = LineMap(buffer)
        tp = PhaseTimer.mark("linemap", since: tp)
        func fail(_ at: XMLPosition, _ zh: String, _ en: String, _ code: String) -> XMLParseResult {
            XMLParseResult(root: nil, problems: [XMLProblem(.error, at, L.pick(zh: zh, en: en), code: code)])
        }
        if buffer.isEmpty { return fail(XMLPosition(line: 1, column: 1), "文件是空的", "the file is empty", "xml-syntax") }
        if let at = AttributeGuard.firstOverfullTag(in: buffer) {
            return fail(
                lineMap.position(ofOffset: at),
                "元素的属性超过 \(AttributeGuard.limit) 个，已拒绝读取",
                "an element has more than \(AttributeGuard.limit) attributes; the file was not read",
                "xml-too-many-attributes")
        }
        tp = PhaseTimer.mark("guard", since: tp)
        // The schema is chosen from the root element's name, found by scanning the prolog.
        var schema: xmlSchemaPtr? = nil
        var compileProblem: XMLProblem? = nil
        if let schemas, let rootName = AttributeGuard.rootElementName(in: buffer), let schemaName = schemaFor(rootName) {
            do {
                schema = try schemas.schema(named: schemaName)
            } catch {
                compileProblem = XMLProblem(.error, XMLPosition(line: 1, column: 1), "\(error)", code: "xsd-compile")
            }
        }
        tp = PhaseTimer.mark("schema", since: tp)
        guard let ctxt = xmlNewParserCtxt() else {
            return fail(XMLPosition(line: 1, column: 1), "内存不足", "out of memory", "xml-io")
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_IGNORE_ENC.rawValue)
        xmlCtxtUseOptions(ctxt, options)
        // Our own handler: no tree, no entity expansion, no DOCTYPE.
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = startElementHandler
        sax.endElementNs = endElementHandler
        sax.characters = charactersHandler
        sax.cdataBlock = charactersHandler
        sax.ignorableWhitespace = charactersHandler
        sax.internalSubset = internalSubsetHandler
        sax.getEntity = getEntityHandler
        ctxt.pointee.sax.pointee = sax
        // Large documents get their value tree built on a second thread while libxml2 parses.
        let builder = TreeBuilder(lineMap: LineMap(sharing: lineMap), onChild: onChild, streamDepth: streamDepth)
        let session = ParseSession(ctxt: ctxt, lineMap: lineMap, builder: builder, concurrent: buffer.count > 512 * 1024)
        if let compileProblem { session.problems.append(compileProblem) }
        let sessionPtr = Unmanaged.passRetained(session).toOpaque()
        pthread_setspecific(sessionKey, sessionPtr)
        ctxt.pointee._private = sessionPtr
        xmlSetStructuredErrorFunc(nil, sessionErrorHandler)
        defer {
            xmlSetStructuredErrorFunc(nil, silentStructuredError)
            pthread_setspecific(sessionKey, nil)
            Unmanaged<ParseSession>.fromOpaque(sessionPtr).release()
        }
        let raw = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
        guard let inputBuffer = xmlParserInputBufferCreateMem(raw, Int32(buffer.count), XML_CHAR_ENCODING_UTF8),
            let input = xmlNewIOInputStream(ctxt, inputBuffer, XML_CHAR_ENCODING_UTF8)
        else {
            xmlFreeParserCtxt(ctxt)
            return fail(XMLPosition(line: 1, column: 1), "内存不足", "out of memory", "xml-io")
        }
        inputPush(ctxt, input)
        var vctxt: xmlSchemaValidCtxtPtr? = nil
        var plug: xmlSchemaSAXPlugPtr? = nil
        if let schema, let v = xmlSchemaNewValidCtxt(schema) {
            vctxt = v
            xmlSchemaSetValidStructuredErrors(v, problemHandler, sessionPtr)
            withUnsafeMutablePointer(to: &ctxt.pointee.sax) { saxPtr in
                withUnsafeMutablePointer(to: &ctxt.pointee.userData) { userPtr in
                    plug = xmlSchemaSAXPlug(v, saxPtr, userPtr)
                }
            }
            // The validator must see each text run in one piece, or it costs n² (see the type).
            if plug != nil, let sax = ctxt.pointee.sax { SchemaTextCoalescer.current = SchemaTextCoalescer(wrapping: sax) }
        }
        defer { SchemaTextCoalescer.current = nil }
        let t = PhaseTimer.now()
        xmlParseDocument(ctxt)
        PhaseTimer.mark("parse+validate", since: t)
        session.finish()
        let wellFormed = ctxt.pointee.wellFormed != 0 && !session.doctypeSeen
        if let plug { xmlSchemaSAXUnplug(plug) }
        if let vctxt { xmlSchemaFreeValidCtxt(vctxt) }
        xmlFreeParserCtxt(ctxt)
        guard wellFormed, let root = builder.root else {
            if session.problems.isEmpty {
                session.problems.append(
                    XMLProblem(
                        .error, XMLPosition(line: 1, column: 1),
                        L.pick(zh: "XML 格式错误：没有根元素", en: "malformed XML: no root element"), code: "xml-syntax"))
            }
            // Schema messages about a document that is not even well-formed only add noise.
            return XMLParseResult(root: nil, problems: session.problems.filter { $0.code != "xsd-invalid" })
        }
        return XMLParseResult(root: root, problems: session.problems)
    }
}
