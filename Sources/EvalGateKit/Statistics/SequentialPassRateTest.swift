import Foundation

/// An anytime-valid test of a pass rate against a threshold θ: two one-sided beta-binomial
/// mixture martingales that may be checked after every case, and stopped at any time, without
/// inflating their error rates.
///
/// Evidence that the rate is above θ is the mixture likelihood ratio
///
///     M⁺ₙ = ∫_{θ}^{1} pˢ (1−p)ᶠ π(p) dp / ∫_{θ}^{1} π(p) dp  ÷  θˢ (1−θ)ᶠ
///
/// after s passes and f failures, with π a Beta(θ·m, (1−θ)·m) prior (mean θ, strength m). For
/// every p > θ, θ^x (1−θ)^(1−x) ↦ p^x (1−p)^(1−x) has expectation ≤ 1 under any true rate ≤ θ,
/// so M⁺ is a non-negative supermartingale under the whole null "rate ≤ θ", and Ville's
/// inequality gives P(∃ n: M⁺ₙ ≥ 1/α) ≤ α. `M⁻` is the mirror image (prior truncated to [0, θ))
/// for "rate ≥ θ". This is the method of mixtures of Robbins (1970) as developed by Howard,
/// Ramdas, McAuliffe & Sekhon (2021, Annals of Statistics 49:1055–1080); the one-sided truncated
/// prior follows Waudby-Smith & Ramdas (2023, JRSS B 86:1–27) in testing a composite null.
///
/// Both statistics depend only on (s, f), so the test has a fixed boundary — the fewest passes
/// among n cases that prove the rate above θ, the most that prove it below — which reports and
/// simulations can tabulate once.
public struct SequentialPassRateTest: Sendable, Equatable {
    /// The threshold θ.
    public let threshold: Double
    /// Error allowed on the pass side: P(ever crossing the upper boundary | rate ≤ θ) ≤ passAlpha.
    public let passAlpha: Double
    /// Error allowed on the fail side: P(ever crossing the lower boundary | rate ≥ θ) ≤ failAlpha.
    public let failAlpha: Double
    /// The prior's strength m (its effective number of cases). Small m reacts early to clear
    /// cases; the boundary is loosest around n ≈ m (Howard et al. 2021, §3.5).
    public let priorStrength: Double

    /// The prior strength used by gates: tuned by simulation for runs of 30–1,000 cases, where a
    /// small prior stops clear passes and clear fails earliest (docs/sequential.md).
    public static let defaultPriorStrength = 10.0

    private let priorA: Double
    private let priorB: Double
    private let logPriorAbove: Double
    private let logPriorBelow: Double

    /// - Precondition: `0 < threshold < 1`, both alphas in (0, 1), `priorStrength > 0`.
    public init(threshold: Double, passAlpha: Double, failAlpha: Double, priorStrength: Double = SequentialPassRateTest.defaultPriorStrength) {
        precondition(threshold > 0 && threshold < 1, "a sequential test needs a threshold strictly between 0 and 1")
        precondition(passAlpha > 0 && passAlpha < 1 && failAlpha > 0 && failAlpha < 1, "error rates must lie strictly between 0 and 1")
        precondition(priorStrength > 0, "the prior needs a positive strength")
        self.threshold = threshold
        self.passAlpha = passAlpha
        self.failAlpha = failAlpha
        self.priorStrength = priorStrength
        let a = threshold * priorStrength
        let b = (1 - threshold) * priorStrength
        priorA = a
        priorB = b
        // log of the prior's mass (times B(a, b)) above and below θ.
        logPriorAbove = IncompleteBeta.logBeta(a, b) + IncompleteBeta.logRegularized(x: 1 - threshold, a: b, b: a)
        logPriorBelow = IncompleteBeta.logBeta(a, b) + IncompleteBeta.logRegularized(x: threshold, a: a, b: b)
    }

    /// log M⁺: the log of the evidence that the pass rate is above the threshold.
    public func logEvidenceAbove(passed: Int, failed: Int) -> Double {
        precondition(passed >= 0 && failed >= 0, "counts must not be negative")
        let a = priorA + Double(passed)
        let b = priorB + Double(failed)
        let mass = IncompleteBeta.logBeta(a, b) + IncompleteBeta.logRegularized(x: 1 - threshold, a: b, b: a)
        return mass - logPriorAbove - logNull(passed: passed, failed: failed)
    }

    /// log M⁻: the log of the evidence that the pass rate is below the threshold.
    public func logEvidenceBelow(passed: Int, failed: Int) -> Double {
        precondition(passed >= 0 && failed >= 0, "counts must not be negative")
        let a = priorA + Double(passed)
        let b = priorB + Double(failed)
        let mass = IncompleteBeta.logBeta(a, b) + IncompleteBeta.logRegularized(x: threshold, a: a, b: b)
        return mass - logPriorBelow - logNull(passed: passed, failed: failed)
    }

    private func logNull(passed: Int, failed: Int) -> Double {
        Double(passed) * log(threshold) + Double(failed) * log1p(-threshold)
    }

    /// Whether `passed` of `trials` proves the rate above the threshold (M⁺ ≥ 1/passAlpha).
    public func crossesAbove(passed: Int, trials: Int) -> Bool {
        logEvidenceAbove(passed: passed, failed: trials - passed) >= -log(passAlpha)
    }

    /// Whether `passed` of `trials` proves the rate below the threshold (M⁻ ≥ 1/failAlpha).
    public func crossesBelow(passed: Int, trials: Int) -> Bool {
        logEvidenceBelow(passed: passed, failed: trials - passed) >= -log(failAlpha)
    }

    /// The fewest passes among `trials` cases that cross the upper boundary, or nil when none does.
    /// M⁺ rises with every pass that replaces a failure, so the boundary is one number per n.
    public func passBoundary(trials: Int) -> Int? {
        guard trials > 0, crossesAbove(passed: trials, trials: trials) else { return nil }
        var low = 0  // does not cross (or is the answer when 0 crosses)
        var high = trials  // crosses
        if crossesAbove(passed: 0, trials: trials) { return 0 }
        while high - low > 1 {
            let middle = (low + high) / 2
            if crossesAbove(passed: middle, trials: trials) { high = middle } else { low = middle }
        }
        return high
    }

    /// The most passes among `trials` cases that cross the lower boundary, or nil when none does.
    public func failBoundary(trials: Int) -> Int? {
        guard trials > 0, crossesBelow(passed: 0, trials: trials) else { return nil }
        if crossesBelow(passed: trials, trials: trials) { return trials }
        var low = 0  // crosses
        var high = trials  // does not cross
        while high - low > 1 {
            let middle = (low + high) / 2
            if crossesBelow(passed: middle, trials: trials) { low = middle } else { high = middle }
        }
        return low
    }
}
