import CLibXML2
import Foundation
import Localization

// One parse: problem collection (ProblemSink) and the session driving libxml2 and the tape.

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
        var raw = e.message.flatMap { String(validatingCString: $0) } ?? "unknown error"
        while raw.last?.isWhitespace == true { raw.removeLast() }
        let message: BilingualText
        var position = XMLPosition(line: max(Int(e.line), 1), column: max(Int(e.int2), 1))
        var code = "xml-syntax"
        let domain = xmlErrorDomain(rawValue: UInt32(bitPattern: e.domain))
        if domain == XML_FROM_SCHEMASV || domain == XML_FROM_SCHEMASP {
            code = domain == XML_FROM_SCHEMASV ? "xsd-invalid" : "xsd-compile"
            if domain == XML_FROM_SCHEMASV, let p = currentElementPosition() { position = p }
            message = BilingualText(zh: "不符合 XSD：", en: "schema: ") + raw.replacingOccurrences(of: "\n", with: " ")
        } else if raw.contains("Excessive depth") {
            code = "xml-too-deep"
            message = BilingualText(
                zh: "元素嵌套过深（超过 256 层），已停止读取",
                en: "elements are nested too deeply (more than 256 levels); reading stopped")
        } else if raw.contains("not proper UTF-8")
            || raw.contains("encoding") && e.code == XML_ERR_INVALID_ENCODING.rawValue
        {
            code = "xml-encoding"
            let detail = raw.split(separator: "\n").dropFirst().joined(separator: " ")
            message = BilingualText(
                zh: "文件不是有效的 UTF-8（\(detail)）；若文件其实是 GBK/GB2312，请在 XML 声明中写明 encoding=\"GB18030\"，最好另存为 UTF-8",
                en:
                    "the file is not valid UTF-8 (\(detail)); if it is really GBK/GB2312, declare encoding=\"GB18030\" in the XML declaration, or better, save it as UTF-8"
            )
        } else {
            message = BilingualText(zh: "XML 格式错误：", en: "malformed XML: ") + raw.replacingOccurrences(of: "\n", with: " ")
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

let problemHandler: xmlStructuredErrorFunc = { ctx, error in
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
