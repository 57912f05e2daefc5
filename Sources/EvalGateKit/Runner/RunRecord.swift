import Foundation

/// Everything about a run except its per-case results: what ran, against what, and what was decided.
/// It heads the JSON result file and is one row of the history.
public struct RunRecord: Sendable, Equatable, Codable {
    public static let schema = "evalgate.run/v1"

    public var schema: String = RunRecord.schema
    public var id: String
    public var pipeline: String
    public var pipelineFile: String
    /// SHA-256 of the pipeline file and of each dataset, so a run can be tied to exact inputs.
    public var pipelineHash: String
    public var datasetHashes: [String: String]
    public var agent: String
    public var version: String
    public var owner: String?
    public var tier: Int
    public var tierName: String
    public var mode: Recommendation.Mode
    public var environment: String
    public var startedAt: Date
    public var endedAt: Date
    public var ci: [String: String]
    /// `--filter`, `--limit`, `--sample`, `--seed` as given.
    public var selection: [String: String]
    public var selectedCases: Int
    public var availableCases: Int
    public var missingCases: Int
    public var stopReason: StopReason?
    public var tlsVerificationDisabled: Bool
    public var exception: GateException?
    public var summary: RunSummary
    public var gates: [GateResult]
    public var verdict: Verdict
    public var baseline: BaselineComparison?
    public var recommendation: Recommendation
    /// People's labels for queued cases, when any were recorded; the verdict above includes them.
    public var humanReview: HumanReviewSummary?
    /// How a sequential run (`--sequential`) went: stopped early at n of N cases, which boundary
    /// each pass-rate gate crossed and when, agent calls saved. Absent for a fixed run.
    public var sequential: SequentialRun?
    /// This run is one shard of a sharded run (`--shard I/N`); its verdict is always inconclusive
    /// and `evalgate merge` decides. Absent for a run that is not a shard.
    public var shard: ShardRun?
    /// This run was merged from shards (`evalgate merge`): which, and which were missing.
    public var merge: MergedShards?
    public var evalgateVersion: String = EvalGate.version
    /// The history's audit log head once this run was recorded: the entry that recorded it. Only
    /// in result files (the history's copy of the record is what that entry hashes, so it has none).
    public var audit: AuditHead?
    /// What the agent could act on (tools, data sources) and the change since its last passing
    /// run (docs/signoff.md). Absent for shards and runs recorded before evalgate recorded it.
    public var scope: RunScope?
    /// The effective gates the run was decided by, their hashes and any change-control block
    /// (docs/change-control.md). Absent in runs recorded before change control existed, and in shards.
    public var changeControl: RunChangeControl?

    /// The JSON keys: part of the documented format, so spelled out rather than derived.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case schema, id, pipeline, pipelineFile, pipelineHash, datasetHashes, agent, version
        case owner, tier, tierName, mode, environment, startedAt, endedAt, ci
        case selection, selectedCases, availableCases, missingCases, stopReason, tlsVerificationDisabled, exception, summary
        case gates, verdict, baseline, recommendation, humanReview, sequential, shard, merge, evalgateVersion, audit
        case scope
        case changeControl
    }

    public init(
        id: String, pipeline: String, pipelineFile: String, pipelineHash: String, datasetHashes: [String: String], agent: String, version: String,
        owner: String?, tier: Int, tierName: String, mode: Recommendation.Mode, environment: String, startedAt: Date, endedAt: Date,
        ci: [String: String],
        selection: [String: String], selectedCases: Int, availableCases: Int, missingCases: Int, stopReason: StopReason?,
        tlsVerificationDisabled: Bool,
        exception: GateException?, summary: RunSummary, gates: [GateResult], verdict: Verdict, baseline: BaselineComparison?,
        recommendation: Recommendation
    ) {
        self.id = id
        self.pipeline = pipeline
        self.pipelineFile = pipelineFile
        self.pipelineHash = pipelineHash
        self.datasetHashes = datasetHashes
        self.agent = agent
        self.version = version
        self.owner = owner
        self.tier = tier
        self.tierName = tierName
        self.mode = mode
        self.environment = environment
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.ci = ci
        self.selection = selection
        self.selectedCases = selectedCases
        self.availableCases = availableCases
        self.missingCases = missingCases
        self.stopReason = stopReason
        self.tlsVerificationDisabled = tlsVerificationDisabled
        self.exception = exception
        self.summary = summary
        self.gates = gates
        self.verdict = verdict
        self.baseline = baseline
        self.recommendation = recommendation
    }
}
