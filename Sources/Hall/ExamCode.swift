import Crypto
import Foundation
import Records
import _CryptoExtras

/// Exam codes: the password an officer types at the hall. 8 characters from a 31-letter
/// alphabet without look-alikes (no 0/O, 1/I/L) — 8 × log2(31) ≈ 39.6 bits — printed as
/// `ABCD-EFGH`; typed with or without the dash, in either case.
///
/// Stored only as PBKDF2-HMAC-SHA256 with a 16-byte random salt. The round count is a trade:
/// with 40-bit codes, per-badge lockout and per-address throttling online guessing is hopeless,
/// and offline it costs 2^40 × `rounds` hashes per badge; each login costs one derivation.
public enum ExamCode {
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let length = 8
    public static let defaultRounds = 100_000

    /// A new random code, formatted `ABCD-EFGH`.
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<length).map { _ in alphabet[Int(rng.next(upperBound: UInt32(alphabet.count)))] }
        return String(chars[0..<4]) + "-" + String(chars[4...])
    }

    /// The canonical form of what an officer typed: dashes and spaces dropped, upper case.
    public static func normalise(_ typed: String) -> String {
        String(typed.uppercased().filter { $0 != "-" && $0 != " " })
    }

    public static func derive(_ code: String, salt: Data, rounds: Int) -> Data {
        let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: Array(normalise(code).utf8), salt: salt, using: .sha256, outputByteCount: 32,
            unsafeUncheckedRounds: rounds)
        return key.map { $0.withUnsafeBytes { Data($0) } } ?? Data()
    }

    public static func hash(
        _ code: String, cycleID: String, badge: String, at: Date, rounds: Int = defaultRounds
    ) -> HallCodeHash {
        var salt = Data(count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in 0..<16 { salt[i] = UInt8.random(in: 0...255, using: &rng) }
        return HallCodeHash(
            cycleID: cycleID, badge: badge, salt: salt, hash: derive(code, salt: salt, rounds: rounds), rounds: rounds,
            issuedAt: at)
    }

    /// Constant-time comparison of the derived key with the stored one.
    public static func matches(_ typed: String, _ stored: HallCodeHash) -> Bool {
        let candidate = derive(typed, salt: stored.salt, rounds: stored.rounds)
        guard candidate.count == stored.hash.count, !candidate.isEmpty else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(candidate, stored.hash) { diff |= a ^ b }
        return diff == 0
    }

    /// Burns the same time as a real check, for badges that have no code (so the time taken
    /// does not tell whether a badge exists).
    public static func dummyCheck(_ typed: String, rounds: Int = defaultRounds) {
        _ = derive(typed, salt: Data(repeating: 0x5A, count: 16), rounds: rounds)
    }
}
