/// pass^k and pass@k of a case run n times with s successes, by the unbiased estimators of
/// Chen et al. 2021 (pass@k, "Evaluating Large Language Models Trained on Code") and Yao et al. 2024
/// (pass^k, "τ-bench"): pass^k = C(s, k) / C(n, k), the chance that k trials drawn from the n all
/// succeed; pass@k = 1 − C(n − s, k) / C(n, k), the chance that at least one does.
public enum PassHatK {
    /// C(n, k) / C(m, k) as a product of ratios, which stays exact enough in `Double` for n ≤ 100
    /// and never overflows: ∏_{i<k} (n − i) / (m − i).
    static func ratio(choose n: Int, over m: Int, k: Int) -> Double {
        guard k >= 0, n >= k else { return 0 }
        var result = 1.0
        for i in 0..<k { result *= Double(n - i) / Double(m - i) }
        return result
    }

    /// `nil` when fewer than k trials ran: the estimate would need trials that do not exist.
    public static func passHatK(successes: Int, trials: Int, k: Int) -> Double? {
        guard k >= 1, trials >= k, successes >= 0, successes <= trials else { return nil }
        return ratio(choose: successes, over: trials, k: k)
    }

    public static func passAtK(successes: Int, trials: Int, k: Int) -> Double? {
        guard k >= 1, trials >= k, successes >= 0, successes <= trials else { return nil }
        return 1 - ratio(choose: trials - successes, over: trials, k: k)
    }

    /// The mean of per-case values with a percentile bootstrap interval over cases (seeded, so a
    /// report is reproducible).
    public static func meanInterval(_ values: [Double], confidence: Double, iterations: Int = 2_000, seed: UInt64 = 0x5EED_0013)
        -> MeanInterval
    {
        guard !values.isEmpty else { return MeanInterval(estimate: 0, lower: 0, upper: 1, confidence: confidence) }
        let mean = values.reduce(0, +) / Double(values.count)
        guard values.count > 1, Set(values).count > 1 else {
            return MeanInterval(estimate: mean, lower: mean, upper: mean, confidence: confidence)
        }
        var random = SeededGenerator(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(iterations)
        for _ in 0..<iterations {
            var sum = 0.0
            for _ in 0..<values.count { sum += values[Int.random(in: 0..<values.count, using: &random)] }
            means.append(sum / Double(values.count))
        }
        means.sort()
        let tail = (1 - confidence) / 2
        let lower = means[max(0, min(means.count - 1, Int((tail * Double(iterations)).rounded(.down))))]
        let upper = means[max(0, min(means.count - 1, Int(((1 - tail) * Double(iterations)).rounded(.up)) - 1))]
        return MeanInterval(estimate: mean, lower: min(lower, mean), upper: max(upper, mean), confidence: confidence)
    }
}

/// A mean with a confidence interval.
public struct MeanInterval: Sendable, Equatable, Codable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double
    public var confidence: Double

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case estimate, lower, upper, confidence
    }

    public init(estimate: Double, lower: Double, upper: Double, confidence: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
    }
}

/// pass^k and pass@k over a run's conversation cases.
public struct TrialsSummary: Sendable, Equatable, Codable {
    public var k: Int
    /// Conversation cases with at least k trials and no errored trial: the ones measured.
    public var cases: Int
    /// Conversation cases that could not be measured: fewer than k trials, or a trial that errored.
    public var unmeasured: Int
    /// Mean over measured cases of C(s, k) / C(n, k).
    public var passHatK: MeanInterval
    /// Mean over measured cases of 1 − C(n − s, k) / C(n, k).
    public var passAtK: MeanInterval

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case k, cases, unmeasured, passHatK, passAtK
    }

    /// From each conversation case's (successes, trials, errored trials).
    public static func make(_ counts: [(successes: Int, trials: Int, errors: Int)], k: Int, confidence: Double) -> TrialsSummary {
        var hat: [Double] = []
        var at: [Double] = []
        var unmeasured = 0
        for count in counts {
            guard count.errors == 0, let h = PassHatK.passHatK(successes: count.successes, trials: count.trials, k: k),
                let a = PassHatK.passAtK(successes: count.successes, trials: count.trials, k: k)
            else {
                unmeasured += 1
                continue
            }
            hat.append(h)
            at.append(a)
        }
        return TrialsSummary(
            k: k, cases: hat.count, unmeasured: unmeasured, passHatK: PassHatK.meanInterval(hat, confidence: confidence),
            passAtK: PassHatK.meanInterval(at, confidence: confidence))
    }
}
