/// Exact McNemar test for paired pass/fail results, because baseline and candidate run on the
/// same cases and only the discordant pairs tell them apart (exact conditional version, as
/// recommended for small counts by Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91).
public enum McNemarTest {
    /// Exact (binomial) McNemar test on the discordant pairs b and c.
    ///
    /// Under "no difference" the baseline-only count B is Bin(b + c, ½). Tails are summed in log
    /// space, so b + c up to 100,000 and beyond is exact and fast. With no discordant pairs both
    /// p-values are 1.
    ///
    /// - Precondition: `b >= 0` and `c >= 0`.
    public static func exact(baselineOnlyPassed b: Int, candidateOnlyPassed c: Int) -> McNemarResult {
        precondition(b >= 0 && c >= 0, "discordant counts must not be negative")
        let n = b + c
        guard n > 0 else {
            return McNemarResult(baselineOnlyPassed: b, candidateOnlyPassed: c, pValueTwoSided: 1, pValueCandidateWorse: 1)
        }
        let binomial = BinomialDistribution(trials: n, probability: 0.5)
        let lowerTail = binomial.probability(atMost: b)
        let upperTail = binomial.probability(atLeast: b)
        let twoSided = min(1, 2 * min(lowerTail, upperTail))
        return McNemarResult(
            baselineOnlyPassed: b,
            candidateOnlyPassed: c,
            pValueTwoSided: twoSided,
            pValueCandidateWorse: upperTail
        )
    }
}
