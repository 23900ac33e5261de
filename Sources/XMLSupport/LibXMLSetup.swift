import CLibXML2
import Foundation

/// One-time libxml2 set-up: initialise the library and install the deny-all external entity
/// loader (which serves only the embedded schemas while they are compiled).
let libxmlSetUp: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader(academyEntityLoader)
}()

/// Embedded schema files, visible to the entity loader only while a schema is being compiled.
nonisolated(unsafe) var schemaFilesBeingCompiled: [String: [UInt8]] = [:]
let schemaCompileLock = NSLock()

/// Deny-all external entity loader. The only thing it ever serves is an embedded schema file
/// (for `xs:include`) while `XMLSchemaSet` compiles; no file or network access ever happens.
let academyEntityLoader: xmlExternalEntityLoader = { url, _, ctxt in
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
let silentStructuredError: xmlStructuredErrorFunc = { _, _ in }
