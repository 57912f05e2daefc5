import Foundation

/// One criterion of a step up, judged on the agent's history: met or not, with the numbers and
/// the runs behind it.
public struct AutonomyCriterionResult: Sendable, Equatable, Codable {
    public var kind: AutonomyCriterion.Kind
    /// What the policy asks, in words.
    public var requirement: String
    public var met: Bool
    /// What the history shows, in words, with the numbers.
    public var measured: String
    /// The measured number (a streak, days covered, a lower bound, κ); nil when there is none.
    public var value: Double?
    /// The policy's number, as written (exact).
    public var threshold: String
    /// The runs the judgement rests on, newest first.
    public var runIDs: [String]
    /// Deployments that count against the criterion (recorded rollbacks).
    public var deploymentIDs: [Int64]

    enum CodingKeys: String, CodingKey {
        case kind, requirement, met, measured, value, threshold, runIDs, deploymentIDs
    }

    public init(
        kind: AutonomyCriterion.Kind, requirement: String, met: Bool, measured: String, value: Double?, threshold: String, runIDs: [String],
        deploymentIDs: [Int64] = []
    ) {
        self.kind = kind
        self.requirement = requirement
        self.met = met
        self.measured = measured
        self.value = value
        self.threshold = threshold
        self.runIDs = runIDs
        self.deploymentIDs = deploymentIDs
    }
}
