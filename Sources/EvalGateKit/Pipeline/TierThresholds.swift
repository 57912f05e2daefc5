/// The thresholds a risk tier sets, and a pipeline may tighten. A `nil` threshold is not gated.
///
/// Thresholds that a count or an amount is compared with are exact decimals (`Rate`, `Money`), so a
/// run exactly at the bar is at the bar. Parameters of statistics (`confidence`, `maxRegression`) and
/// latency limits stay `Double`: what they are compared with is an estimate or a measurement.
public struct TierThresholds: Sendable, Equatable, Codable {
    public var minPassRate: Rate?
    /// Minimum pass rate of every tag that has cases.
    public var minTagPassRate: Rate?
    /// Minimum pass rates for named tags, above the per-tag default.
    public var tagPassRates: [String: Rate]
    /// Tags whose every case must pass.
    public var mustPassTags: [String]
    public var maxErrorRate: Rate?
    /// Latency limits in milliseconds.
    public var maxLatencyP50: Double?
    public var maxLatencyP95: Double?
    public var maxLatencyP99: Double?
    /// Mean cost per costed case, in the pricing's currency.
    public var maxCostPerCase: Money?
    public var minCases: Int?
    /// Confidence level of the Wilson interval on pass rates.
    public var confidence: Double?
    /// The interval's lower bound, not only the point estimate, must clear the pass-rate thresholds.
    public var requireLowerBound: Bool?
    /// Largest allowed drop in mean score against the baseline (the non-inferiority margin).
    public var maxRegression: Double?
    /// Without a baseline the regression gate is inconclusive rather than skipped.
    public var requireBaseline: Bool?
    /// Minimum number of cases per coverage tag.
    public var coverage: [String: Int]
    /// Minimum mean pass^k over conversation cases (`min_pass_hat_k: {k: 3, rate: 0.9}`).
    public var minPassHatK: PassHatKThreshold? = nil

    public init(
        minPassRate: Rate? = nil, minTagPassRate: Rate? = nil, tagPassRates: [String: Rate] = [:], mustPassTags: [String] = [],
        maxErrorRate: Rate? = nil, maxLatencyP50: Double? = nil, maxLatencyP95: Double? = nil, maxLatencyP99: Double? = nil,
        maxCostPerCase: Money? = nil, minCases: Int? = nil, confidence: Double? = nil, requireLowerBound: Bool? = nil,
        maxRegression: Double? = nil, requireBaseline: Bool? = nil, coverage: [String: Int] = [:], minPassHatK: PassHatKThreshold? = nil
    ) {
        self.minPassHatK = minPassHatK
        self.minPassRate = minPassRate
        self.minTagPassRate = minTagPassRate
        self.tagPassRates = tagPassRates
        self.mustPassTags = mustPassTags
        self.maxErrorRate = maxErrorRate
        self.maxLatencyP50 = maxLatencyP50
        self.maxLatencyP95 = maxLatencyP95
        self.maxLatencyP99 = maxLatencyP99
        self.maxCostPerCase = maxCostPerCase
        self.minCases = minCases
        self.confidence = confidence
        self.requireLowerBound = requireLowerBound
        self.maxRegression = maxRegression
        self.requireBaseline = requireBaseline
        self.coverage = coverage
    }

    /// `min_tag_pass_rate` gates tags with at least this many answered cases; a smaller tag says too
    /// little on its own (name it in `tag_pass_rates` to gate it anyway). Its cases still count overall.
    public static let minCasesForTagGate = 10

    /// Confidence level used when neither tier nor pipeline sets one.
    public static let defaultConfidence = 0.95

    /// A change of one threshold that lowers the bar.
    public struct Loosening: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var tierValue: String
        public var pipelineValue: String

        public var description: String { "'\(key)' \(pipelineValue) is looser than the tier's \(tierValue)" }
    }

    /// These thresholds with every threshold `overrides` sets replacing the tier's.
    public func applying(_ overrides: TierThresholds) -> TierThresholds {
        var result = self
        result.minPassRate = overrides.minPassRate ?? minPassRate
        result.minTagPassRate = overrides.minTagPassRate ?? minTagPassRate
        result.tagPassRates.merge(overrides.tagPassRates) { _, new in new }
        result.mustPassTags = Array(Set(mustPassTags).union(overrides.mustPassTags)).sorted()
        result.maxErrorRate = overrides.maxErrorRate ?? maxErrorRate
        result.maxLatencyP50 = overrides.maxLatencyP50 ?? maxLatencyP50
        result.maxLatencyP95 = overrides.maxLatencyP95 ?? maxLatencyP95
        result.maxLatencyP99 = overrides.maxLatencyP99 ?? maxLatencyP99
        result.maxCostPerCase = overrides.maxCostPerCase ?? maxCostPerCase
        result.minCases = overrides.minCases ?? minCases
        result.confidence = overrides.confidence ?? confidence
        result.requireLowerBound = overrides.requireLowerBound ?? requireLowerBound
        result.maxRegression = overrides.maxRegression ?? maxRegression
        result.requireBaseline = overrides.requireBaseline ?? requireBaseline
        result.coverage.merge(overrides.coverage) { _, new in new }
        result.minPassHatK = overrides.minPassHatK ?? minPassHatK
        return result
    }

    /// These thresholds with `overrides` applied only where they are stricter: what a pipeline's
    /// gates come to when the exception that allowed its loosenings no longer applies.
    public func strictest(with overrides: TierThresholds) -> TierThresholds {
        func higher<T: Comparable>(_ tier: T?, _ pipeline: T?) -> T? {
            guard let pipeline else { return tier }
            guard let tier else { return pipeline }
            return max(tier, pipeline)
        }
        func lower<T: Comparable>(_ tier: T?, _ pipeline: T?) -> T? {
            guard let pipeline else { return tier }
            guard let tier else { return pipeline }
            return min(tier, pipeline)
        }
        func required(_ tier: Bool?, _ pipeline: Bool?) -> Bool? { tier == true ? true : (pipeline ?? tier) }
        var result = applying(overrides)
        result.minPassRate = higher(minPassRate, overrides.minPassRate)
        result.minTagPassRate = higher(minTagPassRate, overrides.minTagPassRate)
        for (tag, rate) in overrides.tagPassRates { result.tagPassRates[tag] = higher(tagPassRates[tag] ?? minTagPassRate, rate) }
        result.maxErrorRate = lower(maxErrorRate, overrides.maxErrorRate)
        result.maxLatencyP50 = lower(maxLatencyP50, overrides.maxLatencyP50)
        result.maxLatencyP95 = lower(maxLatencyP95, overrides.maxLatencyP95)
        result.maxLatencyP99 = lower(maxLatencyP99, overrides.maxLatencyP99)
        result.maxCostPerCase = lower(maxCostPerCase, overrides.maxCostPerCase)
        result.minCases = higher(minCases, overrides.minCases)
        result.confidence = higher(confidence, overrides.confidence)
        result.requireLowerBound = required(requireLowerBound, overrides.requireLowerBound)
        result.maxRegression = lower(maxRegression, overrides.maxRegression)
        result.requireBaseline = required(requireBaseline, overrides.requireBaseline)
        for (tag, count) in overrides.coverage { result.coverage[tag] = higher(coverage[tag], count) }
        return result
    }

    /// Every threshold `overrides` sets that is looser than this tier's, by the governance rule:
    /// minimums may only go up, maximums only down, requirements only on.
    public func loosenings(by overrides: TierThresholds) -> [Loosening] {
        var found: [Loosening] = []
        func minimum<T: Comparable>(_ key: String, _ tier: T?, _ pipeline: T?) {
            if let pipeline, let tier, pipeline < tier {
                found.append(Loosening(key: key, tierValue: "\(tier)", pipelineValue: "\(pipeline)"))
            }
        }
        func maximum<T: Comparable>(_ key: String, _ tier: T?, _ pipeline: T?) {
            if let pipeline, let tier, pipeline > tier {
                found.append(Loosening(key: key, tierValue: "\(tier)", pipelineValue: "\(pipeline)"))
            }
        }
        func requirement(_ key: String, _ tier: Bool?, _ pipeline: Bool?) {
            if pipeline == false, tier == true {
                found.append(Loosening(key: key, tierValue: "true", pipelineValue: "false"))
            }
        }
        minimum("min_pass_rate", minPassRate, overrides.minPassRate)
        minimum("min_tag_pass_rate", minTagPassRate, overrides.minTagPassRate)
        for (tag, rate) in overrides.tagPassRates.sorted(by: { $0.key < $1.key }) {
            minimum("tag_pass_rates.\(tag)", tagPassRates[tag] ?? minTagPassRate, rate)
        }
        maximum("max_error_rate", maxErrorRate, overrides.maxErrorRate)
        maximum("latency.p50", maxLatencyP50, overrides.maxLatencyP50)
        maximum("latency.p95", maxLatencyP95, overrides.maxLatencyP95)
        maximum("latency.p99", maxLatencyP99, overrides.maxLatencyP99)
        maximum("max_cost_per_case", maxCostPerCase, overrides.maxCostPerCase)
        minimum("min_cases", minCases, overrides.minCases)
        minimum("confidence", confidence, overrides.confidence)
        requirement("require_lower_bound", requireLowerBound, overrides.requireLowerBound)
        maximum("max_regression", maxRegression, overrides.maxRegression)
        requirement("require_baseline", requireBaseline, overrides.requireBaseline)
        for (tag, count) in overrides.coverage.sorted(by: { $0.key < $1.key }) {
            minimum("coverage.\(tag)", coverage[tag], count)
        }
        minimum("min_pass_hat_k.k", minPassHatK?.k, overrides.minPassHatK?.k)
        minimum("min_pass_hat_k.rate", minPassHatK?.rate, overrides.minPassHatK?.rate)
        return found
    }
}
