import Crypto
import Foundation

/// One share of a run's selected cases: shard `index` of `count` (`--shard I/N`, 1-based).
///
/// A case belongs to the shard its id hashes to (SHA-256 of the id, modulo `count`). The partition
/// is deterministic and stable when cases are added or removed: a case's shard depends on its id
/// and `count` only, never on the other cases. Repeats of a case share its id, so they stay in one
/// shard. Shards are balanced in expectation (a binomial spread: ±1.3 % for 100,000 cases in 16
/// shards), which is what stability costs; an exact count balance would move cases between shards
/// whenever a dataset changes.
public struct Shard: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public static let maximumCount = 4096

    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= Self.maximumCount else {
            throw Failure.invalid("the shard count must be between 1 and \(Self.maximumCount), not \(count)")
        }
        guard index >= 1, index <= count else {
            throw Failure.invalid("shard \(index)/\(count) does not exist: shards are numbered 1 to \(count)")
        }
        self.index = index
        self.count = count
    }

    public var description: String { "\(index)/\(count)" }

    /// Parses `I/N` (1-based), or `auto`: the index and total a CI matrix or a Kubernetes Indexed
    /// Job gives the process (see `auto(environment:)`).
    public static func parse(_ text: String, environment: [String: String]) throws -> Shard {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "auto" { return try auto(environment: environment) }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw Failure.invalid("'\(text)' is not a shard: give I/N, e.g. --shard 2/4 (shards are numbered from 1), or --shard auto")
        }
        return try Shard(index: index, count: count)
    }

    /// The shard of this process in a CI matrix or an Indexed Job:
    /// - Kubernetes Indexed Job: `JOB_COMPLETION_INDEX` (0-based) and the total in
    ///   `EVALGATE_SHARD_COUNT` (the Job's `completions`; Kubernetes does not pass it itself);
    /// - GitLab `parallel: N`: `CI_NODE_INDEX` (1-based) and `CI_NODE_TOTAL`;
    /// - anything else: `EVALGATE_SHARD_INDEX` (1-based) and `EVALGATE_SHARD_COUNT`.
    public static func auto(environment: [String: String]) throws -> Shard {
        func number(_ name: String) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw Failure.invalid("--shard auto: \(name)='\(text)' is not a whole number")
            }
            return value
        }
        if let zeroBased = try number("JOB_COMPLETION_INDEX") {
            guard let count = try number("EVALGATE_SHARD_COUNT") else {
                throw Failure.invalid(
                    "--shard auto: JOB_COMPLETION_INDEX is set but EVALGATE_SHARD_COUNT is not; set it to the Job's completions")
            }
            return try Shard(index: zeroBased + 1, count: count)
        }
        if let index = try number("CI_NODE_INDEX") {
            guard let count = try number("CI_NODE_TOTAL") else {
                throw Failure.invalid("--shard auto: CI_NODE_INDEX is set but CI_NODE_TOTAL is not")
            }
            return try Shard(index: index, count: count)
        }
        if let index = try number("EVALGATE_SHARD_INDEX") {
            guard let count = try number("EVALGATE_SHARD_COUNT") else {
                throw Failure.invalid("--shard auto: EVALGATE_SHARD_INDEX is set but EVALGATE_SHARD_COUNT is not")
            }
            return try Shard(index: index, count: count)
        }
        throw Failure.invalid(
            "--shard auto found no shard in the environment: set JOB_COMPLETION_INDEX and EVALGATE_SHARD_COUNT (Kubernetes Indexed Job), CI_NODE_INDEX and CI_NODE_TOTAL (GitLab parallel), or EVALGATE_SHARD_INDEX and EVALGATE_SHARD_COUNT"
        )
    }

    /// The 1-based shard a case id belongs to when a run is split `count` ways.
    public static func index(of caseID: String, count: Int) -> Int {
        index(ofHash: hash(of: caseID), count: count)
    }

    /// The first 8 bytes of the SHA-256 of a case id: what its shard is computed from.
    static func hash(of caseID: String) -> UInt64 {
        let digest = SHA256.hash(data: Data(caseID.utf8))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value
    }

    static func index(ofHash value: UInt64, count: Int) -> Int {
        Int(value % UInt64(max(1, count))) + 1
    }

    public func contains(_ caseID: String) -> Bool {
        count == 1 || Self.index(of: caseID, count: count) == index
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalid(String)

        public var description: String {
            switch self {
            case .invalid(let message): return message
            }
        }
    }
}
