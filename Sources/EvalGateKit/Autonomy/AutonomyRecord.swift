import Foundation

/// What the autonomy criteria read of an agent's history, read once: its decided runs, its
/// deployments, the review labels on its runs and its autonomy changes.
public struct AutonomyRecord: Sendable {
    /// Decided runs (no shard parts), newest first.
    public var runs: [RunRecord]
    /// Whether `runs` stopped at `runLimit`: older runs exist that were not read.
    public var truncated: Bool
    /// Every environment, newest first.
    public var deployments: [Deployment]
    public var labels: [ReviewLabel]
    /// Newest first.
    public var changes: [AutonomyChange]

    public init(runs: [RunRecord], truncated: Bool = false, deployments: [Deployment], labels: [ReviewLabel], changes: [AutonomyChange]) {
        self.runs = runs
        self.truncated = truncated
        self.deployments = deployments
        self.labels = labels
        self.changes = changes
    }

    /// How many of the newest runs are read; criteria that would need more say so instead of passing.
    public static let runLimit = 2000

    public static func read(agent: String, from history: any RunHistory) async throws -> AutonomyRecord {
        let runs = try await history.runs(agent: agent, pipeline: nil, verdict: nil, limit: runLimit)
        return AutonomyRecord(
            runs: runs.filter { $0.shard == nil }, truncated: runs.count >= runLimit,
            deployments: try await history.deployments(agent: agent, environment: nil, limit: runLimit),
            labels: try await history.allReviewLabels(agent: agent), changes: try await history.autonomyChanges(agent: agent, limit: 1000))
    }

    /// Decided monitor runs, newest first.
    public var monitorRuns: [RunRecord] { runs.filter { $0.mode == .monitor } }

    /// The level recorded last, nil when none was.
    public var recordedLevel: String? { changes.first?.toLevel }
}
