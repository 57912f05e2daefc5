import Testing

@testable import EvalGateKit

@Suite("TrendTest.passRateDrop")
struct PassRateDropTests {
    // Current 170/200 against history 180/200, 185/200, 182/200 (pooled 547/600).
    // Pooled two-proportion z by hand in Python:
    //   pp=(170+547)/800; se=sqrt(pp*(1-pp)*(1/200+1/600)); z=(547/600-170/200)/se → 2.4767801944291095
    //   p = norm.sf(z) = 0.006628675978851422
    // Cross-check: scipy.stats.chi2_contingency([[170,30],[547,53]], correction=False) gives
    //   χ² = z² (√χ² = 2.4767801944291103) and p/2 = 0.0066286759788514085.
    @Test func significantDropMatchesReference() {
        let result = TrendTest.passRateDrop(
            current: (passed: 170, total: 200),
            history: [(passed: 180, total: 200), (passed: 185, total: 200), (passed: 182, total: 200)],
            alpha: 0.05
        )
        #expect(StatsCheck.close(result.currentRate, 0.85, within: 1e-15))
        #expect(StatsCheck.close(result.historicalRate, 547.0 / 600.0, within: 1e-15))
        #expect(StatsCheck.close(result.drop, 0.06166666666666665, within: 1e-12))
        #expect(StatsCheck.close(result.z, 2.4767801944291095, within: 1e-9))
        #expect(StatsCheck.relativelyClose(result.pValue, 0.006628675978851422, within: 1e-9))
        #expect(result.significant)
        #expect(result.reason == nil)
    }

    // Current 188/200 is better than history: z = −1.2700854466091909, p = 0.8979729024685974.
    @Test func improvementIsNotADrop() {
        let result = TrendTest.passRateDrop(
            current: (passed: 188, total: 200),
            history: [(passed: 180, total: 200), (passed: 185, total: 200), (passed: 182, total: 200)]
        )
        #expect(StatsCheck.close(result.z, -1.2700854466091909, within: 1e-9))
        #expect(StatsCheck.close(result.pValue, 0.8979729024685974, within: 1e-9))
        #expect(!result.significant)
    }

    @Test func alphaControlsSignificance() {
        let history = [(passed: 180, total: 200), (passed: 185, total: 200), (passed: 182, total: 200)]
        // p ≈ 0.0066: significant at 0.01, not at 0.005.
        #expect(TrendTest.passRateDrop(current: (170, 200), history: history, alpha: 0.01).significant)
        #expect(!TrendTest.passRateDrop(current: (170, 200), history: history, alpha: 0.005).significant)
    }

    @Test func emptyInputsAreNotSignificantWithAReason() {
        let noHistory = TrendTest.passRateDrop(current: (passed: 10, total: 100), history: [])
        #expect(!noHistory.significant)
        #expect(noHistory.reason != nil)
        #expect(noHistory.pValue == 1)

        let emptyHistory = TrendTest.passRateDrop(current: (passed: 10, total: 100), history: [(0, 0)])
        #expect(!emptyHistory.significant)
        #expect(emptyHistory.reason != nil)

        let noCurrent = TrendTest.passRateDrop(current: (passed: 0, total: 0), history: [(90, 100)])
        #expect(!noCurrent.significant)
        #expect(noCurrent.reason != nil)
    }

    @Test func allPassEverywhereIsDegenerateButNotSignificant() {
        let result = TrendTest.passRateDrop(current: (passed: 50, total: 50), history: [(100, 100), (80, 80)])
        #expect(result.drop == 0)
        #expect(!result.significant)
        #expect(result.reason != nil)
    }
}

@Suite("MannKendall")
struct MannKendallTests {
    // Published hand computation: J. Little, "A Mann-Kendall Example (By Hand)", College of the
    // Holy Cross (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt):
    // 14 values, one tied pair → S = 54, V = (14·13·33 − 2·1·9)/18 = 332.67,
    // Z = (S − 1)/√V = 2.9058, one-sided p ≈ 0.0018 (two-sided 2·norm.sf(Z) = 0.003662723762882436).
    @Test func matchesPublishedHandExample() {
        let series = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7]
        let result = MannKendall.test(series)
        #expect(result.s == 54)
        let publishedVariance: Double = (14 * 13 * 33 - 2 * 1 * 9) / 18.0
        #expect(StatsCheck.close(result.variance, publishedVariance, within: 1e-9))
        #expect(StatsCheck.close(result.z, 2.9058, within: 0.00005))
        #expect(StatsCheck.close(result.pValue / 2, 0.0018, within: 0.00005))
        #expect(StatsCheck.relativelyClose(result.pValue, 0.003662723762882436, within: 1e-9))
        #expect(result.trend == .increasing)
    }

    // Latency-like series, computed in Python 3 with numpy/scipy 1.17.1:
    //   s = Σ_{i<j} sign(x[j]-x[i]); counts = np.unique(x, return_counts=True)[1]
    //   var = (n(n-1)(2n+5) - Σ t(t-1)(2t+5))/18; z = (s∓1)/√var; p = 2·norm.sf(|z|)
    // Cross-check of S and var: scipy.stats.kendalltau(np.arange(n), x, method='asymptotic')
    // has z = S/√var (no continuity correction) equal to ours to 1e-15 for every series.
    @Test(arguments: [
        (
            [120.0, 118, 125, 130, 125, 140, 138, 150, 150, 160, 155, 170], 56, 210.66666666666666, 3.789350500440659, 0.00015104167743936332,
            MannKendall.Trend.increasing
        ),
        ([200.0, 195, 190, 192, 180, 181, 170, 175, 160, 150], -39, 125.0, -3.3988233257996803, 0.0006767641801210457, .decreasing),
        ([100.0, 103, 99, 101, 100, 102, 98, 101, 100, 99], -10, 119.33333333333333, -0.8238755668914272, 0.4100102646518349, .none),
        ([5.0, 5, 5, 5, 5, 6], 5, 11.666666666666666, 1.1710800875382399, 0.24156658696897282, .none),
    ])
    func matchesPythonComputation(series: [Double], s: Int, variance: Double, z: Double, pValue: Double, trend: MannKendall.Trend) {
        let result = MannKendall.test(series)
        #expect(result.s == s)
        #expect(StatsCheck.close(result.variance, variance, within: 1e-9))
        #expect(StatsCheck.close(result.z, z, within: 1e-12))
        #expect(StatsCheck.relativelyClose(result.pValue, pValue, within: 1e-9))
        #expect(result.trend == trend)
    }

    @Test func degenerateSeries() {
        for series in [[], [1.0], [1.0, 2.0], [3.0, 3, 3, 3]] {
            let result = MannKendall.test(series)
            #expect(result.z == 0)
            #expect(result.pValue == 1)
            #expect(result.trend == .none)
        }
        // Missing runs (NaN) are dropped: same answer as without them.
        let withGaps = MannKendall.test([1, .nan, 2, 3, .nan, 4, 5, 6, 7, 8, 9, 10])
        let without = MannKendall.test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(withGaps == without)
        #expect(without.s == 45)
    }

    @Test func alphaControlsDecision() {
        let series = [5.0, 5, 5, 5, 5, 6]  // p ≈ 0.2416
        #expect(MannKendall.test(series, alpha: 0.3).trend == .increasing)
        #expect(MannKendall.test(series, alpha: 0.2).trend == .none)
    }
}
