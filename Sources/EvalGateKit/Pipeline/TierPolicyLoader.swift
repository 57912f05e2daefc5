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
        let allowed = ["name", "description", "authority", "sequential", "peer_deviation"] + TierThresholds.yamlKeys + ["autonomy"]
        guard let entries = reader.mapping(node, "tier \(level)", allowed: allowed, required: ["name"]) else { return nil }
        let thresholds = TierThresholds.read(entries, reader, context: "tier \(level)")
        var authority = RiskTier.Authority()
        if let node = entries["authority"],
            let fields = reader.mapping(
                node, "'authority' of tier \(level)",
                allowed: ["approvers", "rollback", "notify", "notes", "risk_role", "escalation_role"] + signOffAuthorityKeys)
        {
            authority.riskRole = reader.string(fields["risk_role"], "'risk_role'")
            authority.escalationRole = reader.string(fields["escalation_role"], "'escalation_role'")
            authority.approvers = reader.stringList(fields["approvers"], "'approvers'") ?? []
            authority.rollback = reader.stringList(fields["rollback"], "'rollback'") ?? []
            authority.notify = reader.stringList(fields["notify"], "'notify'") ?? []
            authority.notes = reader.string(fields["notes"], "'notes'")
            readSignOffAuthority(fields, into: &authority, level: level, reader)
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
        if let node = entries["autonomy"] {
            tier.autonomy = AutonomyPolicy.read(
                node, reader, context: "tier \(level)", defaultConfidence: thresholds.confidence ?? TierThresholds.defaultConfidence)
        }
        tier.peerDeviation = peerDeviation
        return tier
    }
}

extension TierPolicyLoader {
    /// The `authority` keys of release sign-off (docs/signoff.md).
    static let signOffAuthorityKeys = ["escalation", "notify_within"]

    static func readSignOffAuthority(_ fields: YAMLReader.Entries, into authority: inout RiskTier.Authority, level: Int, _ reader: YAMLReader) {
        authority.escalation = reader.string(fields["escalation"], "'escalation' of tier \(level)")
        if let node = fields["notify_within"], let text = reader.string(node, "'notify_within' of tier \(level)") {
            if let duration = PolicyDuration(parsing: text) {
                authority.notifyWithin = duration
            } else {
                reader.error(
                    node, "'notify_within' of tier \(level) must be a positive duration, found '\(text)'",
                    hint: "write it like 1h, 30m, 2d or as ISO 8601 (PT1H, P1DT12H)")
            }
        }
        // A role listed twice would need one sign-off, but read as two.
        var seen = Set<String>()
        for role in authority.approvers where !seen.insert(SignOffRole.key(role)).inserted {
            reader.error(fields["approvers"], "'approvers' of tier \(level) lists '\(role)' twice")
        }
    }
}
