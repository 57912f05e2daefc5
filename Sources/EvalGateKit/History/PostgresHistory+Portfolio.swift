import Foundation
import PostgresNIO

extension PostgresHistory {
    public func casePage(runID: String, query: CaseQuery) async throws -> CasePage {
        try await read { connection in
            let id = try await Self.requireRunID(runID, connection)
            var conditions = ["run_id = $1"]
            var values: [(any PostgresDynamicTypeEncodable)?] = [id]
            if let status = query.status {
                values.append(status.rawValue)
                conditions.append("status = $\(values.count)")
            }
            if let caseID = query.caseID {
                values.append(caseID)
                conditions.append("case_id = $\(values.count)")
            }
            let filter = conditions.joined(separator: " AND ")
            var total = 0
            for try await (count) in try await connection.query(
                Self.query("SELECT COUNT(*) FROM case_result WHERE \(filter)", values), logger: Self.logger
            ).decode(Int64.self) {
                total = Int(count)
            }
            let offset = max(0, query.offset)
            let decoder = JSONCoding.decoder()
            var cases: [CaseResult] = []
            let page =
                values + [Int64(max(0, query.limit)), Int64(offset)] as [(any PostgresDynamicTypeEncodable)?]
            let sql =
                "SELECT result_json FROM case_result WHERE \(filter) ORDER BY case_index LIMIT $\(values.count + 1) OFFSET $\(values.count + 2)"
            for try await (text) in try await connection.query(Self.query(sql, page), logger: Self.logger).decode(String.self) {
                cases.append(try decode(CaseResult.self, from: text, what: "a case result of run \(id)", decoder: decoder))
            }
            return CasePage(cases: cases, total: total, offset: offset)
        }
    }

    /// The same portfolio as the SQLite history's (`HistoryStore.portfolio`): a few indexed
    /// queries per agent, the newest record parsed in full and the rest read as digests.
    public func portfolio(trendLength: Int) async throws -> [AgentPortfolio] {
        try await read { connection in
            var agents: [String] = []
            for try await (agent) in try await connection.query("SELECT DISTINCT agent FROM run ORDER BY agent", logger: Self.logger)
                .decode(String.self)
            {
                agents.append(agent)
            }
            var entries: [AgentPortfolio] = []
            for agent in agents {
                if let entry = try await portfolioEntry(agent: agent, trendLength: max(1, trendLength), connection) {
                    entries.append(entry)
                }
            }
            return entries
        }
    }

    static let digestColumns = "id, version, mode, environment, verdict, action, started_at, passed, failed, errors, selected_cases, p95_latency_ms"

    typealias DigestRow = (String, String, String, String, String, String, String, Int64, Int64, Int64, Int64, Double?)

    static func digest(_ row: DigestRow) throws -> RunDigest {
        let id = row.0
        func value<T: RawRepresentable>(_ type: T.Type, _ text: String) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: text) else { throw HistoryError.decoding(what: "run \(id)", message: "unknown value '\(text)'") }
            return value
        }
        return RunDigest(
            id: id, version: row.1, mode: try value(Recommendation.Mode.self, row.2), environment: row.3, verdict: try value(Verdict.self, row.4),
            action: try value(Recommendation.Action.self, row.5), startedAt: try date(row.6, what: "run \(id)"), passed: Int(row.7),
            failed: Int(row.8), errors: Int(row.9), selectedCases: Int(row.10), p95LatencyMilliseconds: row.11)
    }

    func portfolioEntry(agent: String, trendLength: Int, _ connection: PostgresConnection) async throws
        -> AgentPortfolio?
    {
        let decoder = JSONCoding.decoder()
        var trend: [RunDigest] = []
        var queues: [String?] = []
        let sql = """
            SELECT \(Self.digestColumns),
                CASE WHEN position('"reviewQueue":[]' in record_json) > 0 THEN '[]'
                     ELSE (record_json::jsonb -> 'summary' -> 'reviewQueue')::text END
            FROM run WHERE agent = $1 ORDER BY started_at DESC, id DESC LIMIT $2
            """
        let rows = try await connection.query(Self.query(sql, [agent, Int64(trendLength)]), logger: Self.logger)
        for try await row in rows.decode((String, String, String, String, String, String, String, Int64, Int64, Int64, Int64, Double?, String?).self)
        {
            trend.append(try Self.digest((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11)))
            queues.append(row.12)
        }
        guard let newest = trend.first else { return nil }
        guard let latest = try await records("SELECT id, record_json FROM run WHERE id = \(newest.id)", connection).first else { return nil }
        let ids = trend.map(\.id)

        func last(_ mode: Recommendation.Mode) async throws -> RunDigest? {
            if let found = trend.first(where: { $0.mode == mode }) { return found }
            let sql = "SELECT \(Self.digestColumns) FROM run WHERE agent = $1 AND mode = $2 ORDER BY started_at DESC, id DESC LIMIT 1"
            for try await row in try await connection.query(Self.query(sql, [agent, mode.rawValue]), logger: Self.logger).decode(DigestRow.self) {
                return try Self.digest(row)
            }
            return nil
        }

        var labelled: Set<String> = []
        for try await (runID, caseID) in try await connection.query(
            Self.query("SELECT run_id, case_id FROM review_label WHERE run_id = ANY($1)", [ids]), logger: Self.logger
        ).decode((String, String).self) {
            labelled.insert("\(runID)\u{0}\(caseID)")
        }
        var openReview: [AgentPortfolio.OpenReview] = []
        for (queue, run) in zip(queues, trend) {
            guard let queue, queue != "[]" else { continue }
            let queued = try decode([String].self, from: queue, what: "the review queue of run \(run.id)", decoder: decoder)
            let open = queued.filter { !labelled.contains("\(run.id)\u{0}\($0)") }
            if !open.isEmpty { openReview.append(AgentPortfolio.OpenReview(runID: run.id, caseIDs: open)) }
        }

        var approved: Set<String> = []
        for try await (runID) in try await connection.query(
            Self.query("SELECT DISTINCT run_id FROM approval WHERE run_id = ANY($1)", [ids]), logger: Self.logger
        ).decode(String.self) {
            approved.insert(runID)
        }
        var seenVersions: Set<String> = []
        var pending: [RunDigest] = []
        for run in trend {
            defer { seenVersions.insert(run.version) }
            guard run.mode == .release, run.verdict == .inconclusive, !approved.contains(run.id), !seenVersions.contains(run.version) else {
                continue
            }
            pending.append(run)
        }

        var live: [AgentPortfolio.LiveVersion] = []
        for try await (environment, version, recordedAt) in try await connection.query(
            Self.query(
                """
                SELECT DISTINCT ON (environment) environment, version, recorded_at FROM deployment WHERE agent = $1
                ORDER BY environment, recorded_at DESC, id DESC
                """, [agent]), logger: Self.logger
        ).decode((String, String, String).self) {
            live.append(
                AgentPortfolio.LiveVersion(environment: environment, version: version, since: try Self.date(recordedAt, what: "a deployment")))
        }

        return AgentPortfolio(
            agent: agent, owner: latest.owner, tier: latest.tier, tierName: latest.tierName, latest: latest, lastRelease: try await last(.release),
            lastMonitor: try await last(.monitor), trend: trend.reversed(), liveVersions: live, openReview: openReview, pendingApprovals: pending,
            recentVerdicts: AgentPortfolio.VerdictCounts(trend.map(\.verdict)))
    }
}
