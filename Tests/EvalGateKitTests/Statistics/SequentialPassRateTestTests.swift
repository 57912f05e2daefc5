import Foundation
import Testing

@testable import EvalGateKit

@Suite("SequentialPassRateTest")
struct SequentialPassRateTestTests {
    // Reference: mpmath 1.3 (40 digits): loggamma, and log(betainc(a, b, 0, x, regularized=True)).
    @Test(arguments: [
        (0.1, 2.252712651734206), (0.5, 0.5723649429247001), (9.5, 11.689333420797269), (100.25, 360.28455963776423), (1000.0, 5905.220423209181),
    ])
    func logGammaMatchesMpmath(x: Double, expected: Double) {
        #expect(StatsCheck.relativelyClose(IncompleteBeta.logGamma(x), expected, within: 1e-12))
    }

    @Test(arguments: [
        (0.3, 2.5, 7.0, -0.44437882615338137), (0.95, 300.5, 12.0, -1.945383457583007), (0.05, 0.5, 9.5, -0.4002937042786359),
        (0.9, 9.0, 1.0, -0.9482446409204365),
    ])
    func logIncompleteBetaMatchesMpmath(x: Double, a: Double, b: Double, expected: Double) {
        #expect(StatsCheck.close(IncompleteBeta.logRegularized(x: x, a: a, b: b), expected, within: 1e-10))
    }

    // Reference: the definition integrated numerically (mpmath quad, 40 digits), prior strength 10:
    // log[∫_θ^1 p^(a+s−1)(1−p)^(b+f−1) dp / ∫_θ^1 p^(a−1)(1−p)^(b−1) dp] − s log θ − f log(1−θ), and
    // the same over [0, θ] for the evidence below.
    @Test(arguments: [
        (60, 0, 0.95, 2.4638008525942574, -1.6875686033870123), (190, 10, 0.9, 2.333297406565326, -2.552159246704477),
        (10, 5, 0.9, -1.9357906939989569, 2.082159415390304), (95, 5, 0.95, -1.5307343492549694, -1.0325703422486918),
        (0, 3, 0.5, -0.7063734680953746, 0.718826695137563),
    ])
    func evidenceMatchesNumericalIntegration(passed: Int, failed: Int, threshold: Double, above: Double, below: Double) {
        let test = SequentialPassRateTest(threshold: threshold, passAlpha: 0.05, failAlpha: 0.05, priorStrength: 10)
        #expect(StatsCheck.close(test.logEvidenceAbove(passed: passed, failed: failed), above, within: 1e-8))
        #expect(StatsCheck.close(test.logEvidenceBelow(passed: passed, failed: failed), below, within: 1e-8))
    }

    // Reference: scipy 1.17.1 (betaln, betainc), scanning every s = 0...n for the first s with
    // log M⁺ ≥ log(1/α_pass) and the last with log M⁻ ≥ log(1/α_fail), prior strength 10.
    @Test(
        arguments: [
            (0.95, 0.025, 20, nil, 15), (0.95, 0.025, 60, nil, 51), (0.95, 0.025, 100, 100, 87), (0.95, 0.025, 200, 198, 180),
            (0.9, 0.05, 20, nil, 13), (0.9, 0.05, 60, 60, 46), (0.9, 0.05, 100, 98, 80), (0.9, 0.05, 200, 191, 166),
        ] as [(Double, Double, Int, Int?, Int?)])
    func boundariesMatchScipy(threshold: Double, passAlpha: Double, trials: Int, pass: Int?, fail: Int?) {
        let test = SequentialPassRateTest(threshold: threshold, passAlpha: passAlpha, failAlpha: 0.05)
        #expect(test.passBoundary(trials: trials) == pass)
        #expect(test.failBoundary(trials: trials) == fail)
    }

    /// Runs the raw test on `runs` streams of `horizon` cases at `rate`: how often each boundary is ever crossed.
    static func crossings(_ test: SequentialPassRateTest, rate: Double, horizon: Int, runs: Int, seed: UInt64) -> (above: Double, below: Double) {
        var pass = [Int](repeating: Int.max, count: horizon + 1)
        var fail = [Int](repeating: -1, count: horizon + 1)
        for n in 1...horizon {
            pass[n] = test.passBoundary(trials: n) ?? Int.max
            fail[n] = test.failBoundary(trials: n) ?? -1
        }
        var generator = SeededGenerator(seed: seed)
        var above = 0
        var below = 0
        for _ in 0..<runs {
            var passed = 0
            var crossedAbove = false
            var crossedBelow = false
            for n in 1...horizon {
                if generator.nextDouble() < rate { passed += 1 }
                if passed >= pass[n] { crossedAbove = true }
                if passed <= fail[n] { crossedBelow = true }
                if crossedAbove && crossedBelow { break }
            }
            above += crossedAbove ? 1 : 0
            below += crossedBelow ? 1 : 0
        }
        return (Double(above) / Double(runs), Double(below) / Double(runs))
    }

    /// The anytime guarantee: with the rate exactly at the threshold, neither boundary is crossed at
    /// any of 500 looks more often than its α (plus three standard errors of the simulation).
    /// A peeking fixed-n Wilson test at the same level crosses far more often (checked below).
    @Test(arguments: [(0.95, 0.025, 0.05), (0.9, 0.05, 0.05), (0.8, 0.05, 0.10)])
    func errorRatesHoldAtTheThresholdOverEveryLook(threshold: Double, passAlpha: Double, failAlpha: Double) {
        let test = SequentialPassRateTest(threshold: threshold, passAlpha: passAlpha, failAlpha: failAlpha)
        let runs = 20_000
        let rates = Self.crossings(test, rate: threshold, horizon: 500, runs: runs, seed: 7)
        #expect(rates.above <= passAlpha + 3 * (passAlpha * (1 - passAlpha) / Double(runs)).squareRoot())
        #expect(rates.below <= failAlpha + 3 * (failAlpha * (1 - failAlpha) / Double(runs)).squareRoot())
    }

    /// The reason for the method: checking a fixed-n Wilson bound after every case passes an agent
    /// exactly at the bar far more often than its nominal 2.5%.
    @Test func peekingAtAWilsonBoundInflatesTheError() {
        var generator = SeededGenerator(seed: 3)
        let runs = 5_000
        var passed = 0
        for _ in 0..<runs {
            var successes = 0
            for n in 1...500 {
                if generator.nextDouble() < 0.9 { successes += 1 }
                if n >= 10, WilsonInterval.compute(successes: successes, trials: n, confidence: 0.95).lower >= 0.9 {
                    passed += 1
                    break
                }
            }
        }
        #expect(Double(passed) / Double(runs) > 0.08)
    }

    @Test func evidenceRisesWithPassesAndFallsWithFailures() {
        let test = SequentialPassRateTest(threshold: 0.9, passAlpha: 0.05, failAlpha: 0.05)
        for n in [10, 50, 200] {
            for passed in 0..<n {
                #expect(test.logEvidenceAbove(passed: passed + 1, failed: n - passed - 1) > test.logEvidenceAbove(passed: passed, failed: n - passed))
                #expect(test.logEvidenceBelow(passed: passed + 1, failed: n - passed - 1) < test.logEvidenceBelow(passed: passed, failed: n - passed))
            }
        }
        // Before any case there is no evidence either way.
        #expect(StatsCheck.close(test.logEvidenceAbove(passed: 0, failed: 0), 0, within: 1e-12))
        #expect(StatsCheck.close(test.logEvidenceBelow(passed: 0, failed: 0), 0, within: 1e-12))
    }
}
