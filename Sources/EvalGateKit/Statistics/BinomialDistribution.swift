import Foundation

/// The binomial distribution Bin(n, p), computed in log space so exact tests and operating
/// characteristics stay accurate for n up to 100,000 and beyond without underflow.
public struct BinomialDistribution: Sendable, Equatable, Hashable {
    /// Number of independent trials n.
    public let trials: Int
    /// Success probability p of each trial.
    public let probability: Double

    /// Creates Bin(trials, probability).
    ///
    /// - Precondition: `trials >= 0` and `0 <= probability <= 1`.
    public init(trials: Int, probability: Double) {
        precondition(trials >= 0, "a binomial distribution needs a non-negative number of trials")
        precondition(probability >= 0 && probability <= 1, "a binomial probability must lie in [0, 1]")
        self.trials = trials
        self.probability = probability
    }

    /// log P(K = k); −∞ outside 0...n, kept in log space so huge n never underflows.
    public func logProbability(of k: Int) -> Double {
        guard k >= 0, k <= trials else { return -.infinity }
        let n = trials
        // Degenerate p: all mass on one point (avoids 0 × log 0 = NaN).
        if probability == 0 { return k == 0 ? 0 : -.infinity }
        if probability == 1 { return k == n ? 0 : -.infinity }
        return BinomialDistribution.logChoose(n, k)
            + Double(k) * log(probability)
            + Double(n - k) * log1p(-probability)
    }

    /// P(K = k).
    public func probability(of k: Int) -> Double {
        exp(logProbability(of: k))
    }

    /// P(K ≤ k), summed in log space (log-sum-exp) so tails far below 1e-308 are not lost early.
    public func probability(atMost k: Int) -> Double {
        if k < 0 { return 0 }
        if k >= trials { return 1 }
        return min(1, exp(logSumOfProbabilities(0...k)))
    }

    /// P(K ≥ k), summed in log space; the upper tail used by exact tests and pass-rate gates.
    public func probability(atLeast k: Int) -> Double {
        if k <= 0 { return 1 }
        if k > trials { return 0 }
        return min(1, exp(logSumOfProbabilities(k...trials)))
    }

    /// log Σ P(K = k) over the given values of k, with the log-sum-exp trick.
    public func logSumOfProbabilities<S: Sequence>(_ ks: S) -> Double where S.Element == Int {
        var maximum = -Double.infinity
        var terms: [Double] = []
        terms.reserveCapacity(ks.underestimatedCount)
        for k in ks {
            let term = logProbability(of: k)
            terms.append(term)
            if term > maximum { maximum = term }
        }
        guard maximum > -.infinity else { return -.infinity }
        var sum = 0.0
        for term in terms { sum += exp(term - maximum) }
        return maximum + log(sum)
    }

    /// log C(n, k) from log factorials.
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        logFactorial(n) - logFactorial(k) - logFactorial(n - k)
    }

    /// log n!, exact sums for small n and Stirling's series above, avoiding `lgamma`'s global
    /// `signgam` (a data race when gates run concurrently).
    static func logFactorial(_ n: Int) -> Double {
        precondition(n >= 0, "log factorial of a negative number")
        if n < smallLogFactorials.count { return smallLogFactorials[n] }
        let x = Double(n)
        let inverse = 1 / x
        let inverse2 = inverse * inverse
        // Stirling series; the next omitted term is below 1/(1188·n⁹) < 1e-16 for n ≥ 64.
        let series = inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 / 1680)))
        return x * log(x) - x + 0.5 * log(2 * Double.pi * x) + series
    }

    /// log k! for k < 64, by direct summation.
    private static let smallLogFactorials: [Double] = {
        var table = [0.0]
        var sum = 0.0
        for k in 1..<64 {
            sum += log(Double(k))
            table.append(sum)
        }
        return table
    }()
}
