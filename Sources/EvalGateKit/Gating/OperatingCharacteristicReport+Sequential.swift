import Foundation

extension OperatingCharacteristicReport {
    /// One tier's sequential pass-rate gate beside its fixed-n gate, as `evalgate tiers --sequential` prints it.
    public struct SequentialCharacteristic: Sendable, Equatable, Codable {
        public var level: Int
        public var name: String
        public var minPassRate: Double
        /// The run size (the tier's `min_cases`, 100 when it sets none, unless overridden).
        public var cases: Int
        public var confidence: Double
        public var requireLowerBound: Bool
        public var passAlpha: Double
        public var failAlpha: Double
        public var priorStrength: Double
        public var seed: UInt64
        public var points: [Point]

        public struct Point: Sendable, Equatable, Codable {
            public var trueRate: Double
            /// The fixed-n gate, exactly: P(pass) and P(fail) after all `cases`.
            public var fixedPassProbability: Double
            public var fixedFailProbability: Double
            public var sequential: SequentialOperatingCharacteristic.Point

            enum CodingKeys: String, CodingKey {
                case trueRate, fixedPassProbability, fixedFailProbability, sequential
            }
        }

        enum CodingKeys: String, CodingKey {
            case level, name, minPassRate, cases, confidence, requireLowerBound, passAlpha, failAlpha, priorStrength, seed, points
        }
    }

    /// The sequential characteristic of every tier with a pass-rate gate; `cases` overrides each tier's run size.
    public static func sequentialCharacteristics(
        policy: TierPolicy, replications: Int, seed: UInt64 = 1, cases: Int? = nil, rates: [Double] = OperatingCharacteristicReport.rates
    ) -> [SequentialCharacteristic] {
        policy.tiers.keys.sorted().compactMap { level -> SequentialCharacteristic? in
            let tier = policy.tiers[level]!
            let thresholds = tier.thresholds
            guard let minimum = thresholds.minPassRate?.doubleValue else { return nil }
            let horizon = max(1, cases ?? thresholds.minCases ?? 100)
            let confidence = thresholds.confidence ?? TierThresholds.defaultConfidence
            let lowerBound = thresholds.requireLowerBound ?? false
            let gate = SequentialPassRateGate(threshold: minimum, horizon: horizon, confidence: confidence, requireLowerBound: lowerBound)
            let boundaries = gate.boundaries()
            let needed = gate.passesNeeded(of: horizon)
            // The issue's yardsticks sit on the grid too: a clear pass (threshold + 3 points) and a
            // clear fail (threshold − 5 points).
            let tierRates = Set((rates + [minimum + 0.03, minimum - 0.05]).filter { $0 >= 0 && $0 <= 1 }.map { ($0 * 10_000).rounded() / 10_000 })
                .sorted()
            let points = tierRates.map { rate in
                let fixedPass = OperatingCharacteristic.probabilityOfPassing(
                    trueRate: rate, n: horizon, threshold: minimum, confidence: confidence, requireLowerBound: lowerBound)
                let fixedFail = BinomialDistribution(trials: horizon, probability: rate).probability(atMost: needed - 1)
                return SequentialCharacteristic.Point(
                    trueRate: rate, fixedPassProbability: fixedPass, fixedFailProbability: fixedFail,
                    sequential: SequentialOperatingCharacteristic.simulate(
                        gate, boundaries: boundaries, trueRate: rate, replications: replications, seed: seed &+ UInt64((rate * 10_000).rounded())))
            }
            return SequentialCharacteristic(
                level: level, name: tier.name, minPassRate: minimum, cases: horizon, confidence: confidence, requireLowerBound: lowerBound,
                passAlpha: gate.test?.passAlpha ?? 0, failAlpha: gate.test?.failAlpha ?? 0,
                priorStrength: gate.test?.priorStrength ?? SequentialPassRateTest.defaultPriorStrength, seed: seed, points: points)
        }
    }

    public static func renderSequential(policy: TierPolicy, replications: Int, seed: UInt64 = 1, cases: Int? = nil) -> String {
        var lines: [String] = []
        for tier in sequentialCharacteristics(policy: policy, replications: replications, seed: seed, cases: cases) {
            let rule = tier.requireLowerBound ? " on the \(Format.percent(tier.confidence, digits: 0)) Wilson lower bound" : " (point estimate)"
            lines.append("Tier \(tier.level) (\(tier.name)): pass rate ≥ \(Format.percent(tier.minPassRate))\(rule), N = \(tier.cases) cases")
            lines.append(
                "  sequential: beta-mixture boundaries (prior strength \(String(format: "%g", tier.priorStrength))), pass α = \(String(format: "%.3f", tier.passAlpha)), fail α = \(String(format: "%.3f", tier.failAlpha)); \(tier.points.first?.sequential.replications ?? 0) seeded runs per rate (seed \(tier.seed))"
            )
            lines.append("  true rate   fixed P(pass) P(fail)   sequential P(pass) P(fail)   mean cases  p95 cases   calls saved")
            for point in tier.points {
                let sequential = point.sequential
                let saved = 1 - sequential.meanCases / Double(tier.cases)
                lines.append(
                    "  \(Format.percent(point.trueRate).leftPad(9))   \(String(format: "%13.4f %7.4f", point.fixedPassProbability, point.fixedFailProbability))   \(String(format: "%18.4f %7.4f", sequential.passProbability, sequential.failProbability))   \(String(format: "%10.1f", sequential.meanCases))  \(String(sequential.p95Cases).leftPad(9))   \(Format.percent(saved).leftPad(11))"
                )
            }
            func saved(at rate: Double) -> String? {
                tier.points.first { abs($0.trueRate - rate) < 1e-9 }.map { Format.percent(1 - $0.sequential.meanCases / Double(tier.cases)) }
            }
            if let pass = saved(at: ((tier.minPassRate + 0.03) * 10_000).rounded() / 10_000),
                let fail = saved(at: ((tier.minPassRate - 0.05) * 10_000).rounded() / 10_000)
            {
                lines.append("  calls saved: \(pass) for a clear pass (threshold + 3 points), \(fail) for a clear fail (threshold − 5 points)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
