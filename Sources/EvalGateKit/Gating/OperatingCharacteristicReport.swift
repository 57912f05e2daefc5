/// What each tier's pass-rate gate actually guarantees: the probability that it passes as a
/// function of the agent's true pass rate, at the tier's minimum number of cases.
public enum OperatingCharacteristicReport {
    public static let rates: [Double] = [0.60, 0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 1.0]

    /// The true pass rate at which the gate passes with `target` probability (bisection; the curve rises).
    static func rate(reaching target: Double, _ probability: (Double) -> Double) -> Double {
        var low = 0.0
        var high = 1.0
        for _ in 0..<40 {
            let middle = (low + high) / 2
            if probability(middle) >= target { high = middle } else { low = middle }
        }
        return high
    }

    /// What one tier's pass-rate gate guarantees; `evalgate tiers --format json` prints these.
    public struct Characteristic: Sendable, Equatable, Codable {
        public var level: Int
        public var name: String
        public var minPassRate: Double
        /// The tier's `min_cases` (100 when it sets none): the run size the figures assume.
        public var cases: Int
        public var confidence: Double
        public var requireLowerBound: Bool
        public var points: [Point]
        /// Probability that an agent whose true pass rate is exactly `minPassRate` passes.
        public var passProbabilityAtMinimum: Double
        /// The true pass rate at which the gate passes half the time.
        public var rateForEvenOdds: Double
        /// The true pass rate at which the gate passes 95% of the time.
        public var rateFor95Percent: Double
        /// Monte Carlo runs per point behind `Point.simulated` (absent when only exact figures were asked for).
        public var simulationTrials: Int?

        public struct Point: Sendable, Equatable, Codable {
            public var trueRate: Double
            /// Exact binomial probability that the gate passes.
            public var passProbability: Double
            /// The same, estimated by simulation.
            public var simulated: Double?

            enum CodingKeys: String, CodingKey {
                case trueRate, passProbability, simulated
            }
        }

        enum CodingKeys: String, CodingKey {
            case level, name, minPassRate, cases, confidence, requireLowerBound, points, passProbabilityAtMinimum, rateForEvenOdds, rateFor95Percent
            case simulationTrials
        }
    }

    /// The characteristic of every tier with a pass-rate gate, by level.
    public static func characteristics(policy: TierPolicy, simulationTrials: Int = 0, seed: UInt64 = 1) -> [Characteristic] {
        policy.tiers.keys.sorted().compactMap { level -> Characteristic? in
            let tier = policy.tiers[level]!
            let thresholds = tier.thresholds
            // The curves are probabilities, computed in floating point; the threshold joins them as a Double.
            guard let minimum = thresholds.minPassRate?.doubleValue else { return nil }
            let cases = max(1, thresholds.minCases ?? 100)
            let confidence = thresholds.confidence ?? TierThresholds.defaultConfidence
            let lowerBound = thresholds.requireLowerBound ?? false
            let probability = { (rate: Double) in
                OperatingCharacteristic.probabilityOfPassing(
                    trueRate: rate, n: cases, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound)
            }
            let points = rates.map { rate in
                Characteristic.Point(
                    trueRate: rate, passProbability: probability(rate),
                    simulated: simulationTrials > 0
                        ? OperatingCharacteristic.simulate(
                            trueRate: rate, n: cases, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound,
                            trials: simulationTrials, seed: seed)
                        : nil)
            }
            return Characteristic(
                level: level, name: tier.name, minPassRate: minimum, cases: cases, confidence: confidence, requireLowerBound: lowerBound,
                points: points,
                passProbabilityAtMinimum: probability(minimum), rateForEvenOdds: rate(reaching: 0.5, probability),
                rateFor95Percent: rate(reaching: 0.95, probability), simulationTrials: simulationTrials > 0 ? simulationTrials : nil)
        }
    }

    public static func render(policy: TierPolicy, simulationTrials: Int = 0, seed: UInt64 = 1) -> String {
        var lines: [String] = []
        for tier in characteristics(policy: policy, simulationTrials: simulationTrials, seed: seed) {
            lines.append(
                "Tier \(tier.level) (\(tier.name)): pass rate ≥ \(Format.percent(tier.minPassRate))\(tier.requireLowerBound ? " on the \(Format.percent(tier.confidence, digits: 0)) Wilson lower bound" : " (point estimate)") at n = \(tier.cases) cases"
            )
            var header = "  true pass rate   P(gate passes)"
            if let trials = tier.simulationTrials { header += "   simulated (\(trials) runs)" }
            lines.append(header)
            for point in tier.points {
                var line = "  \(Format.percent(point.trueRate).leftPad(14))   \(String(format: "%14.4f", point.passProbability))"
                if let simulated = point.simulated { line += "   \(String(format: "%10.4f", simulated))" }
                lines.append(line)
            }
            lines.append(
                "  → an agent exactly at the bar (\(Format.percent(tier.minPassRate))) passes with probability \(String(format: "%.3f", tier.passProbabilityAtMinimum))."
            )
            lines.append(
                "  → it passes half the time at a true rate of \(Format.percent(tier.rateForEvenOdds)), and 95% of the time at \(Format.percent(tier.rateFor95Percent))."
            )
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
