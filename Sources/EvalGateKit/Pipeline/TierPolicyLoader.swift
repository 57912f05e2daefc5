import Foundation
import Yams

/// Loads the organisation's tier policy file (`pipelines/tiers.yaml`).
public enum TierPolicyLoader {
    public static func load(path: String, displayPath: String) throws(InvalidInputError) -> TierPolicy {
        let node = try YAMLDocument.load(path: path, displayPath: displayPath, limits: .pipeline)
        return try parse(node, displayPath: displayPath)
    }

    /// The policy evalgate ships, used when no tiers file is found.
    public static func builtIn() -> TierPolicy {
        // The built-in text is tested to load; a failure here is a programming error.
        let node = try! YAMLDocument.parse(Data(TierPolicy.defaultYAML.utf8), displayPath: "<built-in tiers>", limits: .pipeline)
        return try! parse(node, displayPath: "<built-in tiers>")
    }

    static func parse(_ node: Node?, displayPath: String) throws(InvalidInputError) -> TierPolicy {
        let reader = YAMLReader(file: displayPath, interpolation: nil)
        guard let node else { throw InvalidInputError(SourceLocation(file: displayPath), "the tier policy file is empty") }
        var tiers: [Int: RiskTier] = [:]
        if let top = reader.mapping(node, "the tier policy", allowed: ["version", "tiers"], required: ["version", "tiers"]) {
            if let version = reader.int(top["version"], "'version'"), version != 1 {
                reader.error(top["version"], "unsupported tier policy version \(version)", hint: "this evalgate reads version 1")
            }
            if let tiersNode = top["tiers"] {
                if case .mapping(let mapping) = tiersNode {
                    for (key, value) in mapping {
                        guard let level = reader.int(key, "a tier level", range: 1...9) else { continue }
                        if let tier = parseTier(value, level: level, reader) { tiers[level] = tier }
                    }
                } else {
                    reader.error(tiersNode, "'tiers' must map tier levels (1, 2, 3) to their thresholds")
                }
            }
        }
        if tiers.isEmpty && !reader.diagnostics.hasErrors {
            reader.error(node, "the tier policy defines no tiers")
        }
        if reader.diagnostics.hasErrors { throw InvalidInputError(reader.diagnostics.diagnostics) }
        return TierPolicy(tiers: tiers, file: displayPath)
    }

    static func parseTier(_ node: Node, level: Int, _ reader: YAMLReader) -> RiskTier? {
        let allowed = ["name", "description", "authority", "sequential", "peer_deviation"] + TierThresholds.yamlKeys
        guard let entries = reader.mapping(node, "tier \(level)", allowed: allowed, required: ["name"]) else { return nil }
        let thresholds = TierThresholds.read(entries, reader, context: "tier \(level)")
        var authority = RiskTier.Authority()
        if let node = entries["authority"],
            let fields = reader.mapping(
                node, "'authority' of tier \(level)", allowed: ["approvers", "rollback", "notify", "notes", "risk_role", "escalation_role"])
        {
            authority.riskRole = reader.string(fields["risk_role"], "'risk_role'")
            authority.escalationRole = reader.string(fields["escalation_role"], "'escalation_role'")
            authority.approvers = reader.stringList(fields["approvers"], "'approvers'") ?? []
            authority.rollback = reader.stringList(fields["rollback"], "'rollback'") ?? []
            authority.notify = reader.stringList(fields["notify"], "'notify'") ?? []
            authority.notes = reader.string(fields["notes"], "'notes'")
        }
        let peerDeviation = reader.rate(entries["peer_deviation"], "'peer_deviation'")
        if let node = entries["peer_deviation"], peerDeviation != nil, authority.escalationRole == nil {
            reader.error(
                node, "tier \(level) sets 'peer_deviation' but its 'authority' names no 'escalation_role'",
                hint: "add 'escalation_role: <role>' under 'authority': the role that approves gates far from the peers'")
        }
        var tier = RiskTier(
            level: level, name: reader.string(entries["name"], "'name'") ?? "tier \(level)",
            description: reader.string(entries["description"], "'description'"), thresholds: thresholds, authority: authority,
            sequential: reader.bool(entries["sequential"], "'sequential' of tier \(level)"))
        tier.peerDeviation = peerDeviation
        return tier
    }
}
