import Testing

@testable import EvalGateKit

@Suite("WilsonInterval")
struct WilsonIntervalTests {
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
    // seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score, no
    // continuity correction), 95 %, published to 4 decimals.
    @Test(arguments: [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ])
    func matchesNewcombeTableI(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = WilsonInterval.compute(successes: successes, trials: trials, confidence: 0.95)
        #expect(StatsCheck.close(interval.lower, lower, within: 0.00005))
        #expect(StatsCheck.close(interval.upper, upper, within: 0.00005))
        #expect(interval.estimate == Double(successes) / Double(trials))
        #expect(interval.successes == successes)
        #expect(interval.trials == trials)
        #expect(interval.confidence == 0.95)
    }

    // Full-precision values of the same intervals (Wilson 1927 formula with z = norm.ppf(0.975)),
    // computed with scipy 1.17.1:
    //   p=k/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z/d*sqrt(p*(1-p)/n+z*z/(4*n*n)); (c-h, c+h)
    @Test(arguments: [
        (81, 263, 0.2552885198782742, 0.36620957698280004),
        (15, 148, 0.0623863995307363, 0.16048724172330803),
        (0, 20, 0.0, 0.16112515805281938),
        (1, 29, 0.006113214292762653, 0.17175521879320288),
    ])
    func matchesFullPrecisionReference(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = WilsonInterval.compute(successes: successes, trials: trials, confidence: 0.95)
        #expect(StatsCheck.close(interval.lower, lower, within: 1e-12))
        #expect(StatsCheck.close(interval.upper, upper, within: 1e-12))
    }

    // Other confidence levels, same formula: 90 % (z = 1.6449) and 99 % (z = 2.5758) for 81/263.
    @Test func otherConfidenceLevels() {
        let ninety = WilsonInterval.compute(successes: 81, trials: 263, confidence: 0.90)
        #expect(StatsCheck.close(ninety.lower, 0.2633136171884814, within: 1e-12))
        #expect(StatsCheck.close(ninety.upper, 0.35656634960848815, within: 1e-12))
        let ninetyNine = WilsonInterval.compute(successes: 81, trials: 263, confidence: 0.99)
        #expect(StatsCheck.close(ninetyNine.lower, 0.24013690268760773, within: 1e-12))
        #expect(StatsCheck.close(ninetyNine.upper, 0.38528250231822986, within: 1e-12))
    }

    // A one-sided 95 % lower bound uses z = 1.645, so it equals the two-sided 90 % lower bound.
    @Test func oneSidedLowerEqualsTwoSidedLowerAtDoubleAlpha() {
        let lower = WilsonInterval.oneSidedLower(successes: 81, trials: 263, confidence: 0.95)
        #expect(StatsCheck.close(lower, 0.2633136171884814, within: 1e-12))
        #expect(WilsonInterval.oneSidedLower(successes: 0, trials: 10, confidence: 0.95) == 0)
        #expect(WilsonInterval.oneSidedLower(successes: 0, trials: 0, confidence: 0.95) == 0)
    }

    @Test func noTrialsMeansNoInformation() {
        let interval = WilsonInterval.compute(successes: 0, trials: 0, confidence: 0.95)
        #expect(interval.estimate == 0)
        #expect(interval.lower == 0)
        #expect(interval.upper == 1)
        #expect(interval.width == 1)
    }

    @Test func allSuccessesHaveUpperBoundOneAndMirrorAllFailures() {
        let all = WilsonInterval.compute(successes: 20, trials: 20, confidence: 0.95)
        #expect(all.upper == 1)
        // Symmetry: lower(k, n) = 1 − upper(n − k, n); compare with Newcombe's 0/20 → 0.1611.
        #expect(StatsCheck.close(all.lower, 1 - 0.16112515805281938, within: 1e-12))
    }

    @Test(arguments: [(3, 17), (50, 100), (99, 100), (1, 100_000)])
    func boundsAreOrderedAndSymmetric(successes: Int, trials: Int) {
        let interval = WilsonInterval.compute(successes: successes, trials: trials, confidence: 0.95)
        let mirrored = WilsonInterval.compute(successes: trials - successes, trials: trials, confidence: 0.95)
        #expect(0 <= interval.lower && interval.lower <= interval.estimate)
        #expect(interval.estimate <= interval.upper && interval.upper <= 1)
        #expect(StatsCheck.close(interval.lower, 1 - mirrored.upper, within: 1e-12))
    }
}
