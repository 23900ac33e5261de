import Foundation

/// One structured log line per event (JSON, one object per line, on stderr by default):
/// `{"ts":"…","event":"login","conn":12,"source":"127.0.0.1:50312","badge":"…"}`.
/// Events: listen, connect, login, login_failed, refused, exam_start, submit, disconnect,
/// kick, takeover, stop. Codes and passwords are never logged.
public final class HallLog: @unchecked Sendable {
    private let lock = NSLock()
    private let sink: (String) -> Void
    private let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date = { Date() }, sink: @escaping (String) -> Void = HallLog.stderr) {
        self.clock = clock
        self.sink = sink
    }

    public static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static let iso: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()

    public func event(_ name: String, _ fields: [String: Any] = [:]) {
        var object = fields
        object["event"] = name
        lock.lock()
        defer { lock.unlock() }
        object["ts"] = Self.iso.string(from: clock())
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        sink(String(decoding: data, as: UTF8.self))
    }
}
