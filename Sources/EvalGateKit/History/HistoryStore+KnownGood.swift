import Foundation
import GRDB

/// Known-good versions and baselines.
///
/// A version is known-good when one of its passing runs has been marked with `markKnownGood`;
/// the CLI marks the run on promote (or when a person vouches for it). Known-good versions are the
/// rollback targets; they are ordered by when their supporting run started, so marking an old run
/// later does not make its version "newer" than versions vouched for by later runs.
extension HistoryStore {
    /// Marks a passing run as evidence that its version is good (or takes the mark back).
    /// `runID` may be a unique prefix.
    public func markKnownGood(runID: String, _ knownGood: Bool = true) throws {
        try write { db in
            let id = try requireRunID(runID, db)
            if knownGood {
                let verdictText = try String.fetchOne(db, sql: "SELECT verdict FROM run WHERE id = ?", arguments: [id]) ?? ""
                let verdict = Verdict(rawValue: verdictText) ?? .inconclusive
                guard verdict == .pass else { throw HistoryError.notPassing(runID: id, verdict: verdict) }
            }
            try db.execute(sql: "UPDATE run SET known_good = ? WHERE id = ?", arguments: [knownGood, id])
        }
    }

    /// The newest run of `version` with verdict pass, in any mode and pipeline.
    public func lastPassingRun(agent: String, version: String) throws -> RunRecord? {
        try read { db in
            try records(passingRuns(agent: agent, version: version).limit(1), db).first
        }
    }

    /// Every known-good version of an agent once, newest first, with the newest run vouching for it
    /// and when that run ended.
    public func knownGoodVersions(agent: String) throws -> [(version: String, runID: String, at: Date)] {
        try read { db in try knownGood(agent: agent, db) }
    }

    /// The newest known-good version other than `version` (the one being rolled back from).
    public func lastKnownGood(agent: String, excluding version: String?) throws -> (version: String, runID: String)? {
        try read { db in
            try knownGood(agent: agent, db).first { $0.version != version }.map { ($0.version, $0.runID) }
        }
    }

    /// The run to compare a candidate against: the newest passing run of `version`; when `version`
    /// is nil, of the version live in `environment`; when nothing is recorded as live there, of the
    /// newest known-good version. A run of `pipeline` is preferred over runs of other pipelines.
    public func baselineRun(agent: String, pipeline: String, version: String?, environment: String) throws -> RunRecord? {
        try read { db in
            let target: String
            if let version {
                target = version
            } else if let live = try latestDeployment(agent: agent, environment: environment, db) {
                target = live.version
            } else if let knownGood = try knownGood(agent: agent, db).first {
                target = knownGood.version
            } else {
                return nil
            }
            let samePipelineFirst = RunRow.Columns.pipeline == pipeline
            let request = passingRuns(agent: agent, version: target).order(samePipelineFirst.desc, RunRow.Columns.startedAt.desc, RunRow.Columns.id.desc)
            return try records(request.limit(1), db).first
        }
    }

    // MARK: - Helpers

    /// Passing runs of one version, newest first.
    private func passingRuns(agent: String, version: String) -> QueryInterfaceRequest<RunRow> {
        RunRow
            .filter(RunRow.Columns.agent == agent && RunRow.Columns.version == version && RunRow.Columns.verdict == Verdict.pass.rawValue)
            .order(RunRow.Columns.startedAt.desc, RunRow.Columns.id.desc)
    }

    private func knownGood(agent: String, _ db: Database) throws -> [(version: String, runID: String, at: Date)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT version, id, ended_at FROM run
                WHERE agent = ? AND (known_good = 1 OR id IN (SELECT run_id FROM approval))
                ORDER BY started_at DESC, id DESC
                """,
            arguments: [agent])
        var seen = Set<String>()
        var versions: [(version: String, runID: String, at: Date)] = []
        for row in rows {
            let version: String = row[0]
            guard seen.insert(version).inserted else { continue }
            versions.append((version, row[1], row[2]))
        }
        return versions
    }
}
