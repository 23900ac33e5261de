import CLibXML2
import Foundation

// The tape of SAX events a parse records (Recorder, Tape) and the TreeBuilder that turns it
// into XElement values, on a second thread for large documents.

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
        guard offsets.popLast() != nil else { return nil }
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
