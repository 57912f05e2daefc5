/// How the reference agent misbehaves, and which versions behave like the regressed release candidate.
///
/// Everything is off by default: a default configuration answers every request correctly and at once.
public struct ReferenceAgentConfiguration: Sendable, Equatable {
    /// Added to every agent response.
    public var latency: Duration
    /// A uniform random extra of up to this much, drawn from the seeded generator.
    public var latencyJitter: Duration
    /// Share of agent requests answered with `500 Internal Server Error`.
    public var errorRate: Double
    /// Every Nth agent request is answered with `429 Too Many Requests` and `Retry-After: 1`.
    public var rateLimitEvery: Int?
    /// Share of agent requests answered `200` with a body that is not JSON.
    public var malformedRate: Double
    /// Share of agent requests never answered (until the server shuts down).
    public var hangRate: Double
    /// Share of agent requests whose body is cut short before the connection closes.
    public var truncateRate: Double
    /// Seed of the generator behind the rates and the jitter, so that a run can be repeated.
    public var seed: UInt64
    /// `X-Agent-Version` values that behave like the regressed release candidate.
    public var regressedVersions: [String]
    /// How much slower the regressed candidate answers.
    public var regressedExtraLatency: Duration
    /// Every request gets the regressed behaviour, whatever its `X-Agent-Version`: a regressed build
    /// deployed, for walk-throughs whose pipelines send no version header.
    public var regressedForEveryVersion: Bool

    public init(
        latency: Duration = .zero,
        latencyJitter: Duration = .zero,
        errorRate: Double = 0,
        rateLimitEvery: Int? = nil,
        malformedRate: Double = 0,
        hangRate: Double = 0,
        truncateRate: Double = 0,
        seed: UInt64 = 42,
        regressedVersions: [String] = ReferenceAgentConfiguration.defaultRegressedVersions,
        regressedExtraLatency: Duration = .milliseconds(150),
        regressedForEveryVersion: Bool = false
    ) {
        self.latency = latency
        self.latencyJitter = latencyJitter
        self.errorRate = errorRate
        self.rateLimitEvery = rateLimitEvery
        self.malformedRate = malformedRate
        self.hangRate = hangRate
        self.truncateRate = truncateRate
        self.seed = seed
        self.regressedVersions = regressedVersions
        self.regressedExtraLatency = regressedExtraLatency
        self.regressedForEveryVersion = regressedForEveryVersion
    }

    /// The release candidate the README demo gates on.
    public static let defaultRegressedVersions = ["2.5.0-rc1"]

    /// Whether requests for this agent version get the regressed behaviour.
    public func isRegressed(version: String?) -> Bool {
        if regressedForEveryVersion { return true }
        guard let version else { return false }
        return regressedVersions.contains(version)
    }

    var hasRandomFaults: Bool {
        errorRate > 0 || malformedRate > 0 || hangRate > 0 || truncateRate > 0
    }
}
