/// A bootstrap confidence interval for the mean difference candidate − baseline, with everything
/// needed to reproduce it (iterations, seed) and judge it (number of clusters).
public struct BootstrapInterval: Sendable, Equatable, Hashable, Codable {
    /// Observed mean of candidate − baseline over all cases.
    public let meanDifference: Double
    /// Lower percentile bound of the bootstrap distribution.
    public let lower: Double
    /// Upper percentile bound of the bootstrap distribution.
    public let upper: Double
    /// Two-sided confidence level of [lower, upper].
    public let confidence: Double
    /// Number of bootstrap resamples.
    public let iterations: Int
    /// Seed of the ``SeededGenerator`` that drew the resamples.
    public let seed: UInt64
    /// Number of independent resampling units (clusters, counting unclustered cases singly).
    public let clusterCount: Int
    /// Number of paired cases.
    public let observationCount: Int

    /// Creates an interval from already computed values.
    public init(
        meanDifference: Double, lower: Double, upper: Double, confidence: Double,
        iterations: Int, seed: UInt64, clusterCount: Int, observationCount: Int
    ) {
        self.meanDifference = meanDifference
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.iterations = iterations
        self.seed = seed
        self.clusterCount = clusterCount
        self.observationCount = observationCount
    }
}
