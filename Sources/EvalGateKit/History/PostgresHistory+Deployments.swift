import Foundation
import PostgresNIO

/// What was live where and when (`HistoryStore+Deployments.swift`).
extension PostgresHistory {
    public func recordDeployment(
        agent: String, environment: String, version: String, recordedBy: String?, note: String?, runID: String?, at: Date
    ) async throws {
        try await write { connection in
            let row = DeploymentRow(
                id: nil, agent: agent, environment: environment, version: version, recordedAt: at, recordedBy: recordedBy.map { redactor($0) },
                note: note.map { redactor($0) }, runID: try await runID.asyncMap { try await Self.requireRunID($0, connection) })
            var id: Int64 = 0
            for try await (inserted) in try await connection.query(
                """
                INSERT INTO deployment (agent, environment, version, recorded_at, recorded_by, note, run_id)
                VALUES (\(row.agent), \(row.environment), \(row.version), \(Self.text(row.recordedAt)), \(row.recordedBy), \(row.note), \(row.runID))
                RETURNING id
                """, logger: Self.logger
            ).decode(Int64.self) {
                id = inserted
            }
            try await Self.appendAudit(
                .deploymentRecorded, actor: row.recordedBy ?? AuditActor.resolve(by: nil), agent: agent, runID: row.runID, subject: String(id),
                evidence: [
                    "deployment_sha256": try await Self.deploymentDigest(connection, id: id), "environment": environment, "version": version,
                ], connection)
        }
    }

    public func liveVersion(agent: String, environment: String) async throws -> String? {
        try await deployments(agent: agent, environment: environment, limit: 1).first?.version
    }

    public func deployments(agent: String, environment: String?, limit: Int) async throws -> [Deployment] {
        var values: [(any PostgresDynamicTypeEncodable)?] = [agent]
        var filter = "agent = $1"
        if let environment {
            values.append(environment)
            filter += " AND environment = $2"
        }
        values.append(Int64(max(0, limit)))
        let sql = """
            SELECT id, agent, environment, version, recorded_at, recorded_by, note, run_id FROM deployment
            WHERE \(filter) ORDER BY recorded_at DESC, id DESC LIMIT $\(values.count)
            """
        return try await read { connection in
            var deployments: [Deployment] = []
            for try await (id, agent, environment, version, recordedAt, recordedBy, note, runID) in try await connection.query(
                Self.query(sql, values), logger: Self.logger
            ).decode((Int64, String, String, String, String, String?, String?, String?).self) {
                deployments.append(
                    Deployment(
                        id: id, agent: agent, environment: environment, version: version,
                        recordedAt: try Self.date(recordedAt, what: "deployment \(id)"), recordedBy: recordedBy, note: note, runID: runID))
            }
            return deployments
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
