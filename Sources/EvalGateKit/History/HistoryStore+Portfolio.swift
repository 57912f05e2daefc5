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

    /// One indexed look-up per agent (the `agent, started_at` index), so the cost grows with the
    /// number of agents and the trend's length, not with the number of stored runs: the agents are
    /// found by skipping through that index (a recursive query, one seek per agent) rather than by
    /// scanning it, and nothing reads every run. A record whose review queue is empty (most) is
    /// recognised by a substring search rather than parsed: `JSONCoding` writes
    /// `"reviewQueue":[]` exactly so (compact, keys sorted).
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

    func portfolioEntry(agent: String, trendLength: Int, decoder: JSONDecoder, _ db: Database) throws -> AgentPortfolio? {
        let newestFirst = try Row.fetchAll(
            db,
            sql: """
                SELECT \(Self.digestColumns),
                    CASE WHEN instr(record_json, '"reviewQueue":[]') > 0 THEN '[]' ELSE json_extract(record_json, '$.summary.reviewQueue') END
                FROM run WHERE agent = ? ORDER BY started_at DESC, id DESC LIMIT ?
                """,
            arguments: [agent, trendLength])
        guard let newest = newestFirst.first else { return nil }
        let newestID: String = newest[0]
        guard let latestJSON = try String.fetchOne(db, sql: "SELECT record_json FROM run WHERE id = ?", arguments: [newestID]) else {
            return nil
        }
        let latest = try decode(RunRecord.self, from: latestJSON, what: "run \(newestID)", decoder: decoder)
        let trend = try newestFirst.map(digest)
        let ids = trend.map(\.id)
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")

        func last(_ mode: Recommendation.Mode) throws -> RunDigest? {
            if let found = trend.first(where: { $0.mode == mode }) { return found }
            return try Row.fetchOne(
                db, sql: "SELECT \(Self.digestColumns) FROM run WHERE agent = ? AND mode = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                arguments: [agent, mode.rawValue]
            ).map(digest)
        }

        var labelled: Set<String> = []
        for row in try Row.fetchAll(
            db, sql: "SELECT run_id, case_id FROM review_label WHERE run_id IN (\(placeholders))", arguments: StatementArguments(ids))
        {
            labelled.insert("\(row[0] as String)\u{0}\(row[1] as String)")
        }
        var openReview: [AgentPortfolio.OpenReview] = []
        for (row, run) in zip(newestFirst, trend) {
            guard let queueJSON: String = row[12], queueJSON != "[]" else { continue }
            let queued = try decode([String].self, from: queueJSON, what: "the review queue of run \(run.id)", decoder: decoder)
            let open = queued.filter { !labelled.contains("\(run.id)\u{0}\($0)") }
            if !open.isEmpty { openReview.append(AgentPortfolio.OpenReview(runID: run.id, caseIDs: open)) }
        }

        let approved = Set(
            try String.fetchAll(db, sql: "SELECT DISTINCT run_id FROM approval WHERE run_id IN (\(placeholders))", arguments: StatementArguments(ids))
        )
        var seenVersions: Set<String> = []
        var pending: [RunDigest] = []
        for run in trend {
            defer { seenVersions.insert(run.version) }
            guard run.mode == .release, run.verdict == .inconclusive, !approved.contains(run.id), !seenVersions.contains(run.version) else {
                continue
            }
            pending.append(run)
        }

        // SQLite takes the other columns from the row holding the MAX.
        let live = try Row.fetchAll(
            db,
            sql: "SELECT environment, version, MAX(recorded_at) FROM deployment WHERE agent = ? GROUP BY environment ORDER BY environment",
            arguments: [agent]
        ).map { AgentPortfolio.LiveVersion(environment: $0[0], version: $0[1], since: $0[2]) }

        return AgentPortfolio(
            agent: agent, owner: latest.owner, tier: latest.tier, tierName: latest.tierName, latest: latest, lastRelease: try last(.release),
            lastMonitor: try last(.monitor), trend: trend.reversed(), liveVersions: live, openReview: openReview, pendingApprovals: pending,
            recentVerdicts: AgentPortfolio.VerdictCounts(trend.map(\.verdict)))
    }
}
