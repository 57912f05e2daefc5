import Crypto
import Foundation

/// A run that is one shard of a sharded run (`evalgate run --shard I/N`): the `shard` section of
/// its record. It decides nothing alone; `evalgate merge` decides the whole run from its shards.
public struct ShardRun: Sendable, Equatable, Codable {
    public var index: Int
    public var count: Int
    /// The sharded run this shard belongs to (`--shard-group`, else the CI run's id): `evalgate
    /// merge --group` finds the shards by it.
    public var group: String
    /// What every shard of one run shares: pipeline and dataset hashes, agent version, mode,
    /// environment, selection and shard count (`ShardRun.fingerprint`). Shards with different
    /// fingerprints are not one run and are never merged.
    public var fingerprint: String
    /// Selected cases of the whole run (this shard's share is the record's `selectedCases`).
    public var runSelectedCases: Int

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case index, count, group, fingerprint, runSelectedCases
    }

    public init(index: Int, count: Int, group: String, fingerprint: String, runSelectedCases: Int) {
        self.index = index
        self.count = count
        self.group = group
        self.fingerprint = fingerprint
        self.runSelectedCases = runSelectedCases
    }

    public var shard: Shard? { try? Shard(index: index, count: count) }

    /// SHA-256 over what makes shards parts of one run, in a fixed order: the pipeline file's hash,
    /// each dataset's hash (by path), agent and version, mode, environment, the selection
    /// (`--filter`, `--limit`, `--sample`, `--seed`) and the number of shards.
    public static func fingerprint(of record: RunRecord, count: Int) -> String {
        var lines = [
            "evalgate.shard-fingerprint/v1",
            "pipeline=\(record.pipelineHash)",
            "agent=\(record.agent)",
            "version=\(record.version)",
            "mode=\(record.mode.rawValue)",
            "environment=\(record.environment)",
            "shards=\(count)",
        ]
        for (path, hash) in record.datasetHashes.sorted(by: { $0.key < $1.key }) { lines.append("dataset \(path)=\(hash)") }
        for (key, value) in record.selection.sorted(by: { $0.key < $1.key }) { lines.append("selection \(key)=\(value)") }
        let digest = SHA256.hash(data: Data(lines.joined(separator: "\n").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The group a shard joins when `--shard-group` is not given: `EVALGATE_SHARD_GROUP`, else the
    /// CI run every matrix job shares (GitHub Actions run id and attempt, GitLab pipeline id), else
    /// nil (the shard's fingerprint is used, and a merge should name the shard runs or files).
    public static func defaultGroup(environment: [String: String]) -> String? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let group = value("EVALGATE_SHARD_GROUP") { return group }
        // Not the attempt: re-running failed matrix jobs keeps the group, and a shard run again
        // supersedes its earlier run in the merge.
        if let run = value("GITHUB_RUN_ID") { return "github-\(run)" }
        if let pipeline = value("CI_PIPELINE_ID") { return "gitlab-\(pipeline)" }
        return nil
    }
}

/// How a merged run came together (`evalgate merge`): the `merge` section of its record.
public struct MergedShards: Sendable, Equatable, Codable {
    public var group: String
    public var fingerprint: String
    public var count: Int
    /// The shards merged, by index.
    public var shards: [Part]
    /// Shards that were not found: the merged verdict is inconclusive while any is missing.
    public var missingShards: [Int]

    public struct Part: Sendable, Equatable, Codable {
        public var index: Int
        public var runID: String
        /// Cases of the shard's share that have a result.
        public var cases: Int
        /// Cases in the shard's share.
        public var selectedCases: Int

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case index, runID, cases, selectedCases
        }

        public init(index: Int, runID: String, cases: Int, selectedCases: Int) {
            self.index = index
            self.runID = runID
            self.cases = cases
            self.selectedCases = selectedCases
        }
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case group, fingerprint, count, shards, missingShards
    }

    public init(group: String, fingerprint: String, count: Int, shards: [Part], missingShards: [Int]) {
        self.group = group
        self.fingerprint = fingerprint
        self.count = count
        self.shards = shards
        self.missingShards = missingShards
    }
}
