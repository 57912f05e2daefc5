import Foundation

/// A person's pass/fail judgement of one case of one run, kept next to evalgate's own status so the
/// agreement between scorers and reviewers (Cohen's kappa) can be measured.
public struct ReviewLabel: Sendable, Equatable, Codable {
    public enum Label: String, Sendable, Codable, CaseIterable {
        case pass, fail
    }

    public var runID: String
    public var caseID: String
    public var label: Label
    public var reviewer: String
    public var note: String?
    public var recordedAt: Date
    /// The agent and version of the run, so labels can be pooled across runs.
    public var agent: String
    public var version: String
    /// The status evalgate gave the case in that run.
    public var automaticStatus: CaseResult.Status?

    public init(
        runID: String, caseID: String, label: Label, reviewer: String, note: String?, recordedAt: Date, agent: String, version: String,
        automaticStatus: CaseResult.Status?
    ) {
        self.runID = runID
        self.caseID = caseID
        self.label = label
        self.reviewer = reviewer
        self.note = note
        self.recordedAt = recordedAt
        self.agent = agent
        self.version = version
        self.automaticStatus = automaticStatus
    }

    /// The reviewer and evalgate agree when both said pass or both said not pass; nil when the case
    /// ended in an infrastructure error, which says nothing about the answer.
    public var agreementPair: (human: Bool, automatic: Bool)? {
        guard let automaticStatus, automaticStatus != .error else { return nil }
        return (label == .pass, automaticStatus == .passed)
    }
}
