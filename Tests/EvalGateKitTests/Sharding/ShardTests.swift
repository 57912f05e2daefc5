import Foundation
import Testing

@testable import EvalGateKit

/// The partition of a run's cases into shards: parsing `--shard`, `auto` from CI and Kubernetes,
/// and the properties a merge relies on (deterministic, stable, balanced, complete).
@Suite("Shards")
struct ShardTests {
    @Test func parsesIndexOfCount() throws {
        #expect(try Shard.parse("2/4", environment: [:]) == Shard(index: 2, count: 4))
        #expect(try Shard.parse(" 1/1 ", environment: [:]) == Shard(index: 1, count: 1))
    }

    @Test(arguments: ["0/4", "5/4", "4", "a/b", "1/0", "-1/4", "2/4/6", "", "1/5000"])
    func rejectsShardsThatDoNotExist(text: String) {
        #expect(throws: Shard.Failure.self) { try Shard.parse(text, environment: [:]) }
    }

    @Test func zeroIsNamedAsNotAShard() {
        #expect(throws: Shard.Failure.invalid("shard 0/4 does not exist: shards are numbered 1 to 4")) {
            try Shard.parse("0/4", environment: [:])
        }
    }

    @Test func autoReadsKubernetesGitLabAndGenericVariables() throws {
        // Kubernetes Indexed Jobs count from 0; the shard count comes from EVALGATE_SHARD_COUNT.
        #expect(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "0", "EVALGATE_SHARD_COUNT": "8"]) == Shard(index: 1, count: 8))
        #expect(try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "7", "EVALGATE_SHARD_COUNT": "8"]) == Shard(index: 8, count: 8))
        // GitLab's parallel jobs count from 1.
        #expect(try Shard.parse("auto", environment: ["CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"]) == Shard(index: 3, count: 3))
        #expect(try Shard.parse("auto", environment: ["EVALGATE_SHARD_INDEX": "2", "EVALGATE_SHARD_COUNT": "5"]) == Shard(index: 2, count: 5))
        #expect(throws: Shard.Failure.self) { try Shard.parse("auto", environment: [:]) }
        #expect(throws: Shard.Failure.self) { try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(throws: Shard.Failure.self) { try Shard.parse("auto", environment: ["JOB_COMPLETION_INDEX": "8", "EVALGATE_SHARD_COUNT": "8"]) }
        #expect(throws: Shard.Failure.self) { try Shard.parse("auto", environment: ["CI_NODE_INDEX": "x", "CI_NODE_TOTAL": "3"]) }
    }

    /// Every case is in exactly one shard, whatever the count.
    @Test(arguments: [1, 2, 3, 8, 64])
    func everyCaseIsInExactlyOneShard(count: Int) throws {
        let shards = try (1...count).map { try Shard(index: $0, count: count) }
        for id in (0..<2_000).map({ "case-\($0)" }) {
            #expect(shards.filter { $0.contains(id) }.count == 1, "\(id)")
        }
    }

    /// A case's shard depends only on its id and the count: adding cases moves none.
    @Test func addingCasesMovesNoExistingCase() {
        let before = (0..<1_000).map { "case-\($0)" }
        let assigned = Dictionary(uniqueKeysWithValues: before.map { ($0, Shard.index(of: $0, count: 16)) })
        let after = (before + (0..<500).map { "new-\($0)" }).shuffled()
        for id in after where assigned[id] != nil {
            #expect(Shard.index(of: id, count: 16) == assigned[id])
        }
    }

    /// Balanced by count within the binomial spread: 100,000 ids in 16 shards, 6,250 expected each.
    @Test func sharesAreBalanced() {
        var counts = Array(repeating: 0, count: 16)
        for index in 0..<100_000 { counts[Shard.index(of: "sweep-\(index)", count: 16) - 1] += 1 }
        // Within four standard deviations (77 cases each): 5 %.
        for count in counts { #expect(abs(count - 6_250) < 310, "\(counts)") }
    }

    /// The fingerprint changes with anything that makes two shards parts of different runs.
    @Test func fingerprintCoversWhatShardsShare() {
        let record = HistoryFixtures.record(id: "r")
        let base = ShardRun.fingerprint(of: record, count: 4)
        #expect(base == ShardRun.fingerprint(of: record, count: 4))
        #expect(base != ShardRun.fingerprint(of: record, count: 3))
        var changed = record
        changed.datasetHashes["d.jsonl"] = "cc"
        #expect(base != ShardRun.fingerprint(of: changed, count: 4))
        changed = record
        changed.selection["filter"] = "billing"
        #expect(base != ShardRun.fingerprint(of: changed, count: 4))
        changed = record
        changed.version = "2"
        #expect(base != ShardRun.fingerprint(of: changed, count: 4))
        changed = record
        changed.id = "another run"
        changed.startedAt = .distantPast
        #expect(base == ShardRun.fingerprint(of: changed, count: 4))
    }

    @Test func defaultGroupIsTheCIRun() {
        #expect(ShardRun.defaultGroup(environment: ["EVALGATE_SHARD_GROUP": "nightly-1", "GITHUB_RUN_ID": "9"]) == "nightly-1")
        // Not the attempt: re-running failed matrix jobs keeps the group, and the newer shard wins.
        #expect(ShardRun.defaultGroup(environment: ["GITHUB_RUN_ID": "9", "GITHUB_RUN_ATTEMPT": "2"]) == "github-9")
        #expect(ShardRun.defaultGroup(environment: ["CI_PIPELINE_ID": "77"]) == "gitlab-77")
        #expect(ShardRun.defaultGroup(environment: [:]) == nil)
    }
}
