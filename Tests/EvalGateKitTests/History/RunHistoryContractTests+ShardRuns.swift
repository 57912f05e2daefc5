import EvalGateTestSupport
import Foundation
import GRDB
import Testing

@testable import EvalGateKit

/// `shardRuns(group:)` in the `RunHistory` contract: what `evalgate merge --group` reads, a direct
/// query on the indexed shard group (migration v7) instead of every run of the history.
extension RunHistoryContractTests {
    static func shardRecord(id: String, group: String, index: Int, count: Int, minutes: Int) -> RunRecord {
        let cases = F.cases(2, prefix: id)
        var record = F.record(id: id, verdict: .inconclusive, startedAt: F.date(minutes: minutes), stopReason: .shard, cases: cases)
        record.shard = ShardRun(
            index: index, count: count, group: group, fingerprint: String(repeating: "f0", count: 32), runSelectedCases: count * 2)
        return record
    }

    /// Only the group's shards, oldest first, however many other runs (other groups' shards, runs
    /// that are no shards, a merged run naming the group) the history holds.
    @Test(arguments: HistoryBackend.allCases)
    func shardRunsAreFoundByTheirGroupOnly(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            // Many unrelated runs, inconclusive ones among them (what the merge used to read and filter).
            for number in 0..<120 {
                try await F.save(
                    history, id: String(format: "run-%03d", number), verdict: number.isMultiple(of: 3) ? .inconclusive : .pass, minutes: number,
                    caseCount: 1)
            }
            // Two groups' shards recorded interleaved, not in start order; "github-4" is a prefix of the other group.
            let shards = [
                Self.shardRecord(id: "shard-a3", group: "github-42", index: 3, count: 3, minutes: 205),
                Self.shardRecord(id: "shard-b1", group: "github-4", index: 1, count: 2, minutes: 201),
                Self.shardRecord(id: "shard-a1", group: "github-42", index: 1, count: 3, minutes: 203),
                Self.shardRecord(id: "shard-b2", group: "github-4", index: 2, count: 2, minutes: 202),
                Self.shardRecord(id: "shard-a2", group: "github-42", index: 2, count: 3, minutes: 204),
                // Shard 1 run again (a retried CI job): both are returned, the merge picks the newer.
                Self.shardRecord(id: "shard-a1-retry", group: "github-42", index: 1, count: 3, minutes: 206),
            ]
            for shard in shards {
                try await history.record(shard, cases: CaseDocuments(results: F.cases(2, prefix: shard.id)), knownGood: false)
            }
            var merged = F.record(id: "merged-a", verdict: .pass, startedAt: F.date(minutes: 203), cases: F.cases(6))
            merged.merge = MergedShards(group: "github-42", fingerprint: String(repeating: "f0", count: 32), count: 3, shards: [], missingShards: [])
            try await history.record(merged, cases: CaseDocuments(results: F.cases(6)), knownGood: false)

            let groupA = try await history.shardRuns(group: "github-42")
            #expect(groupA.map(\.id) == ["shard-a1", "shard-a2", "shard-a3", "shard-a1-retry"])
            #expect(groupA == shards.filter { $0.shard?.group == "github-42" }.sorted { $0.startedAt < $1.startedAt })
            #expect(try await history.shardRuns(group: "github-4").map(\.id) == ["shard-b1", "shard-b2"])
            #expect(try await history.shardRuns(group: "github").isEmpty, "a group is matched whole, not by prefix")
            #expect(try await history.shardRuns(group: "GITHUB-42").isEmpty, "groups are case-sensitive")
            #expect(try await history.shardRuns(group: "").isEmpty)
            #expect(try await history.runs(agent: nil, pipeline: nil, verdict: nil, limit: 1000).count == 127)
        }
    }

    /// The query is answered from the index on the shard group, not by reading every run.
    @Test(arguments: HistoryBackend.allCases)
    func shardGroupQueryUsesItsIndex(backend: HistoryBackend) async throws {
        try await backend.withEmptyHistory { history in
            try await history.record(
                Self.shardRecord(id: "shard-1", group: "g", index: 1, count: 1, minutes: 1), cases: CaseDocuments(results: F.cases(2, prefix: "s")),
                knownGood: false)
            switch backend {
            case .sqlite:
                let queue = try DatabaseQueue(path: history.location)
                let details = try await queue.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM run WHERE \(HistoryStore.shardGroupExpression) = 'g'")
                        .map { $0["detail"] as String? ?? "" }
                }
                #expect(details.contains { $0.contains("USING INDEX run_on_shard_group") }, "\(details)")
            case .postgres:
                let address = try #require(history as? PostgresHistory).address
                // With sequential scans priced out, a plan without the index would still scan the table.
                let rows = try await TestPostgres.query(
                    ["SET enable_seqscan = off", "EXPLAIN SELECT id FROM run WHERE \(PostgresHistory.shardGroupExpression) = 'g'"], location: address)
                let plan = rows.compactMap { $0.first ?? nil }.joined(separator: "\n")
                #expect(plan.contains("run_on_shard_group"), "\(plan)")
            }
        }
    }
}
