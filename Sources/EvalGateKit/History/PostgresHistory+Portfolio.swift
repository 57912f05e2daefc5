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
    /// queries per agent, the trend read as digests, the newest run's shown fields extracted from
    /// its record in SQL (`PortfolioFields`), and the runs with a review queue found through the
    /// partial index `run_with_review_queue` (migration v8). No record is decoded whole.
    public func portfolio(trendLength: Int) async throws -> [AgentPortfolio] {
        try await read { connection in
            var agents: [String] = []
            for try await (agent) in try await connection.query("SELECT DISTINCT agent FROM run ORDER BY agent", logger: Self.logger)
                .decode(String.self)
            {
                agents.append(agent)
            }
            let decoder = JSONCoding.decoder()
            var entries: [AgentPortfolio] = []
            for agent in agents {
                if let entry = try await portfolioEntry(agent: agent, trendLength: max(1, trendLength), decoder: decoder, connection) {
                    entries.append(entry)
                }
            }
            return entries
        }
    }

    static let digestColumns = "id, version, mode, environment, verdict, action, started_at, passed, failed, errors, selected_cases, p95_latency_ms"

    /// The condition of the partial index `run_with_review_queue` (migration v8), spelled exactly
    /// so, as `HistoryStore.hasReviewQueue` is on SQLite.
    static let hasReviewQueue = #"position('"reviewQueue":[]' in record_json) = 0"#

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

    func portfolioFields(runID: String, decoder: JSONDecoder, _ connection: PostgresConnection) async throws -> PortfolioFields? {
        // OFFSET 0 keeps the subquery from being folded into the outer one, which would parse the record once per path.
        let sql =
            "SELECT jsonb_build_array(\(PortfolioFields.postgresPaths))::text FROM (SELECT record_json::jsonb AS j FROM run WHERE id = $1 OFFSET 0) r"
        for try await (json) in try await connection.query(Self.query(sql, [runID]), logger: Self.logger).decode(String.self) {
            return try PortfolioFields.decode(json, runID: runID, decoder: decoder)
        }
        return nil
    }

    func portfolioEntry(agent: String, trendLength: Int, decoder: JSONDecoder, _ connection: PostgresConnection) async throws
        -> AgentPortfolio?
    {
        var newestFirst: [RunDigest] = []
        let sql = "SELECT \(Self.digestColumns) FROM run WHERE agent = $1 ORDER BY started_at DESC, id DESC LIMIT $2"
        for try await row in try await connection.query(Self.query(sql, [agent, Int64(trendLength)]), logger: Self.logger).decode(DigestRow.self) {
            newestFirst.append(try Self.digest(row))
        }
        guard let newest = newestFirst.first, let oldest = newestFirst.last,
            let fields = try await portfolioFields(runID: newest.id, decoder: decoder, connection)
        else { return nil }

        func last(_ mode: Recommendation.Mode) async throws -> RunDigest? {
            if let found = newestFirst.first(where: { $0.mode == mode }) { return found }
            let sql = "SELECT \(Self.digestColumns) FROM run WHERE agent = $1 AND mode = $2 ORDER BY started_at DESC, id DESC LIMIT 1"
            for try await row in try await connection.query(Self.query(sql, [agent, mode.rawValue]), logger: Self.logger).decode(DigestRow.self) {
                return try Self.digest(row)
            }
            return nil
        }
        let lastRelease = try await last(.release)

        // Review queues: only the few runs that have one are read.
        let trendIDs = Set(newestFirst.map(\.id))
        var queues: [String: [String]] = [:]
        let queueSQL = """
            SELECT id, (record_json::jsonb -> 'summary' -> 'reviewQueue')::text FROM run
            WHERE agent = $1 AND started_at >= $2 AND \(Self.hasReviewQueue)
            """
        for try await (id, text) in try await connection.query(Self.query(queueSQL, [agent, Self.text(oldest.startedAt)]), logger: Self.logger)
            .decode((String, String?).self)
        {
            guard trendIDs.contains(id), let text else { continue }
            queues[id] = try decode([String].self, from: text, what: "the review queue of run \(id)", decoder: decoder)
        }
        var openReview: [AgentPortfolio.OpenReview] = []
        if !queues.isEmpty {
            var labelled: Set<String> = []
            for try await (runID, caseID) in try await connection.query(
                Self.query("SELECT run_id, case_id FROM review_label WHERE run_id = ANY($1)", [Array(queues.keys)]), logger: Self.logger
            ).decode((String, String).self) {
                labelled.insert(AgentPortfolio.labelKey(runID: runID, caseID: caseID))
            }
            openReview = AgentPortfolio.openReviews(newestFirst, queues: queues, labelled: labelled)
        }

        // Approvals matter only for inconclusive release runs.
        let inconclusive = AgentPortfolio.approvalCandidates(newestFirst, lastRelease: lastRelease)
        var approved: Set<String> = []
        if !inconclusive.isEmpty {
            for try await (runID) in try await connection.query(
                Self.query("SELECT DISTINCT run_id FROM approval WHERE run_id = ANY($1)", [Array(inconclusive)]), logger: Self.logger
            ).decode(String.self) {
                approved.insert(runID)
            }
        }
        let pending = AgentPortfolio.pendingApprovals(newestFirst, approved: approved)

        var pendingSignOff: AgentPortfolio.PendingSignOff?
        if let release = lastRelease, release.verdict != .fail,
            let releaseFields = try await release.id == newest.id ? fields : portfolioFields(runID: release.id, decoder: decoder, connection),
            let roles = releaseFields.signOffRoles(of: release, approved: approved.contains(release.id))
        {
            let decisions = try await Self.signOffs(connection, runID: release.id, id: nil)
            pendingSignOff = releaseFields.pendingSignOff(release, roles: roles, decisions: decisions)
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
            agent: agent, owner: fields.owner, tier: fields.tier, tierName: fields.tierName, latest: fields.latest(newest), lastRelease: lastRelease,
            lastMonitor: try await last(.monitor), trend: newestFirst.reversed(), liveVersions: live, openReview: openReview,
            pendingApprovals: pending, recentVerdicts: AgentPortfolio.VerdictCounts(newestFirst.map(\.verdict)), pendingSignOff: pendingSignOff)
    }
}
