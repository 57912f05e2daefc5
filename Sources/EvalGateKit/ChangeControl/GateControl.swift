import Foundation

/// One control of a run's effective gates, in a form two runs can be compared on: a threshold
/// (`min_pass_rate 0.95`), a requirement (`require_baseline true`) or a membership
/// (`must_pass_tags.prompt-injection required`).
///
/// Values are the exact decimal text of `Rate`, `Money` or the number the policy gave, so the
/// comparison is exact (Foundation's `Decimal` reads them without binary rounding).
public struct GateControl: Sendable, Equatable, Codable {
    /// Which way the control is stricter.
    public enum Direction: String, Sendable, Codable, CaseIterable {
        /// Higher is stricter: a pass rate, a minimum number of cases, a confidence level.
        case minimum
        /// Lower is stricter: an error rate, a latency, a cost, a regression margin.
        case maximum
        /// `true` is stricter (`require_lower_bound`, `require_baseline`).
        case requirement
        /// Present is stricter (a must-pass tag).
        case member
    }

    /// The policy's key, with a tag where the control is per tag (`coverage.edge-case`).
    public var key: String
    public var direction: Direction
    /// The exact value as text: a decimal, `true`/`false`, or `required`.
    public var value: String

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case key, direction, value
    }

    public init(key: String, direction: Direction, value: String) {
        self.key = key
        self.direction = direction
        self.value = value
    }

    /// Latency and cost protect budgets, not behaviour: every other control is a safety control,
    /// and reducing one needs the risk role where the tier names one.
    public var isSafetyControl: Bool {
        !(key.hasPrefix("latency.") || key == "max_cost_per_case")
    }

    var decimal: Decimal? { Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) }
}

extension TierThresholds {
    /// The controls these thresholds set, sorted by key: what a run's effective gates are made of.
    public var controls: [GateControl] {
        var controls: [GateControl] = []
        func add(_ key: String, _ direction: GateControl.Direction, _ value: String?) {
            if let value { controls.append(GateControl(key: key, direction: direction, value: value)) }
        }
        func number(_ value: Double?) -> String? {
            guard let value else { return nil }
            // Shortest text that reads back as the same Double; a whole number without ".0".
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        add("min_pass_rate", .minimum, minPassRate?.description)
        add("min_tag_pass_rate", .minimum, minTagPassRate?.description)
        for (tag, rate) in tagPassRates { add("tag_pass_rates.\(tag)", .minimum, rate.description) }
        for tag in Set(mustPassTags) { add("must_pass_tags.\(tag)", .member, "required") }
        add("max_error_rate", .maximum, maxErrorRate?.description)
        add("latency.p50", .maximum, number(maxLatencyP50))
        add("latency.p95", .maximum, number(maxLatencyP95))
        add("latency.p99", .maximum, number(maxLatencyP99))
        add("max_cost_per_case", .maximum, maxCostPerCase?.description)
        add("min_cases", .minimum, minCases.map(String.init))
        add("confidence", .minimum, number(confidence))
        add("require_lower_bound", .requirement, requireLowerBound.map { String($0) })
        add("max_regression", .maximum, number(maxRegression))
        add("require_baseline", .requirement, requireBaseline.map { String($0) })
        for (tag, count) in coverage { add("coverage.\(tag)", .minimum, String(count)) }
        add("min_pass_hat_k.k", .minimum, minPassHatK.map { String($0.k) })
        add("min_pass_hat_k.rate", .minimum, minPassHatK?.rate.description)
        return controls.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }
}
