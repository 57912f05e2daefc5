import Yams

extension TierThresholds {
    /// The keys a tier (and a pipeline's `gates`) may set.
    static let yamlKeys = [
        "min_pass_rate", "min_tag_pass_rate", "tag_pass_rates", "must_pass_tags", "max_error_rate", "latency",
        "max_cost_per_case", "min_cases", "confidence", "require_lower_bound", "max_regression", "require_baseline", "coverage",
        "min_pass_hat_k",
    ]

    /// Reads the threshold keys of an already key-checked mapping.
    static func read(_ entries: YAMLReader.Entries, _ reader: YAMLReader, context: String) -> TierThresholds {
        var thresholds = TierThresholds()
        thresholds.minPassRate = reader.rate(entries["min_pass_rate"], "'min_pass_rate'")
        thresholds.minTagPassRate = reader.rate(entries["min_tag_pass_rate"], "'min_tag_pass_rate'")
        if let node = entries["tag_pass_rates"], case .mapping(let mapping) = node {
            for (key, value) in mapping {
                if let tag = reader.string(key, "a tag"), let rate = reader.rate(value, "'tag_pass_rates.\(tag)'") {
                    thresholds.tagPassRates[tag] = rate
                }
            }
        } else if let node = entries["tag_pass_rates"] {
            reader.error(node, "'tag_pass_rates' must map tags to pass rates")
        }
        thresholds.mustPassTags = reader.stringList(entries["must_pass_tags"], "'must_pass_tags'") ?? []
        thresholds.maxErrorRate = reader.rate(entries["max_error_rate"], "'max_error_rate'")
        if let node = entries["latency"], let latency = reader.mapping(node, "'latency' in \(context)", allowed: ["p50", "p95", "p99"]) {
            thresholds.maxLatencyP50 = reader.duration(latency["p50"], "'latency.p50'").map { $0 * 1000 }
            thresholds.maxLatencyP95 = reader.duration(latency["p95"], "'latency.p95'").map { $0 * 1000 }
            thresholds.maxLatencyP99 = reader.duration(latency["p99"], "'latency.p99'").map { $0 * 1000 }
        }
        thresholds.maxCostPerCase = reader.money(entries["max_cost_per_case"], "'max_cost_per_case'", range: 0...1_000_000)
        thresholds.minCases = reader.int(entries["min_cases"], "'min_cases'", range: 0...10_000_000)
        if let node = entries["confidence"], let confidence = reader.double(node, "'confidence'", range: 0...1) {
            if confidence < 0.5 || confidence >= 1 {
                reader.error(node, "'confidence' must be at least 0.5 and below 1, found \(confidence)", hint: "typical values: 0.90, 0.95, 0.99")
            } else {
                thresholds.confidence = confidence
            }
        }
        thresholds.requireLowerBound = reader.bool(entries["require_lower_bound"], "'require_lower_bound'")
        thresholds.maxRegression = reader.fraction(entries["max_regression"], "'max_regression'")
        thresholds.requireBaseline = reader.bool(entries["require_baseline"], "'require_baseline'")
        if let node = entries["coverage"], case .mapping(let mapping) = node {
            for (key, value) in mapping {
                if let tag = reader.string(key, "a coverage tag"), let count = reader.int(value, "'coverage.\(tag)'", range: 0...10_000_000) {
                    thresholds.coverage[tag] = count
                }
            }
        } else if let node = entries["coverage"] {
            reader.error(node, "'coverage' must map tags to minimum numbers of cases")
        }
        if let node = entries["min_pass_hat_k"],
            let fields = reader.mapping(node, "'min_pass_hat_k' in \(context)", allowed: ["k", "rate"], required: ["k", "rate"])
        {
            if let k = reader.int(fields["k"], "'min_pass_hat_k.k'", range: 1...100), let rate = reader.rate(fields["rate"], "'min_pass_hat_k.rate'")
            {
                thresholds.minPassHatK = PassHatKThreshold(k: k, rate: rate)
            }
        }
        return thresholds
    }
}
