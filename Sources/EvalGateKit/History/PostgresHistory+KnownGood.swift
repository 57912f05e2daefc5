import Foundation
import PostgresNIO

/// Known-good versions, as in the SQLite history (`HistoryStore+KnownGood.swift`): the verdict a
/// mark depends on is read after the write lock is held, so no other writer changes it meanwhile.
extension PostgresHistory {
    public func markKnownGood(runID: String, _ knownGood: Bool, actor: String) async throws {
        try await write { connection in
            let id = try await Self.requireRunID(runID, connection)
            if knownGood {
                let verdict = try await Self.verdict(ofRun: id, connection) ?? .inconclusive
                guard verdict == .pass else { throw HistoryError.notPassing(runID: id, verdict: verdict) }
            }
            try await connection.query("UPDATE run SET known_good = \(knownGood) WHERE id = \(id)", logger: Self.logger)
            try await Self.auditRun(knownGood ? .knownGoodMarked : .knownGoodUnmarked, runID: id, casesDigest: nil, actor: actor, connection)
        }
    }

    public func lastPassingRun(agent: String, version: String) async throws -> RunRecord? {
        try await read { connection in
            try await records(
                """
                SELECT id, record_json FROM run WHERE agent = \(agent) AND version = \(version) AND verdict = 'pass'
                ORDER BY started_at DESC, id DESC LIMIT 1
                """, connection
            ).first
        }
    }

    public func knownGoodVersions(agent: String) async throws -> [KnownGoodVersion] {
        try await read { connection in
            var seen = Set<String>()
            var versions: [KnownGoodVersion] = []
            for try await (version, id, endedAt) in try await connection.query(
                """
                SELECT version, id, ended_at FROM run
                WHERE agent = \(agent) AND (known_good OR id IN (SELECT run_id FROM approval))
                ORDER BY started_at DESC, id DESC
                """, logger: Self.logger
            ).decode((String, String, String).self) {
                guard seen.insert(version).inserted else { continue }
                versions.append(KnownGoodVersion(version: version, runID: id, at: try Self.date(endedAt, what: "the end of run \(id)")))
            }
            return versions
        }
    }

    static func verdict(ofRun id: String, _ connection: PostgresConnection) async throws -> Verdict? {
        var verdict: Verdict?
        for try await (text) in try await connection.query("SELECT verdict FROM run WHERE id = \(id)", logger: logger).decode(String.self) {
            verdict = Verdict(rawValue: text) ?? .fail
        }
        return verdict
    }
}
