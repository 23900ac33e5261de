/// SplitMix64 (Steele, Lea & Flood 2014): the one seeded generator of the system, behind exam
/// papers, 双随机 spot-check draws and synthetic benchmark data.
///
/// Nothing reproducible uses the global generator. Every draw goes through a `SplitMix64` seeded
/// from the stored seed, and through our own bounded-integer and shuffle routines (not the
/// standard library's), so a paper or a draw stays byte-identical across Swift versions and can
/// be re-computed by anyone from its seed, forever.
///
/// Two bounded-integer routines exist because both are pinned by stored data: papers use
/// `uniform(_:)` (Lemire's multiply-shift), spot-check draws `uniformByModulo(below:)`. Neither
/// may change; golden tests re-draw papers and a draw recorded by older code.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection; unbiased).
    @inlinable
    public mutating func uniform(_ bound: Int) -> Int {
        precondition(bound > 0, "uniform(_:) needs a positive bound")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform integer in `0..<bound` by modulo with rejection (no bias): draws are rejected
    /// while they fall in the last incomplete block of 2^64 mod bound values. The algorithm of
    /// 双随机 draws (docs/admin-guide.md).
    @inlinable
    public mutating func uniformByModulo(below bound: Int) -> Int {
        precondition(bound > 0, "uniformByModulo(below:) needs a positive bound")
        let b = UInt64(bound)
        let limit = UInt64.max - (UInt64.max % b + 1) % b
        while true {
            let x = next()
            if x <= limit { return Int(x % b) }
        }
    }

    /// Fisher–Yates shuffle of `a[range]` in place.
    @inlinable
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ a: inout C)
    where C.Index == Int {
        var i = a.endIndex - 1
        while i > a.startIndex {
            let j = a.startIndex + uniform(i - a.startIndex + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }
}
