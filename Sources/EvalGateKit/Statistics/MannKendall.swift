/// The Mann–Kendall trend test, used on latency over recent runs because it needs no normality
/// or linearity assumption and is robust to outliers (Mann 1945; Kendall 1975; tie-corrected
/// variance as in Gilbert 1987, Statistical Methods for Environmental Pollution Monitoring, §16.4).
public enum MannKendall {
    /// Direction of a monotonic trend.
    public enum Trend: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// Values rise over the series (for latency: getting slower).
        case increasing
        /// Values fall over the series.
        case decreasing
        /// No significant monotonic trend.
        case none
    }

    /// The test statistic, its normal approximation and the decision.
    public struct Result: Sendable, Equatable, Hashable, Codable {
        /// S = Σ_{i<j} sign(x_j − x_i).
        public let s: Int
        /// Tie-corrected variance of S under "no trend".
        public let variance: Double
        /// Continuity-corrected z: (S − 1)/σ if S > 0, (S + 1)/σ if S < 0, else 0.
        public let z: Double
        /// Two-sided p-value 2 · (1 − Φ(|z|)).
        public let pValue: Double
        /// increasing / decreasing when pValue < alpha, otherwise none.
        public let trend: Trend

        /// Creates a result from already computed values.
        public init(s: Int, variance: Double, z: Double, pValue: Double, trend: Trend) {
            self.s = s
            self.variance = variance
            self.z = z
            self.pValue = pValue
            self.trend = trend
        }
    }

    /// Tests a series (oldest first) for a monotonic trend at significance `alpha`.
    ///
    /// Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t tied values. NaN values
    /// (missing runs) are dropped. Fewer than 3 values, or all values tied, give z = 0, p = 1 and
    /// no trend. The normal approximation is customary from n ≈ 10; O(n²), meant for tens to
    /// hundreds of runs.
    ///
    /// - Precondition: 0 < alpha < 1.
    public static func test(_ series: [Double], alpha: Double = 0.05) -> Result {
        precondition(alpha > 0 && alpha < 1, "alpha must lie strictly between 0 and 1")
        let values = series.filter { !$0.isNaN }
        let n = values.count
        var s = 0
        for i in 0..<n {
            for j in (i + 1)..<n {
                if values[j] > values[i] { s += 1 } else if values[j] < values[i] { s -= 1 }
            }
        }
        var tieTerm = 0.0
        var index = 0
        let sorted = values.sorted()
        while index < n {
            var end = index + 1
            while end < n && sorted[end] == sorted[index] { end += 1 }
            let t = Double(end - index)
            if t > 1 { tieTerm += t * (t - 1) * (2 * t + 5) }
            index = end
        }
        let nd = Double(n)
        let variance = (nd * (nd - 1) * (2 * nd + 5) - tieTerm) / 18
        guard n >= 3, variance > 0 else {
            return Result(s: s, variance: max(0, variance), z: 0, pValue: 1, trend: .none)
        }
        let sigma = variance.squareRoot()
        let z: Double = s > 0 ? Double(s - 1) / sigma : s < 0 ? Double(s + 1) / sigma : 0
        let pValue = min(1, 2 * NormalDistribution.standard.complementaryCDF(abs(z)))
        let trend: Trend = pValue < alpha ? (z > 0 ? .increasing : .decreasing) : .none
        return Result(s: s, variance: variance, z: z, pValue: pValue, trend: trend)
    }
}
