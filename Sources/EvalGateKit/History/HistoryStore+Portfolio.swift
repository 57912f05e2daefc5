import Foundation
import GRDB

extension HistoryStore {
    public func casePage(runID: String, query: CaseQuery) async throws -> CasePage {
        try await read { db in
            let id = try requireRunID(runID, db)
            var conditions = "run_id = ?"
            var arguments: StatementArguments = [id]
            if let status = query.status {
                conditions += " AND status = ?"
                arguments += [status.rawValue]
            }
            if let caseID = query.caseID {
                conditions += " AND case_id = ?"
                arguments += [caseID]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM case_result WHERE \(conditions)", arguments: arguments) ?? 0
            let offset = max(0, query.offset)
            let decoder = JSONCoding.decoder()
            let texts = try String.fetchAll(
                db, sql: "SELECT result_json FROM case_result WHERE \(conditions) ORDER BY case_index LIMIT ? OFFSET ?",
                arguments: arguments + [max(0, query.limit), offset])
            let cases = try texts.map { try decode(CaseResult.self, from: $0, what: "a case result of run \(id)", decoder: decoder) }
            return CasePage(cases: cases, total: total, offset: offset)
        }
    }

    /// A few indexed look-ups per agent (the `agent, started_at` index), so the cost grows with
    /// the number of agents and the trend's length, not with the number of stored runs: the agents
    /// are found by skipping through that index (a recursive query, one seek per agent) rather
    /// than by scanning it, and nothing reads every run. No record is decoded whole: the trend is
    /// read from the run's columns, the newest run's shown fields are extracted from its record
    /// in SQL (`PortfolioFields`), and the runs with a review queue are found through the partial
    /// index `run_with_review_queue` (migration v8) instead of by searching every trend record.
    public func portfolio(trendLength: Int) async throws -> [AgentPortfolio] {
        try await read { db in
            let agents = try String.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE agents(name) AS (
                        SELECT MIN(agent) FROM run
                        UNION ALL
                        SELECT (SELECT MIN(agent) FROM run WHERE agent > agents.name) FROM agents WHERE agents.name IS NOT NULL
                    )
                    SELECT name FROM agents WHERE name IS NOT NULL
                    """)
            let decoder = JSONCoding.decoder()
            return try agents.compactMap { agent in
                try portfolioEntry(agent: agent, trendLength: max(1, trendLength), decoder: decoder, db)
            }
        }
    }

    static let digestColumns =
        "id, version, mode, environment, verdict, action, started_at, passed, failed, errors, selected_cases, p95_latency_ms"

    /// A run whose record has no `"reviewQueue":[]` (`JSONCoding` writes an empty queue exactly
    /// so: compact, keys sorted) has cases queued for review. The condition of the partial index
    /// `run_with_review_queue` (migration v8): a query must spell it exactly so to use the index.
    static let hasReviewQueue = #"instr(record_json, '"reviewQueue":[]') = 0"#

    func digest(_ row: Row) throws -> RunDigest {
        let id: String = row[0]
        func value<T: RawRepresentable>(_ type: T.Type, _ index: Int) throws -> T where T.RawValue == String {
            let text: String = row[index]
            guard let value = T(rawValue: text) else {
                throw HistoryError.decoding(what: "run \(id)", message: "unknown value '\(text)'")
            }
            return value
        }
        return RunDigest(
            id: id, version: row[1], mode: try value(Recommendation.Mode.self, 2), environment: row[3], verdict: try value(Verdict.self, 4),
            action: try value(Recommendation.Action.self, 5), startedAt: row[6], passed: row[7], failed: row[8], errors: row[9],
            selectedCases: row[10], p95LatencyMilliseconds: row[11])
    }

    func portfolioFields(runID: String, decoder: JSONDecoder, _ db: Database) throws -> PortfolioFields? {
        let statement = try db.cachedStatement(sql: "SELECT json_extract(record_json, \(PortfolioFields.sqlitePaths)) FROM run WHERE id = ?")
        guard let json = try String.fetchOne(statement, arguments: [runID]) else { return nil }
        return try PortfolioFields.decode(json, runID: runID, decoder: decoder)
    }

    func portfolioEntry(agent: String, trendLength: Int, decoder: JSONDecoder, _ db: Database) throws -> AgentPortfolio? {
        let newestFirst = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT \(Self.digestColumns) FROM run WHERE agent = ? ORDER BY started_at DESC, id DESC LIMIT ?"),
            arguments: [agent, trendLength]
        ).map(digest)
        guard let newest = newestFirst.first, let oldest = newestFirst.last,
            let fields = try portfolioFields(runID: newest.id, decoder: decoder, db)
        else { return nil }

        func last(_ mode: Recommendation.Mode) throws -> RunDigest? {
            if let found = newestFirst.first(where: { $0.mode == mode }) { return found }
            return try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(Self.digestColumns) FROM run WHERE agent = ? AND mode = ? ORDER BY started_at DESC, id DESC LIMIT 1"),
                arguments: [agent, mode.rawValue]
            ).map(digest)
        }
        let lastRelease = try last(.release)
        func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

        // Review queues: only the few runs that have one are read.
        let trendIDs = Set(newestFirst.map(\.id))
        var queues: [String: [String]] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, json_extract(record_json, '$.summary.reviewQueue') FROM run
                    WHERE agent = ? AND started_at >= ? AND \(Self.hasReviewQueue)
                    """),
            arguments: [agent, oldest.startedAt])
        {
            let id: String = row[0]
            guard trendIDs.contains(id), let text: String = row[1] else { continue }
            queues[id] = try decode([String].self, from: text, what: "the review queue of run \(id)", decoder: decoder)
        }
        var openReview: [AgentPortfolio.OpenReview] = []
        if !queues.isEmpty {
            let ids = Array(queues.keys)
            var labelled: Set<String> = []
            for row in try Row.fetchAll(
                db, sql: "SELECT run_id, case_id FROM review_label WHERE run_id IN (\(placeholders(ids.count)))", arguments: StatementArguments(ids))
            {
                labelled.insert(AgentPortfolio.labelKey(runID: row[0], caseID: row[1]))
            }
            openReview = AgentPortfolio.openReviews(newestFirst, queues: queues, labelled: labelled)
        }

        // Approvals matter only for inconclusive release runs.
        let inconclusive = AgentPortfolio.approvalCandidates(newestFirst, lastRelease: lastRelease)
        var approved: Set<String> = []
        if !inconclusive.isEmpty {
            approved = Set(
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT run_id FROM approval WHERE run_id IN (\(placeholders(inconclusive.count)))",
                    arguments: StatementArguments(Array(inconclusive))))
        }
        let pending = AgentPortfolio.pendingApprovals(newestFirst, approved: approved)

        var pendingSignOff: AgentPortfolio.PendingSignOff?
        if let release = lastRelease, release.verdict != .fail,
            let releaseFields = try release.id == newest.id ? fields : portfolioFields(runID: release.id, decoder: decoder, db),
            let roles = releaseFields.signOffRoles(of: release, approved: approved.contains(release.id))
        {
            let decisions = try Self.signOffs(db, condition: "run_id = ?", arguments: [release.id])
            pendingSignOff = releaseFields.pendingSignOff(release, roles: roles, decisions: decisions)
        }

        // SQLite takes the other columns from the row holding the MAX.
        let live = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT environment, version, MAX(recorded_at) FROM deployment WHERE agent = ? GROUP BY environment ORDER BY environment"),
            arguments: [agent]
        ).map { AgentPortfolio.LiveVersion(environment: $0[0], version: $0[1], since: $0[2]) }

        return AgentPortfolio(
            agent: agent, owner: fields.owner, tier: fields.tier, tierName: fields.tierName, latest: fields.latest(newest), lastRelease: lastRelease,
            lastMonitor: try last(.monitor), trend: newestFirst.reversed(), liveVersions: live, openReview: openReview, pendingApprovals: pending,
            recentVerdicts: AgentPortfolio.VerdictCounts(newestFirst.map(\.verdict)), pendingSignOff: pendingSignOff)
    }
}
