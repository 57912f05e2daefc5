/// A seedable, platform-independent random number generator (xoshiro256**), so bootstraps and
/// simulations give bit-identical results for the same seed on macOS and Linux.
///
/// The 256-bit state is expanded from the 64-bit seed with SplitMix64, as recommended by the
/// algorithm's authors (Blackman & Vigna, "Scrambled Linear Pseudorandom Number Generators", 2021).
///
/// Use ``nextDouble()`` and ``nextInt(below:)`` rather than the standard library's
/// `Double.random(in:using:)` / `Int.random(in:using:)` when results must be reproducible: those
/// convert bits with algorithms the standard library does not promise to keep stable.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The seed this generator started from, kept so reports can say how to reproduce a result.
    public let seed: UInt64
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole output sequence is determined by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var splitMix = seed
        s0 = SeededGenerator.splitMix64(&splitMix)
        s1 = SeededGenerator.splitMix64(&splitMix)
        s2 = SeededGenerator.splitMix64(&splitMix)
        s3 = SeededGenerator.splitMix64(&splitMix)
    }

    /// One step of SplitMix64 (Steele, Lea & Flood 2014), used to expand seeds into full states.
    ///
    /// Exposed so independent streams (for example one per worker) can be derived reproducibly.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns the next 64 random bits (xoshiro256** step).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniform double in [0, 1) built from the top 53 bits, identical on every platform.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `0..<bound` without modulo bias (Lemire 2019), identical on every platform.
    ///
    /// - Precondition: `bound > 0`.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:) needs a positive bound")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            // 2^64 mod range, computed without overflowing.
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
