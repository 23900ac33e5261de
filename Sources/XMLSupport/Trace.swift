#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Phase timings on stderr when `ACADEMY_TRACE_TIMING=1` (for benchmarks; off by default).
public enum PhaseTimer {
    public static let enabled: Bool = getenv("ACADEMY_TRACE_TIMING").map { String(cString: $0) == "1" } ?? false

    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Prints `label: N ms` since `start` and returns the current time.
    @discardableResult
    public static func mark(_ label: String, since start: Double) -> Double {
        let t = now()
        if enabled {
            let line = Array("[timing] \(label): \(Int((t - start) * 1000)) ms\n".utf8)
            _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        return t
    }
}
