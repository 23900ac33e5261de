/// A running count shown in place on one terminal line (`\r导出 1234`), for work whose total is
/// not known beforehand. `finish` clears the line when the work is done; `abandon` ends the line
/// instead, so that an error written next starts on a line of its own. Nothing is written until
/// the first count.
public final class InPlaceCount {
    private let label: String
    private let write: (String) -> Void
    private var shown = false

    public init(label: String, write: @escaping (String) -> Void) {
        self.label = label
        self.write = write
    }

    public func show(_ count: Int) {
        shown = true
        write("\r\(label) \(count)")
    }

    public func finish() { if shown { write("\r\u{1B}[K") } }

    public func abandon() { if shown { write("\n") } }
}
