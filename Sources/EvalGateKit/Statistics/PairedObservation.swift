/// One case scored by both the baseline and the candidate, the unit a paired comparison resamples.
public struct PairedObservation: Sendable, Equatable, Hashable, Codable {
    /// The golden case id, kept so results can be traced back to cases.
    public var id: String
    /// The baseline agent's score on this case (finite; usually 0...1).
    public var baseline: Double
    /// The candidate agent's score on this case (finite; usually 0...1).
    public var candidate: Double
    /// Cases sharing a cluster (for example variants of one conversation) are correlated and are
    /// resampled together; nil means the case is its own cluster.
    public var cluster: String?

    /// Creates a paired observation.
    public init(id: String, baseline: Double, candidate: Double, cluster: String? = nil) {
        self.id = id
        self.baseline = baseline
        self.candidate = candidate
        self.cluster = cluster
    }

    /// candidate − baseline, positive when the candidate did better on this case.
    public var difference: Double { candidate - baseline }
}
