import Foundation

/// The gates a run was decided by: its tier's thresholds with the pipeline's tightenings and any
/// exception's loosenings applied (`LoadedPipeline.thresholds`), as a canonical list of controls.
///
/// Its SHA-256 (`sha256`) identifies the gates: two runs with the same hash were held to the same
/// bar, and an approval of a change names the hash it approves.
public struct EffectiveGates: Sendable, Equatable, Codable {
    public static let encodingTag = "evalgate.gates/v1"

    public var tier: Int
    public var controls: [GateControl]

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case tier, controls
    }

    public init(tier: Int, thresholds: TierThresholds) {
        self.tier = tier
        self.controls = thresholds.controls
    }

    /// The hashed text: the tag, the tier, then `key direction value` per control, sorted by key.
    ///
    ///     evalgate.gates/v1
    ///     tier 3
    ///     coverage.edge-case minimum 20
    ///     min_pass_rate minimum 0.95
    public var canonicalText: String {
        ([Self.encodingTag, "tier \(tier)"] + controls.map { "\($0.key) \($0.direction.rawValue) \($0.value)" }).joined(separator: "\n") + "\n"
    }

    public var sha256: String { ChangeControlHash.sha256(canonicalText) }

    /// The value of one control, nil when the gates do not set it.
    public func value(_ key: String) -> String? { controls.first { $0.key == key }?.value }
}
