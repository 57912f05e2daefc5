/// The outcome of an exact McNemar test, kept with its counts so a report can show its evidence.
public struct McNemarResult: Sendable, Equatable, Hashable, Codable {
    /// Cases the baseline passed and the candidate failed (b).
    public let baselineOnlyPassed: Int
    /// Cases the candidate passed and the baseline failed (c).
    public let candidateOnlyPassed: Int
    /// Two-sided exact p-value for "the two agents differ": 2 × the smaller binomial tail, capped at 1.
    public let pValueTwoSided: Double
    /// One-sided exact p-value for "the candidate is worse": P(B ≥ b) with B ~ Bin(b + c, ½).
    public let pValueCandidateWorse: Double

    /// Creates a result from already computed p-values.
    public init(baselineOnlyPassed: Int, candidateOnlyPassed: Int, pValueTwoSided: Double, pValueCandidateWorse: Double) {
        self.baselineOnlyPassed = baselineOnlyPassed
        self.candidateOnlyPassed = candidateOnlyPassed
        self.pValueTwoSided = pValueTwoSided
        self.pValueCandidateWorse = pValueCandidateWorse
    }

    /// Number of discordant pairs b + c; only these carry information about a difference.
    public var discordantPairs: Int { baselineOnlyPassed + candidateOnlyPassed }
}
