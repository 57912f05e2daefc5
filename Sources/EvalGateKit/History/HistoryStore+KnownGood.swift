import Foundation
import GRDB

/// Known-good versions.
///
/// A version is known-good when one of its passing runs has been marked with `markKnownGood`;
/// the CLI marks the run on promote (or when a person vouches for it). Known-good versions are the
/// rollback targets; they are ordered by when their supporting run started, so marking an old run
/// later does not make its version "newer" than versions vouched for by later runs.
extension HistoryStore {
    /// Marks a passing run as evidence that its version is good (or takes the mark back).
    /// `runID` may be a unique prefix.
    public func markKnownGood(runID: String, _ knownGood: Bool, actor: String) async throws {
        try await write { db in
            let id = try requireRunID(runID, db)
            if knownGood {
                let verdictText = try String.fetchOne(db, sql: "SELECT verdict FROM run WHERE id = ?", arguments: [id]) ?? ""
                let verdict = Verdict(rawValue: verdictText) ?? .inconclusive
                guard verdict == .pass else { throw HistoryError.notPassing(runID: id, verdict: verdict) }
            }
            try db.execute(sql: "UPDATE run SET known_good = ? WHERE id = ?", arguments: [knownGood, id])
            try Self.auditRun(knownGood ? .knownGoodMarked : .knownGoodUnmarked, runID: id, casesDigest: nil, actor: actor, db)
        }
    }

    /// The newest run of `version` with verdict pass, in any mode and pipeline.
    public func lastPassingRun(agent: String, version: String) async throws -> RunRecord? {
        try await read { db in
            try records(passingRuns(agent: agent, version: version).limit(1), db).first
        }
    }

    /// Every known-good version of an agent once, newest first, with the newest run vouching for it
    /// and when that run ended.
    public func knownGoodVersions(agent: String) async throws -> [KnownGoodVersion] {
        try await read { db in try knownGood(agent: agent, db) }
    }

    // MARK: - Helpers

    /// Passing runs of one version, newest first.
    private func passingRuns(agent: String, version: String) -> QueryInterfaceRequest<RunRow> {
        RunRow
            .filter(RunRow.Columns.agent == agent && RunRow.Columns.version == version && RunRow.Columns.verdict == Verdict.pass.rawValue)
            .order(RunRow.Columns.startedAt.desc, RunRow.Columns.id.desc)
    }

    private func knownGood(agent: String, _ db: Database) throws -> [KnownGoodVersion] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT version, id, ended_at FROM run
                WHERE agent = ? AND (known_good = 1 OR id IN (SELECT run_id FROM approval))
                ORDER BY started_at DESC, id DESC
                """,
            arguments: [agent])
        var seen = Set<String>()
        var versions: [KnownGoodVersion] = []
        for row in rows {
            let version: String = row[0]
            guard seen.insert(version).inserted else { continue }
            versions.append(KnownGoodVersion(version: version, runID: row[1], at: row[2]))
        }
        return versions
    }
}
