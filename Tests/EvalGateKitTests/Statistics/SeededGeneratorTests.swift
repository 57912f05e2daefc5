import Testing

@testable import EvalGateKit

@Suite("SeededGenerator")
struct SeededGeneratorTests {
    // SplitMix64, seed 1234567: published sequence from Rosetta Code
    // ("Pseudo-random numbers/Splitmix64").
    @Test func splitMix64MatchesPublishedSequence() {
        var state: UInt64 = 1_234_567
        let outputs = (0..<5).map { _ in SeededGenerator.splitMix64(&state) }
        #expect(
            outputs == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
            ])
    }

    // xoshiro256** seeded by SplitMix64: values from a line-by-line Python port of Blackman & Vigna's
    // reference C code (xoshiro256starstar.c):
    //   s = [splitmix(seed) x4]; result = rotl(s1*5, 7)*9; t = s1<<17; s2^=s0; s3^=s1; s1^=s2;
    //   s0^=s3; s2^=t; s3 = rotl(s3, 45)   (all mod 2^64)
    @Test(arguments: [
        (UInt64(0), [UInt64(11_091_344_671_253_066_420), 13_793_997_310_169_335_082, 1_900_383_378_846_508_768, 7_684_712_102_626_143_532]),
        (UInt64(42), [UInt64(1_546_998_764_402_558_742), 6_990_951_692_964_543_102, 12_544_586_762_248_559_009, 17_057_574_109_182_124_193]),
    ])
    func xoshiroMatchesReferenceImplementation(seed: UInt64, expected: [UInt64]) {
        var generator = SeededGenerator(seed: seed)
        #expect((0..<4).map { _ in generator.next() } == expected)
        #expect(generator.seed == seed)
    }

    // (next() >> 11) · 2⁻⁵³ from the same Python port, seed 42.
    @Test func nextDoubleUsesTop53Bits() {
        var generator = SeededGenerator(seed: 42)
        let values = (0..<3).map { _ in generator.nextDouble() }
        #expect(values == [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
    }

    @Test func sameSeedSameStreamDifferentSeedDifferentStream() {
        var a = SeededGenerator(seed: 7)
        var b = SeededGenerator(seed: 7)
        var c = SeededGenerator(seed: 8)
        let streamA = (0..<100).map { _ in a.nextInt(below: 1000) }
        let streamB = (0..<100).map { _ in b.nextInt(below: 1000) }
        let streamC = (0..<100).map { _ in c.nextInt(below: 1000) }
        #expect(streamA == streamB)
        #expect(streamA != streamC)
    }

    @Test func nextIntIsInRangeAndRoughlyUniform() {
        var generator = SeededGenerator(seed: 2024)
        var counts = [Int](repeating: 0, count: 10)
        let draws = 100_000
        for _ in 0..<draws {
            let value = generator.nextInt(below: 10)
            #expect(value >= 0 && value < 10)
            counts[value] += 1
        }
        // Pearson chi-square with 9 df; the 0.999 quantile is 27.88.
        let expected = Double(draws) / 10
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < 27.88)
        var one = SeededGenerator(seed: 1)
        #expect(one.nextInt(below: 1) == 0)
    }

    @Test func nextDoubleStaysInUnitInterval() {
        var generator = SeededGenerator(seed: 99)
        var sum = 0.0
        for _ in 0..<50_000 {
            let value = generator.nextDouble()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        // Mean of U(0,1) is 0.5 with standard error 1/√(12·50000) ≈ 0.0013.
        #expect(StatsCheck.close(sum / 50_000, 0.5, within: 0.006))
    }
}
