import CLibXML2
import Foundation
import Localization

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
            BilingualText(
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
                    BilingualText(zh: "无法读取文件：\(r.zh)", en: "cannot read file: \(r.en)"), code: "xml-io"))
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
                            BilingualText(zh: "读取文件失败：\(reason)", en: "cannot read file: \(reason)"), code: "xml-io")
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
                        BilingualText(zh: "读取文件失败：\(reason)", en: "cannot read file: \(reason)"), code: "xml-io"))
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
            XMLParseResult(root: nil, problems: [XMLProblem(.error, at, BilingualText(zh: zh, en: en), code: code)])
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
                compileProblem = XMLProblem(.error, XMLPosition(line: 1, column: 1), BilingualText("\(error)"), code: "xsd-compile")
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
                        BilingualText(zh: "XML 格式错误：没有根元素", en: "malformed XML: no root element"), code: "xml-syntax"))
            }
            // Schema messages about a document that is not even well-formed only add noise.
            return XMLParseResult(root: nil, problems: session.problems.filter { $0.code != "xsd-invalid" })
        }
        return XMLParseResult(root: root, problems: session.problems)
    }
}
