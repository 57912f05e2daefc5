import Testing

@testable import EvalGateKit

@Suite("McNemarTest")
struct McNemarTestTests {
    // Fagerland, Lydersen & Laake (2013), "The McNemar test for binary matched-pairs data:
    // mid-p and asymptotic are better than exact conditional", BMC Med Res Methodol 13:91:
    // worked example (Bentur et al. 2009, airway hyper-responsiveness) with discordant pairs
    // b = 1, c = 7, exact conditional p = 0.070. Exact value 18/256 = 0.0703125, confirmed with
    //   python3 -c "from scipy.stats import binomtest; print(binomtest(1, 8, 0.5).pvalue)"
    @Test func fagerlandWorkedExample() {
        let result = McNemarTest.exact(baselineOnlyPassed: 1, candidateOnlyPassed: 7)
        #expect(StatsCheck.close(result.pValueTwoSided, 0.0703125, within: 1e-12))
        // Candidate better, so "candidate worse" is far from significant: P(B ≥ 1) = 255/256.
        #expect(StatsCheck.close(result.pValueCandidateWorse, 0.99609375, within: 1e-12))
        #expect(result.baselineOnlyPassed == 1)
        #expect(result.candidateOnlyPassed == 7)
        #expect(result.discordantPairs == 8)
    }

    // scipy.stats.binomtest(b, b + c, 0.5).pvalue (two-sided) and
    // binomtest(b, b + c, 0.5, alternative='greater').pvalue (candidate worse), scipy 1.17.1.
    @Test(arguments: [
        (7, 1, 0.0703125, 0.03515625),
        (0, 5, 0.0625, 1.0),
        (10, 10, 1.0, 0.5880985260009766),
        (3, 0, 0.25, 0.125),
        (50_500, 49_500, 0.0015823598788515154, 0.0007911799394257577),
        (51_000, 49_000, 2.5887160383468943e-10, 1.2943580191734472e-10),
        (49_000, 51_000, 2.5887160383468943e-10, 0.9999999998757588),
    ])
    func matchesScipyBinomtest(b: Int, c: Int, twoSided: Double, candidateWorse: Double) {
        let result = McNemarTest.exact(baselineOnlyPassed: b, candidateOnlyPassed: c)
        // Relative 1e-7 even at n = 100,000 thanks to log-space sums.
        #expect(StatsCheck.relativelyClose(result.pValueTwoSided, twoSided, within: 1e-7))
        #expect(StatsCheck.relativelyClose(result.pValueCandidateWorse, candidateWorse, within: 1e-7))
    }

    @Test func noDiscordantPairsGivesNoEvidence() {
        let result = McNemarTest.exact(baselineOnlyPassed: 0, candidateOnlyPassed: 0)
        #expect(result.pValueTwoSided == 1)
        #expect(result.pValueCandidateWorse == 1)
    }

    @Test func extremeImbalanceUnderflowsGracefullyAndTwoSidedIsCapped() {
        let lopsided = McNemarTest.exact(baselineOnlyPassed: 100_000, candidateOnlyPassed: 0)
        #expect(lopsided.pValueCandidateWorse >= 0 && lopsided.pValueCandidateWorse < 1e-300)
        #expect(lopsided.pValueTwoSided < 1e-300)
        #expect(McNemarTest.exact(baselineOnlyPassed: 4, candidateOnlyPassed: 4).pValueTwoSided == 1)
    }
}
