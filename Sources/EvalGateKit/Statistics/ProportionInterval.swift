/// A pass rate with its confidence interval, so reports show how much a rate can be trusted.
public struct ProportionInterval: Sendable, Equatable, Hashable, Codable {
    /// The point estimate successes / trials (0 when there are no trials).
    public let estimate: Double
    /// Lower confidence bound, within [0, 1].
    public let lower: Double
    /// Upper confidence bound, within [0, 1].
    public let upper: Double
    /// The confidence level the bounds were computed at, for example 0.95.
    public let confidence: Double
    /// Number of successes (passed cases).
    public let successes: Int
    /// Number of trials (evaluated cases).
    public let trials: Int

    /// Creates an interval from already computed bounds.
    public init(estimate: Double, lower: Double, upper: Double, confidence: Double, successes: Int, trials: Int) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.successes = successes
        self.trials = trials
    }

    /// upper − lower, a quick measure of how much more data a gate needs.
    public var width: Double { upper - lower }
}
