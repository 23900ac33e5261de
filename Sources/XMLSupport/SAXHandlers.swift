import CLibXML2
import Foundation
import Localization

// The libxml2 SAX callbacks: they find the running ParseSession and record onto its tape.

/// The session of the parse running on this thread (libxml2 callbacks receive varying context
/// pointers once the schema validator is plugged in, so they look the session up here).
let sessionKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

@inline(__always)
func currentSession() -> ParseSession? {
    guard let p = pthread_getspecific(sessionKey) else { return nil }
    return Unmanaged<ParseSession>.fromOpaque(p).takeUnretainedValue()
}

let sessionErrorHandler: xmlStructuredErrorFunc = { _, error in
    guard let error, let s = currentSession() else { return }
    s.add(error)
}

/// Start/end/characters receive the parser context as `ctx` (directly, or passed on by the
/// schema plug's split handlers); the session hangs off its `_private` and outlives the parse,
/// so it is used without retain/release traffic.
@inline(__always)
func withSession(_ ctx: UnsafeMutableRawPointer?, _ body: (ParseSession) -> Void) {
    guard let ctx, let p = ctx.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
    Unmanaged<ParseSession>.fromOpaque(p)._withUnsafeGuaranteedRef(body)
}

let startElementHandler: startElementNsSAX2Func = { ctx, localname, prefix, _, _, _, nbAttrs, _, attributes in
    guard let localname else { return }
    withSession(ctx) { $0.start(localname: localname, prefix: prefix, count: Int(nbAttrs), attributes: attributes) }
}

let endElementHandler: endElementNsSAX2Func = { ctx, _, _, _ in
    withSession(ctx) { $0.end() }
}

let charactersHandler: charactersSAXFunc = { ctx, ch, len in
    guard let ch else { return }
    withSession(ctx) { $0.characters(ch, Int(len)) }
}

/// Any DOCTYPE is refused before its internal subset (entities, external DTD) is looked at.
let internalSubsetHandler: internalSubsetSAXFunc = { _, _, _, _ in
    guard let s = currentSession() else { return }
    let offset = s.currentOffset()
    let position = s.lineMap.position(ofOffset: s.lineMap.startOfTag(before: offset))
    s.problems.append(
        XMLProblem(
            .error, position,
            BilingualText(
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
let getEntityHandler: getEntitySAXFunc = { _, name in
    xmlGetPredefinedEntity(name)
}
