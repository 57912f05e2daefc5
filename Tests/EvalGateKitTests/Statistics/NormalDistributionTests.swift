import Testing

@testable import EvalGateKit

@Suite("NormalDistribution")
struct NormalDistributionTests {
    // Standard normal quantiles; textbook values (1.959963985 for 0.975, 1.644853627 for 0.95,
    // 2.575829304 for 0.995; Abramowitz & Stegun Table 26.5) with full digits from
    // scipy 1.17.1: python3 -c "from scipy.stats import norm; print(repr(norm.ppf(p)))".
    @Test(arguments: [
        (0.5, 0.0),
        (0.975, 1.959963984540054),
        (0.95, 1.6448536269514722),
        (0.99, 2.3263478740408408),
        (0.995, 2.5758293035489004),
        (0.999, 3.090232306167813),
        (0.025, -1.9599639845400545),
        (0.7, 0.5244005127080407),
        (1e-10, -6.361340902404056),
        (1e-300, -37.0470962993612),
    ])
    func quantileMatchesReference(p: Double, expected: Double) {
        let value = NormalDistribution.standard.quantile(p)
        #expect(StatsCheck.close(value, expected, within: 1e-9 * max(1, abs(expected))))
    }

    // scipy.stats.norm.cdf reference values.
    @Test(arguments: [
        (1.96, 0.9750021048517795),
        (0.0, 0.5),
        (-1.0, 0.15865525393145707),
        (2.5758293035489004, 0.995),
        (-8.0, 6.22096057427174e-16),
        (-37.0, 5.7255712225239266e-300),
    ])
    func cdfMatchesReference(x: Double, expected: Double) {
        #expect(StatsCheck.relativelyClose(NormalDistribution.standard.cdf(x), expected, within: 1e-12))
    }

    // scipy.stats.norm.sf: upper tails must keep relative precision far below 1e-16.
    @Test func complementaryCDFKeepsTailPrecision() {
        #expect(StatsCheck.relativelyClose(NormalDistribution.standard.complementaryCDF(8), 6.22096057427174e-16, within: 1e-12))
        #expect(StatsCheck.relativelyClose(NormalDistribution.standard.complementaryCDF(20), 2.7536241186061556e-89, within: 1e-12))
    }

    @Test func quantileInvertsCDF() {
        for p in stride(from: 0.001, through: 0.999, by: 0.0137) {
            let x = NormalDistribution.standard.quantile(p)
            #expect(StatsCheck.close(NormalDistribution.standard.cdf(x), p, within: 1e-14))
        }
    }

    @Test func boundaryAndInvalidProbabilities() {
        let normal = NormalDistribution.standard
        #expect(normal.quantile(0) == -.infinity)
        #expect(normal.quantile(1) == .infinity)
        #expect(normal.quantile(-0.1).isNaN)
        #expect(normal.quantile(1.1).isNaN)
        #expect(normal.quantile(.nan).isNaN)
    }

    @Test func locationAndScale() {
        let iq = NormalDistribution(mean: 100, standardDeviation: 15)
        #expect(StatsCheck.close(iq.quantile(0.975), 100 + 15 * 1.959963984540054, within: 1e-9))
        #expect(StatsCheck.close(iq.cdf(115), 0.8413447460685429, within: 1e-12))
        #expect(StatsCheck.close(NormalDistribution.twoSidedCriticalValue(confidence: 0.95), 1.959963984540054, within: 1e-12))
    }
}
