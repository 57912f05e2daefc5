import Testing

@testable import EvalGateKit

@Suite("OperatingCharacteristic")
struct OperatingCharacteristicTests {
    // Reference: scipy 1.17.1. The smallest passing k is found by scanning k = 0...n
    // (point estimate: k/n ≥ threshold; Wilson: two-sided 95 % Wilson lower bound ≥ threshold,
    // z = norm.ppf(0.975)), then P(pass) = binom.sf(k_min − 1, n, p):
    //   n    thr   p     k_min(point) P(point)             k_min(Wilson) P(Wilson)
    //   200  0.90  0.92  180          0.8775433545937744   189           0.11682295063661705
    //   200  0.90  0.95  180          0.998840091749252    189           0.6997557033542188
    //   50   0.80  0.85  40           0.8800826827995074   46            0.11210520805497712
    //   1000 0.95  0.97  950          0.9997633626221821   964           0.8838231122093079
    @Test(arguments: [
        (200, 0.90, 0.92, 0.8775433545937744, 0.11682295063661705),
        (200, 0.90, 0.95, 0.998840091749252, 0.6997557033542188),
        (50, 0.80, 0.85, 0.8800826827995074, 0.11210520805497712),
        (1000, 0.95, 0.97, 0.9997633626221821, 0.8838231122093079),
    ])
    func exactMatchesScipyBinom(n: Int, threshold: Double, rate: Double, pointProbability: Double, wilsonProbability: Double) {
        let point = OperatingCharacteristic.probabilityOfPassing(
            trueRate: rate, n: n, threshold: threshold, confidence: 0.95, requireLowerBound: false)
        let wilson = OperatingCharacteristic.probabilityOfPassing(
            trueRate: rate, n: n, threshold: threshold, confidence: 0.95, requireLowerBound: true)
        #expect(StatsCheck.relativelyClose(point, pointProbability, within: 1e-9))
        #expect(StatsCheck.relativelyClose(wilson, wilsonProbability, within: 1e-9))
    }

    @Test func passingRuleBoundaries() {
        // Same k_min as the scipy scan above for n = 200, threshold 0.9.
        #expect(!OperatingCharacteristic.passes(successes: 179, trials: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: false))
        #expect(OperatingCharacteristic.passes(successes: 180, trials: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: false))
        #expect(!OperatingCharacteristic.passes(successes: 188, trials: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: true))
        #expect(OperatingCharacteristic.passes(successes: 189, trials: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: true))
        #expect(!OperatingCharacteristic.passes(successes: 0, trials: 0, threshold: 0, confidence: 0.95, requireLowerBound: false))
    }

    // Monte Carlo cross-check: 20,000 simulated gates, within 4 standard errors of the exact value.
    @Test(arguments: [false, true])
    func simulationAgreesWithExact(requireLowerBound: Bool) {
        let exact = OperatingCharacteristic.probabilityOfPassing(
            trueRate: 0.92, n: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: requireLowerBound)
        let trials = 20_000
        let simulated = OperatingCharacteristic.simulate(
            trueRate: 0.92, n: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: requireLowerBound,
            trials: trials, seed: 11)
        let standardError = (exact * (1 - exact) / Double(trials)).squareRoot()
        #expect(StatsCheck.close(simulated, exact, within: 4 * standardError))
        // Deterministic for a seed.
        let again = OperatingCharacteristic.simulate(
            trueRate: 0.92, n: 200, threshold: 0.9, confidence: 0.95, requireLowerBound: requireLowerBound,
            trials: trials, seed: 11)
        #expect(again == simulated)
    }

    @Test func curveIsMonotoneAndHitsTheEnds() {
        let rates = stride(from: 0.0, through: 1.0, by: 0.05).map { $0 }
        let curve = OperatingCharacteristic.curve(n: 100, threshold: 0.8, confidence: 0.95, requireLowerBound: true, rates: rates)
        #expect(curve.map(\.rate) == rates)
        #expect(curve.first?.probability == 0)
        #expect(StatsCheck.close(curve.last?.probability ?? 0, 1, within: 1e-12))
        for (a, b) in zip(curve, curve.dropFirst()) {
            #expect(b.probability >= a.probability - 1e-12)
        }
        // Requiring the lower bound makes the gate stricter at every rate.
        let lenient = OperatingCharacteristic.curve(n: 100, threshold: 0.8, confidence: 0.95, requireLowerBound: false, rates: rates)
        for (strict, loose) in zip(curve, lenient) {
            #expect(strict.probability <= loose.probability + 1e-12)
        }
    }

    @Test func unreachableThresholdNeverPasses() {
        // With 10 cases the Wilson lower bound never reaches 0.99, whatever the agent does.
        #expect(
            OperatingCharacteristic.probabilityOfPassing(
                trueRate: 1, n: 10, threshold: 0.99, confidence: 0.95, requireLowerBound: true) == 0)
    }
}
