import Foundation
import GRDB

/// One row of the `run` table: the full `RunRecord` as JSON, plus the columns history queries filter
/// and sort on, copied out of it when the run is saved.
struct RunRow: Codable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "run"

    var id: String
    var pipeline: String
    var pipelineFile: String
    var pipelineHash: String
    var agent: String
    var version: String
    var tier: Int
    var mode: String
    var environment: String
    var startedAt: Date
    var endedAt: Date
    var verdict: String
    var action: String
    /// Why the run stopped early; nil for a run that went through all its cases.
    var stopReason: String?
    var selectedCases: Int
    var passed: Int
    var failed: Int
    var errors: Int
    var passRate: Double
    var p95LatencyMilliseconds: Double?
    var totalCost: Double?
    var ciCommit: String?
    var ciBranch: String?
    var ciJobURL: String?
    var recordJSON: String
    var knownGood: Bool
    var evalgateVersion: String
    var savedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, pipeline
        case pipelineFile = "pipeline_file"
        case pipelineHash = "pipeline_hash"
        case agent, version, tier, mode, environment
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case verdict, action
        case stopReason = "stop_reason"
        case selectedCases = "selected_cases"
        case passed, failed, errors
        case passRate = "pass_rate"
        case p95LatencyMilliseconds = "p95_latency_ms"
        case totalCost = "total_cost"
        case ciCommit = "ci_commit"
        case ciBranch = "ci_branch"
        case ciJobURL = "ci_job_url"
        case recordJSON = "record_json"
        case knownGood = "known_good"
        case evalgateVersion = "evalgate_version"
        case savedAt = "saved_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let pipeline = Column(CodingKeys.pipeline)
        static let agent = Column(CodingKeys.agent)
        static let version = Column(CodingKeys.version)
        static let startedAt = Column(CodingKeys.startedAt)
        static let verdict = Column(CodingKeys.verdict)
        static let stopReason = Column(CodingKeys.stopReason)
        static let recordJSON = Column(CodingKeys.recordJSON)
        static let knownGood = Column(CodingKeys.knownGood)
    }

    /// CI context keys, first match wins; the runner writes `commit`, `branch` and `job_url`.
    static let ciCommitKeys = ["commit", "sha"]
    static let ciBranchKeys = ["branch", "ref"]
    static let ciJobURLKeys = ["job_url", "url"]

    init(_ record: RunRecord, recordJSON: String, knownGood: Bool, savedAt: Date, redactor: Redactor) {
        func ci(_ keys: [String]) -> String? {
            keys.lazy.compactMap { record.ci[$0] }.first.map { redactor($0) }
        }
        id = record.id
        pipeline = record.pipeline
        pipelineFile = record.pipelineFile
        pipelineHash = record.pipelineHash
        agent = record.agent
        version = record.version
        tier = record.tier
        mode = record.mode.rawValue
        environment = record.environment
        startedAt = record.startedAt
        endedAt = record.endedAt
        verdict = record.verdict.rawValue
        action = record.recommendation.action.rawValue
        stopReason = record.stopReason?.rawValue
        selectedCases = record.selectedCases
        passed = record.summary.passed
        failed = record.summary.failed
        errors = record.summary.errors
        passRate = record.summary.passRate.estimate
        p95LatencyMilliseconds = record.summary.latency?.p95
        totalCost = record.summary.totalCost?.doubleValue
        ciCommit = ci(Self.ciCommitKeys)
        ciBranch = ci(Self.ciBranchKeys)
        ciJobURL = ci(Self.ciJobURLKeys)
        self.recordJSON = recordJSON
        self.knownGood = knownGood
        evalgateVersion = record.evalgateVersion
        self.savedAt = savedAt
    }
}
