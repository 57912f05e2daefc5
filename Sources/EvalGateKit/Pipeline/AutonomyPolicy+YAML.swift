import Foundation
import Yams

extension AutonomyPolicy {
    /// The keys of one level in `autonomy.levels`.
    static let levelKeys = ["name", "description", "requires", "approvers"]

    /// Reads a tier's `autonomy` block:
    ///
    ///     autonomy:
    ///       levels:
    ///         - name: draft-only
    ///         - name: approve-each
    ///           approvers: [agent owner, risk officer]
    ///           requires:
    ///             consecutive_passing_monitor_runs: 3
    ///             no_rollback_days: 30
    ///             pass_rate_lower_bound: {rate: 0.95, runs: 3}      # confidence: the tier's
    ///             judge_agreement: {kappa: 0.7, labels: 100}
    ///
    /// Every problem is a diagnostic with file:line:column; nil when the block is unusable.
    static func read(_ node: Node, _ reader: YAMLReader, context: String, defaultConfidence: Double) -> AutonomyPolicy? {
        guard let top = reader.mapping(node, "'autonomy' of \(context)", allowed: ["levels"], required: ["levels"]),
            let levelsNode = top["levels"]
        else { return nil }
        guard case .sequence(let sequence) = levelsNode, !sequence.isEmpty else {
            reader.error(
                levelsNode, "'autonomy.levels' of \(context) must be a list of levels, lowest first",
                hint:
                    "for example: [{name: draft-only}, {name: approve-each, approvers: [agent owner], requires: {consecutive_passing_monitor_runs: 3}}]"
            )
            return nil
        }
        var levels: [AutonomyLevel] = []
        var seen: [String: Int] = [:]
        for (position, levelNode) in sequence.enumerated() {
            let what = "autonomy level \(position + 1) of \(context)"
            guard let entries = reader.mapping(levelNode, what, allowed: levelKeys, required: ["name"]) else { continue }
            guard let name = reader.string(entries["name"], "'name' of \(what)")?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                continue
            }
            if name.contains(where: \.isWhitespace) {
                reader.error(entries["name"], "autonomy level name '\(name)' contains whitespace", hint: "use a word like 'approve-each'")
                continue
            }
            if let earlier = seen[name] {
                reader.error(entries["name"], "autonomy level '\(name)' is defined twice in \(context) (first as level \(earlier))")
                continue
            }
            seen[name] = position + 1
            var level = AutonomyLevel(name: name, description: reader.string(entries["description"], "'description' of \(what)"))
            level.approvers = reader.stringList(entries["approvers"], "'approvers' of autonomy level '\(name)'") ?? []
            if let requires = entries["requires"] {
                level.criteria = readCriteria(requires, reader, level: name, defaultConfidence: defaultConfidence)
            }
            if position == 0 {
                for key in ["requires", "approvers"] where entries[key] != nil {
                    reader.error(
                        entries.keyNodes[key], "the first autonomy level ('\(name)') is where every agent starts; it takes no '\(key)'",
                        hint: "put the evidence and approvers on the level they let an agent step up into")
                }
                level.criteria = []
                level.approvers = []
            } else {
                if entries["requires"] == nil {
                    reader.error(
                        levelNode, "autonomy level '\(name)' of \(context) has no 'requires': every step up needs evidence",
                        hint: "e.g. requires: {consecutive_passing_monitor_runs: 5, no_rollback_days: 30}")
                }
                if entries["approvers"] == nil || level.approvers.isEmpty {
                    reader.error(
                        entries.keyNodes["approvers"] ?? levelNode, "autonomy level '\(name)' of \(context) names no 'approvers'",
                        hint: "list the roles that may approve the step up, e.g. approvers: [agent owner, risk officer]")
                }
            }
            levels.append(level)
        }
        return levels.isEmpty ? nil : AutonomyPolicy(levels: levels)
    }

    /// A level's `requires`: one entry per criterion kind.
    static func readCriteria(_ node: Node, _ reader: YAMLReader, level: String, defaultConfidence: Double) -> [AutonomyCriterion] {
        let what = "'requires' of autonomy level '\(level)'"
        guard let entries = reader.mapping(node, what, allowed: AutonomyCriterion.Kind.allCases.map(\.rawValue)) else { return [] }
        if case .mapping(let mapping) = node, mapping.isEmpty {
            reader.error(node, "\(what) lists no evidence", hint: "kinds: \(AutonomyCriterion.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var criteria: [AutonomyCriterion] = []
        // In the order of the kinds, so the policy reads the same whatever order the file uses.
        for kind in AutonomyCriterion.Kind.allCases {
            guard let value = entries[kind.rawValue] else { continue }
            let key = "'\(kind.rawValue)' of autonomy level '\(level)'"
            switch kind {
            case .consecutivePassingMonitorRuns:
                if let runs = reader.int(value, key, range: 1...1000) { criteria.append(.consecutivePassingMonitorRuns(runs: runs)) }
            case .noRollback:
                if let days = reader.int(value, key, range: 1...3650) { criteria.append(.noRollback(days: days)) }
            case .passRateLowerBound:
                guard let fields = reader.mapping(value, key, allowed: ["rate", "runs", "confidence"], required: ["rate", "runs"]) else { continue }
                let rate = reader.rate(fields["rate"], "'rate' of \(key)")
                let runs = reader.int(fields["runs"], "'runs' of \(key)", range: 1...1000)
                var confidence = defaultConfidence
                if let node = fields["confidence"], let value = reader.double(node, "'confidence' of \(key)", range: 0...1) {
                    if value < 0.5 || value >= 1 {
                        reader.error(
                            node, "'confidence' of \(key) must be at least 0.5 and below 1, found \(value)", hint: "typical values: 0.90, 0.95")
                        continue
                    }
                    confidence = value
                }
                if let rate, let runs { criteria.append(.passRateLowerBound(rate: rate, runs: runs, confidence: confidence)) }
            case .judgeAgreement:
                guard let fields = reader.mapping(value, key, allowed: ["kappa", "labels"], required: ["kappa", "labels"]) else { continue }
                let kappa = reader.rate(fields["kappa"], "'kappa' of \(key)")
                let labels = reader.int(fields["labels"], "'labels' of \(key)", range: 2...10_000_000)
                if let kappa, let labels { criteria.append(.judgeAgreement(kappa: kappa, labels: labels)) }
            }
        }
        return criteria
    }
}
