import Foundation

/// The operating characteristic of a pass-rate gate: how likely it is to pass an agent with a given
/// true pass rate, so dataset sizes and thresholds can be chosen before a bad release slips through
/// (or a good one is blocked by noise).
public enum OperatingCharacteristic {
    /// One point of an operating-characteristic curve.
    public struct Point: Sendable, Equatable, Hashable, Codable {
        /// The agent's true pass rate.
        public let rate: Double
        /// Probability that the gate passes at that rate.
        public let probability: Double

        /// Creates a point.
        public init(rate: Double, probability: Double) {
            self.rate = rate
            self.probability = probability
        }
    }

    /// The gate's rule, shared by the exact and simulated calculations: with `requireLowerBound`
    /// the two-sided Wilson lower bound at `confidence` must be ≥ threshold, otherwise the point
    /// estimate successes / trials must be ≥ threshold. A gate with no trials never passes.
    ///
    /// - Precondition: `0 <= successes <= trials` and `0 < confidence < 1`.
    public static func passes(successes: Int, trials: Int, threshold: Double, confidence: Double, requireLowerBound: Bool) -> Bool {
        guard trials > 0 else { return false }
        if requireLowerBound {
            return WilsonInterval.compute(successes: successes, trials: trials, confidence: confidence).lower >= threshold
        }
        return Double(successes) / Double(trials) >= threshold
    }

    /// Exact probability that the gate passes: Σ P(K = k) over the k that pass, K ~ Bin(n, trueRate),
    /// summed in log space.
    ///
    /// - Precondition: `n >= 0`, `0 <= trueRate <= 1`, `0 < confidence < 1`.
    public static func probabilityOfPassing(
        trueRate: Double, n: Int, threshold: Double, confidence: Double, requireLowerBound: Bool
    ) -> Double {
        precondition(n >= 0, "the number of cases must not be negative")
        precondition(confidence > 0 && confidence < 1, "confidence must lie strictly between 0 and 1")
        let binomial = BinomialDistribution(trials: n, probability: trueRate)
        let passing = (0...n).lazy.filter {
            passes(successes: $0, trials: n, threshold: threshold, confidence: confidence, requireLowerBound: requireLowerBound)
        }
        let logProbability = binomial.logSumOfProbabilities(passing)
        return logProbability == -.infinity ? 0 : min(1, exp(logProbability))
    }

    /// Monte Carlo estimate of ``probabilityOfPassing(trueRate:n:threshold:confidence:requireLowerBound:)``
    /// with a ``SeededGenerator``, to cross-check the exact value (standard error ≈ √(P(1−P)/trials)).
    ///
    /// - Precondition: `n >= 0`, `0 <= trueRate <= 1`, `0 < confidence < 1`, `trials > 0`.
    public static func simulate(
        trueRate: Double, n: Int, threshold: Double, confidence: Double, requireLowerBound: Bool,
        trials: Int, seed: UInt64
    ) -> Double {
        precondition(n >= 0, "the number of cases must not be negative")
        precondition(trueRate >= 0 && trueRate <= 1, "the true rate must lie in [0, 1]")
        precondition(confidence > 0 && confidence < 1, "confidence must lie strictly between 0 and 1")
        precondition(trials > 0, "a simulation needs at least one trial")
        // Decide each k once; the simulation then only draws binomial counts.
        let passingK = (0...n).map {
            passes(successes: $0, trials: n, threshold: threshold, confidence: confidence, requireLowerBound: requireLowerBound)
        }
        var generator = SeededGenerator(seed: seed)
        var passedGates = 0
        for _ in 0..<trials {
            var successes = 0
            for _ in 0..<n where generator.nextDouble() < trueRate {
                successes += 1
            }
            if passingK[successes] { passedGates += 1 }
        }
        return Double(passedGates) / Double(trials)
    }

    /// The exact operating-characteristic curve over the given true rates, for sizing a dataset.
    public static func curve(n: Int, threshold: Double, confidence: Double, requireLowerBound: Bool, rates: [Double]) -> [Point] {
        rates.map {
            Point(
                rate: $0,
                probability: probabilityOfPassing(
                    trueRate: $0, n: n, threshold: threshold, confidence: confidence, requireLowerBound: requireLowerBound
                )
            )
        }
    }
}
