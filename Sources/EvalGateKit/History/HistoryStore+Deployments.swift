import Foundation
import GRDB

/// What was live where and when. evalgate does not deploy; deploy tooling (or a person) tells the
/// history, and baselines and rollback targets are read from it.
extension HistoryStore {
    /// Records that `version` of `agent` is now live in `environment`. `runID` (may be a unique
    /// prefix) names the run that justified it; `at` is for backfilling and tests.
    public func recordDeployment(
        agent: String, environment: String, version: String, recordedBy: String?, note: String?, runID: String?, at: Date
    ) async throws {
        try await write { db in
            var row = DeploymentRow(
                id: nil, agent: agent, environment: environment, version: version, recordedAt: at, recordedBy: recordedBy.map { redactor($0) },
                note: note.map { redactor($0) }, runID: try runID.map { try requireRunID($0, db) })
            try row.insert(db)
            let id = row.id ?? db.lastInsertedRowID
            try Self.appendAudit(
                .deploymentRecorded, actor: row.recordedBy ?? AuditActor.resolve(by: nil), agent: agent, runID: row.runID, subject: String(id),
                evidence: ["deployment_sha256": try AuditDigest.deployment(db, id: id), "environment": environment, "version": version], db)
        }
    }

    /// The version most recently recorded as deployed to `environment`, if any.
    public func liveVersion(agent: String, environment: String) async throws -> String? {
        try await read { db in try latestDeployment(agent: agent, environment: environment, db)?.version }
    }

    /// Deployments of an agent, newest first; all environments when `environment` is nil.
    public func deployments(agent: String, environment: String?, limit: Int) async throws -> [Deployment] {
        try await read { db in
            var request = DeploymentRow.filter(DeploymentRow.Columns.agent == agent)
            if let environment { request = request.filter(DeploymentRow.Columns.environment == environment) }
            return try request.order(DeploymentRow.Columns.recordedAt.desc, DeploymentRow.Columns.id.desc)
                .limit(max(0, limit))
                .fetchAll(db)
                .map(\.deployment)
        }
    }

    /// Newest by time recorded; among deployments recorded at the same instant, the last inserted.
    func latestDeployment(agent: String, environment: String, _ db: Database) throws -> DeploymentRow? {
        try DeploymentRow
            .filter(DeploymentRow.Columns.agent == agent && DeploymentRow.Columns.environment == environment)
            .order(DeploymentRow.Columns.recordedAt.desc, DeploymentRow.Columns.id.desc)
            .fetchOne(db)
    }
}
