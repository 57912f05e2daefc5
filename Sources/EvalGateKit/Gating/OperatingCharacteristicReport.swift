/// What each tier's pass-rate gate actually guarantees: the probability that it passes as a
/// function of the agent's true pass rate, at the tier's minimum number of cases.
public enum OperatingCharacteristicReport {
    public static let rates: [Double] = [0.60, 0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0]

    /// The true pass rate at which the gate passes with `target` probability (bisection; the curve rises).
    static func rate(reaching target: Double, _ probability: (Double) -> Double) -> Double {
        var low = 0.0, high = 1.0
        for _ in 0..<40 {
            let middle = (low + high) / 2
            if probability(middle) >= target { high = middle } else { low = middle }
        }
        return high
    }

    public static func render(policy: TierPolicy, simulationTrials: Int = 0, seed: UInt64 = 1) -> String {
        var lines: [String] = []
        for level in policy.tiers.keys.sorted() {
            let tier = policy.tiers[level]!
            let thresholds = tier.thresholds
            // The curves are probabilities, computed in floating point; the threshold joins them as a Double.
            guard let exactMinimum = thresholds.minPassRate else { continue }
            let minimum = exactMinimum.doubleValue
            let cases = max(1, thresholds.minCases ?? 100)
            let confidence = thresholds.confidence ?? TierThresholds.defaultConfidence
            let lowerBound = thresholds.requireLowerBound ?? false
            lines.append("Tier \(level) (\(tier.name)): pass rate ≥ \(Format.percent(exactMinimum))\(lowerBound ? " on the \(Format.percent(confidence, digits: 0)) Wilson lower bound" : " (point estimate)") at n = \(cases) cases")
            var header = "  true pass rate   P(gate passes)"
            if simulationTrials > 0 { header += "   simulated (\(simulationTrials) runs)" }
            lines.append(header)
            for rate in rates {
                let exact = OperatingCharacteristic.probabilityOfPassing(trueRate: rate, n: cases, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound)
                var line = "  \(Format.percent(rate).leftPad(14))   \(String(format: "%14.4f", exact))"
                if simulationTrials > 0 {
                    let simulated = OperatingCharacteristic.simulate(trueRate: rate, n: cases, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound, trials: simulationTrials, seed: seed)
                    line += "   \(String(format: "%10.4f", simulated))"
                }
                lines.append(line)
            }
            let probability = { (rate: Double) in
                OperatingCharacteristic.probabilityOfPassing(trueRate: rate, n: cases, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound)
            }
            lines.append("  → an agent exactly at the bar (\(Format.percent(exactMinimum))) passes with probability \(String(format: "%.3f", probability(minimum))).")
            lines.append("  → it passes half the time at a true rate of \(Format.percent(rate(reaching: 0.5, probability))), and 95% of the time at \(Format.percent(rate(reaching: 0.95, probability))).")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
