import Foundation

/// Wilson score intervals for pass rates, chosen over the Wald interval because they keep correct
/// coverage near 0 % and 100 % and with small datasets (Newcombe 1998, Statistics in Medicine
/// 17:857–872; Brown, Cai & DasGupta 2001, Statistical Science 16:101–133).
public enum WilsonInterval {
    /// The two-sided Wilson score interval at `confidence`, so pass rates are reported with honest bounds.
    ///
    /// With no trials there is no information: estimate 0, bounds [0, 1].
    ///
    /// - Precondition: `0 <= successes <= trials` and `0 < confidence < 1`.
    public static func compute(successes: Int, trials: Int, confidence: Double) -> ProportionInterval {
        validate(successes: successes, trials: trials, confidence: confidence)
        guard trials > 0 else {
            return ProportionInterval(estimate: 0, lower: 0, upper: 1, confidence: confidence, successes: 0, trials: 0)
        }
        let z = NormalDistribution.twoSidedCriticalValue(confidence: confidence)
        let (lower, upper) = bounds(successes: successes, trials: trials, z: z)
        return ProportionInterval(
            estimate: Double(successes) / Double(trials),
            lower: lower,
            upper: upper,
            confidence: confidence,
            successes: successes,
            trials: trials
        )
    }

    /// The one-sided Wilson lower bound at `confidence`, for gates that only care that the true
    /// pass rate is at least some threshold (uses z = Φ⁻¹(confidence), 1.645 at 95 %).
    ///
    /// Returns 0 when there are no trials.
    ///
    /// - Precondition: `0 <= successes <= trials` and `0 < confidence < 1`.
    public static func oneSidedLower(successes: Int, trials: Int, confidence: Double) -> Double {
        validate(successes: successes, trials: trials, confidence: confidence)
        guard trials > 0 else { return 0 }
        let z = NormalDistribution.standard.quantile(confidence)
        return bounds(successes: successes, trials: trials, z: z).lower
    }

    /// Wilson bounds for critical value z; exact 0 / 1 at the boundaries instead of rounding noise.
    static func bounds(successes: Int, trials: Int, z: Double) -> (lower: Double, upper: Double) {
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let lower = successes == 0 ? 0 : max(0, center - halfWidth)
        let upper = successes == trials ? 1 : min(1, center + halfWidth)
        return (lower, upper)
    }

    private static func validate(successes: Int, trials: Int, confidence: Double) {
        precondition(trials >= 0, "trials must not be negative")
        precondition(successes >= 0 && successes <= trials, "successes must lie in 0...trials")
        precondition(confidence > 0 && confidence < 1, "confidence must lie strictly between 0 and 1")
    }
}
