/// Drift detection for nightly sweeps: did tonight's pass rate drop significantly below history?
public enum TrendTest {
    /// The result of comparing the current pass rate with pooled history.
    public struct PassRateDrop: Sendable, Equatable, Hashable, Codable {
        /// Current pass rate (0 when the current run has no cases).
        public let currentRate: Double
        /// Pooled historical pass rate Σ passed / Σ total (0 when history has no cases).
        public let historicalRate: Double
        /// historicalRate − currentRate; positive means the pass rate went down.
        public let drop: Double
        /// Pooled two-proportion z statistic; positive means the current rate is lower.
        public let z: Double
        /// One-sided p-value P(Z ≥ z) for "the current pass rate is lower than history".
        public let pValue: Double
        /// Whether pValue < alpha.
        public let significant: Bool
        /// Why the test could not be carried out or is degenerate; nil for an ordinary result.
        public let reason: String?

        /// Creates a result from already computed values.
        public init(
            currentRate: Double, historicalRate: Double, drop: Double, z: Double,
            pValue: Double, significant: Bool, reason: String?
        ) {
            self.currentRate = currentRate
            self.historicalRate = historicalRate
            self.drop = drop
            self.z = z
            self.pValue = pValue
            self.significant = significant
            self.reason = reason
        }
    }

    /// One-sided pooled two-proportion z-test of the current run against all history pooled.
    ///
    /// z = (p̂_history − p̂_current) / √(p̂(1 − p̂)(1/n_current + 1/n_history)) with p̂ the pooled
    /// rate of both samples; p = 1 − Φ(z). Pooling history assumes past runs share one true rate;
    /// run the test over a recent window. Empty current run or history gives a non-significant
    /// result with a reason; when every case in both samples has the same outcome the rates are
    /// equal and the result is z = 0, p = 1.
    ///
    /// - Precondition: counts satisfy 0 ≤ passed ≤ total, and 0 < alpha < 1.
    public static func passRateDrop(
        current: (passed: Int, total: Int),
        history: [(passed: Int, total: Int)],
        alpha: Double = 0.05
    ) -> PassRateDrop {
        precondition(alpha > 0 && alpha < 1, "alpha must lie strictly between 0 and 1")
        for run in [current] + history {
            precondition(run.total >= 0 && run.passed >= 0 && run.passed <= run.total, "passed must lie in 0...total")
        }
        let historyPassed = history.reduce(0) { $0 + $1.passed }
        let historyTotal = history.reduce(0) { $0 + $1.total }
        let currentRate = current.total > 0 ? Double(current.passed) / Double(current.total) : 0
        let historicalRate = historyTotal > 0 ? Double(historyPassed) / Double(historyTotal) : 0

        func inconclusive(_ reason: String, drop: Double = 0) -> PassRateDrop {
            PassRateDrop(
                currentRate: currentRate, historicalRate: historicalRate, drop: drop,
                z: 0, pValue: 1, significant: false, reason: reason
            )
        }
        if history.isEmpty || historyTotal == 0 {
            return inconclusive("no history to compare against")
        }
        if current.total == 0 {
            return inconclusive("the current run has no cases")
        }
        let drop = historicalRate - currentRate
        let n1 = Double(current.total)
        let n2 = Double(historyTotal)
        let pooled = Double(current.passed + historyPassed) / (n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        guard variance > 0 else {
            return inconclusive("every case passed or every case failed in both current run and history", drop: drop)
        }
        let z = drop / variance.squareRoot()
        let pValue = NormalDistribution.standard.complementaryCDF(z)
        return PassRateDrop(
            currentRate: currentRate, historicalRate: historicalRate, drop: drop,
            z: z, pValue: pValue, significant: pValue < alpha, reason: nil
        )
    }
}
