import CLibXML2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hands the XSD validator each text run in one piece.
///
/// libxml2 delivers a long text node to SAX in pieces of about 300 bytes (non-ASCII text always
/// goes through its slow path, so CJK text arrives in the smallest pieces). The streaming
/// validator behind `xmlSchemaSAXPlug` appends every piece to the value it has so far with
/// `xmlStrncat`, which measures that value with `strlen` first: n/300 pieces × n bytes, so one
/// 16 MB CJK stem cost 26 s and 50 MB cost 230 s. (`xmllint --schema` never sees this: it
/// validates a finished tree.) This sits in front of the plug's character handlers, collects
/// the pieces of a run, and passes the run on once, at the next start or end tag — so the
/// validator (and, behind it, our recorder) sees each run once and the cost is linear.
final class SchemaTextCoalescer {
    private var characters: charactersSAXFunc?
    private var cdataBlock: cdataBlockSAXFunc?
    private var ignorableWhitespace: ignorableWhitespaceSAXFunc?
    private var startElementNs: startElementNsSAX2Func?
    private var endElementNs: endElementNsSAX2Func?

    fileprivate enum Kind { case characters, cdata, whitespace }
    private var pending: [UInt8] = []
    private var pendingKind = Kind.characters
    private var pendingContext: UnsafeMutableRawPointer?

    /// Wraps the plugged handlers of `sax` (the plug's handler table, after `xmlSchemaSAXPlug`).
    /// The coalescer must stay alive, and be `current` on this thread, while the parse runs.
    init(wrapping sax: UnsafeMutablePointer<xmlSAXHandler>) {
        characters = sax.pointee.characters
        cdataBlock = sax.pointee.cdataBlock
        ignorableWhitespace = sax.pointee.ignorableWhitespace
        startElementNs = sax.pointee.startElementNs
        endElementNs = sax.pointee.endElementNs
        if characters != nil { sax.pointee.characters = coalescedCharacters }
        if cdataBlock != nil { sax.pointee.cdataBlock = coalescedCDATA }
        if ignorableWhitespace != nil { sax.pointee.ignorableWhitespace = coalescedWhitespace }
        if startElementNs != nil { sax.pointee.startElementNs = coalescedStart }
        if endElementNs != nil { sax.pointee.endElementNs = coalescedEnd }
        pending.reserveCapacity(1 << 12)
    }

    /// The coalescer of the parse running on this thread.
    static var current: SchemaTextCoalescer? {
        get {
            guard let p = pthread_getspecific(coalescerKey) else { return nil }
            return Unmanaged<SchemaTextCoalescer>.fromOpaque(p).takeUnretainedValue()
        }
        set {
            if let old = pthread_getspecific(coalescerKey) { Unmanaged<SchemaTextCoalescer>.fromOpaque(old).release() }
            pthread_setspecific(coalescerKey, newValue.map { Unmanaged.passRetained($0).toOpaque() })
        }
    }

    fileprivate func add(_ ctx: UnsafeMutableRawPointer?, _ ch: UnsafePointer<xmlChar>, _ len: Int32, _ kind: Kind) {
        if !pending.isEmpty && kind != pendingKind { flush() }
        pendingKind = kind
        pendingContext = ctx
        pending.append(contentsOf: UnsafeBufferPointer(start: ch, count: Int(len)))
    }

    /// Passes the collected run on in one call.
    func flush() {
        guard !pending.isEmpty else { return }
        let handler: charactersSAXFunc? =
            switch pendingKind {
            case .characters: characters
            case .cdata: cdataBlock
            case .whitespace: ignorableWhitespace
            }
        let ctx = pendingContext
        pending.withUnsafeBufferPointer { b in handler?(ctx, b.baseAddress, Int32(b.count)) }
        pending.removeAll(keepingCapacity: pending.capacity <= 1 << 16)  // a long run's buffer is freed
    }

    fileprivate func start(
        _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
        _ uri: UnsafePointer<xmlChar>?, _ nbNamespaces: Int32, _ namespaces: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?,
        _ nbAttributes: Int32, _ nbDefaulted: Int32, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    ) {
        flush()
        startElementNs?(ctx, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, nbDefaulted, attributes)
    }

    fileprivate func end(
        _ ctx: UnsafeMutableRawPointer?, _ localname: UnsafePointer<xmlChar>?, _ prefix: UnsafePointer<xmlChar>?,
        _ uri: UnsafePointer<xmlChar>?
    ) {
        flush()
        endElementNs?(ctx, localname, prefix, uri)
    }
}

private let coalescerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

@inline(__always)
private func withCoalescer(_ body: (SchemaTextCoalescer) -> Void) {
    guard let p = pthread_getspecific(coalescerKey) else { return }
    Unmanaged<SchemaTextCoalescer>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

private let coalescedCharacters: charactersSAXFunc = { ctx, ch, len in
    guard let ch, len > 0 else { return }
    withCoalescer { $0.add(ctx, ch, len, .characters) }
}

private let coalescedCDATA: cdataBlockSAXFunc = { ctx, ch, len in
    guard let ch, len > 0 else { return }
    withCoalescer { $0.add(ctx, ch, len, .cdata) }
}

private let coalescedWhitespace: ignorableWhitespaceSAXFunc = { ctx, ch, len in
    guard let ch, len > 0 else { return }
    withCoalescer { $0.add(ctx, ch, len, .whitespace) }
}

private let coalescedStart: startElementNsSAX2Func = { ctx, localname, prefix, uri, nbNs, ns, nbAttrs, nbDef, attrs in
    withCoalescer { $0.start(ctx, localname, prefix, uri, nbNs, ns, nbAttrs, nbDef, attrs) }
}

private let coalescedEnd: endElementNsSAX2Func = { ctx, localname, prefix, uri in
    withCoalescer { $0.end(ctx, localname, prefix, uri) }
}
