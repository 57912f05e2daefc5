import Foundation
import Testing

@testable import EvalGateKit

@Suite("BinomialDistribution")
struct BinomialDistributionTests {
    // log n! against Python's math.lgamma(n + 1).
    @Test(arguments: [
        (0, 0.0), (1, 0.0), (10, 15.104412573075514), (63, 201.00931639928152), (64, 205.16819948264123),
        (100, 363.73937555556347), (100_000, 1051299.221899122), (10_000_000, 151180965.48756957),
    ])
    func logFactorialMatchesLgamma(n: Int, expected: Double) {
        #expect(StatsCheck.close(BinomialDistribution.logFactorial(n), expected, within: 1e-12 * max(1, expected)))
    }

    // scipy.stats.binom reference values:
    //   binom.pmf(3,10,0.3) = 0.2668279319999998; binom.logpmf(50000,100000,0.5) = -5.982256585310097
    //   binom.cdf(30,100,0.5) = binom.sf(69,100,0.5) = 3.925069822796835e-05
    //   binom.logpmf(0,100000,0.999) = -690775.5278982136 (far below Double's range as a probability)
    @Test func matchesScipy() {
        #expect(StatsCheck.relativelyClose(BinomialDistribution(trials: 10, probability: 0.3).probability(of: 3), 0.2668279319999998, within: 1e-12))
        let half = BinomialDistribution(trials: 100_000, probability: 0.5)
        #expect(StatsCheck.close(half.logProbability(of: 50_000), -5.982256585310097, within: 1e-9))
        let hundred = BinomialDistribution(trials: 100, probability: 0.5)
        #expect(StatsCheck.relativelyClose(hundred.probability(atMost: 30), 3.925069822796835e-05, within: 1e-10))
        #expect(StatsCheck.relativelyClose(hundred.probability(atLeast: 70), 3.925069822796835e-05, within: 1e-10))
        let nearlyAlways = BinomialDistribution(trials: 100_000, probability: 0.999)
        #expect(StatsCheck.relativelyClose(nearlyAlways.logProbability(of: 0), -690775.5278982136, within: 1e-12))
    }

    @Test func degenerateProbabilitiesAndBounds() {
        let never = BinomialDistribution(trials: 5, probability: 0)
        #expect(never.probability(of: 0) == 1)
        #expect(never.probability(of: 1) == 0)
        let always = BinomialDistribution(trials: 5, probability: 1)
        #expect(always.probability(of: 5) == 1)
        #expect(always.probability(atLeast: 5) == 1)
        let some = BinomialDistribution(trials: 5, probability: 0.4)
        #expect(some.probability(of: -1) == 0)
        #expect(some.probability(of: 6) == 0)
        #expect(some.probability(atMost: 5) == 1)
        #expect(some.probability(atLeast: 0) == 1)
        #expect(some.probability(atLeast: 6) == 0)
        let total = (0...5).reduce(0.0) { $0 + some.probability(of: $1) }
        #expect(StatsCheck.close(total, 1, within: 1e-14))
    }
}
