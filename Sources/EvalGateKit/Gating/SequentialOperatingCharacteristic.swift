import Foundation

/// What a sequential pass-rate gate does at a given true pass rate, by seeded simulation: how often
/// it passes and fails, and how many cases it needs (mean and 95th percentile).
public enum SequentialOperatingCharacteristic {
    public struct Point: Sendable, Equatable, Codable {
        public var trueRate: Double
        public var passProbability: Double
        public var failProbability: Double
        /// Of the runs, the fraction that stopped before the horizon.
        public var earlyStopProbability: Double
        /// Mean answered cases until the decision.
        public var meanCases: Double
        /// 95th percentile of the answered cases until the decision.
        public var p95Cases: Int
        public var replications: Int

        enum CodingKeys: String, CodingKey {
            case trueRate, passProbability, failProbability, earlyStopProbability, meanCases, p95Cases, replications
        }
    }

    /// Simulates `replications` runs of `gate` with independent cases passing at `trueRate`.
    ///
    /// - Precondition: `0 <= trueRate <= 1`, `replications > 0`.
    public static func simulate(_ gate: SequentialPassRateGate, trueRate: Double, replications: Int, seed: UInt64) -> Point {
        let boundaries = gate.boundaries()
        return simulate(gate, boundaries: boundaries, trueRate: trueRate, replications: replications, seed: seed)
    }

    /// As above, with the gate's boundaries computed once for several rates.
    public static func simulate(
        _ gate: SequentialPassRateGate, boundaries: (pass: [Int], fail: [Int]), trueRate: Double, replications: Int, seed: UInt64
    ) -> Point {
        precondition(trueRate >= 0 && trueRate <= 1, "the true rate must lie in [0, 1]")
        precondition(replications > 0, "a simulation needs at least one replication")
        let horizon = gate.horizon
        var generator = SeededGenerator(seed: seed)
        var passes = 0
        var fails = 0
        var early = 0
        var casesUsed = [Int](repeating: 0, count: horizon + 1)
        var totalCases = 0
        for _ in 0..<replications {
            var passed = 0
            var outcome: GateOutcome?
            var n = 0
            while n < horizon {
                n += 1
                if generator.nextDouble() < trueRate { passed += 1 }
                if passed >= boundaries.pass[n] {
                    outcome = .pass
                    break
                }
                if passed <= boundaries.fail[n] {
                    outcome = .fail
                    break
                }
            }
            if outcome != nil && n < horizon { early += 1 }
            let decided = outcome ?? gate.finalDecision(passed: passed, trials: n).outcome
            if decided == .pass { passes += 1 }
            if decided == .fail { fails += 1 }
            casesUsed[n] += 1
            totalCases += n
        }
        var cumulative = 0
        var p95 = horizon
        for (n, count) in casesUsed.enumerated() {
            cumulative += count
            if Double(cumulative) >= 0.95 * Double(replications) {
                p95 = n
                break
            }
        }
        let total = Double(replications)
        return Point(
            trueRate: trueRate, passProbability: Double(passes) / total, failProbability: Double(fails) / total,
            earlyStopProbability: Double(early) / total, meanCases: Double(totalCases) / total, p95Cases: p95, replications: replications)
    }
}
