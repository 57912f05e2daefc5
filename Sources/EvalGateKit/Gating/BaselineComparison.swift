/// The paired difference between this run and its baseline, on the cases both share.
public struct BaselineComparison: Sendable, Equatable, Codable {
    public var baselineRunID: String?
    public var baselineVersion: String?
    public var sharedCases: Int
    /// Passed in the baseline, not in this run.
    public var regressedCases: [String]
    /// Failed in the baseline, passed in this run.
    public var fixedCases: [String]
    public var mcnemar: McNemarResult
    public var bootstrap: BootstrapInterval?
    /// Non-inferiority margin (the tier's `max_regression`).
    public var margin: Double
    public var outcome: GateOutcome
}
