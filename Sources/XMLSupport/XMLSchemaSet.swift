import CLibXML2
import Foundation
import Localization

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
            throw CompileError(schema: name, messages: sink.problems.map(\.message.en))
        }
        compiled[name] = schema
        return schema
    }
}
