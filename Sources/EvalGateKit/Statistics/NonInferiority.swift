/// Non-inferiority decisions from a confidence interval for candidate − baseline, so a release is
/// blocked only on evidence of a real regression, not on noise.
public enum NonInferiority {
    /// What the interval says about "the candidate is no worse than the baseline by more than the margin".
    public enum Outcome: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// The whole interval lies above −margin: the candidate is non-inferior.
        case pass
        /// The whole interval lies below −margin: the candidate is worse by more than the margin.
        case fail
        /// The interval straddles −margin: more data is needed to decide.
        case inconclusive
    }

    /// Judges an interval [lower, upper] of candidate − baseline against a non-negative margin.
    ///
    /// pass when lower > −margin, fail when upper < −margin, inconclusive otherwise (bounds that
    /// touch −margin exactly are inconclusive).
    public static func judge(lower: Double, upper: Double, margin: Double) -> Outcome {
        if lower > -margin { return .pass }
        if upper < -margin { return .fail }
        return .inconclusive
    }

    /// Judges a bootstrap interval against a margin, a convenience for paired comparisons.
    public static func judge(_ interval: BootstrapInterval, margin: Double) -> Outcome {
        judge(lower: interval.lower, upper: interval.upper, margin: margin)
    }
}
