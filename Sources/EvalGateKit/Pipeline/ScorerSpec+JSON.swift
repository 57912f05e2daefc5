extension ScorerSpec {
    /// Keys every scorer entry may have; all others are the type's own options.
    static let commonKeys: Set<String> = ["type", "value", "threshold", "weight", "metric"]

    /// Reads one `assert` entry. Errors are messages for the entry's location.
    public static func parse(_ json: JSONValue, location: SourceLocation) -> Result<ScorerSpec, ScorerConfigurationError> {
        guard case .object(var fields) = json else {
            return .failure(ScorerConfigurationError("a scorer must be a mapping with a 'type', found \(json.typeName)"))
        }
        guard let rawType = fields.removeValue(forKey: "type") else {
            return .failure(ScorerConfigurationError("a scorer needs a 'type'", hint: "for example: {type: contains, value: \"refund\"}"))
        }
        guard var type = rawType.stringValue, !type.isEmpty else {
            return .failure(ScorerConfigurationError("a scorer's 'type' must be a string"))
        }
        var negated = false
        if type.hasPrefix("not-") {
            negated = true
            type.removeFirst(4)
        }
        var spec = ScorerSpec(type: type, negated: negated, location: location)
        spec.value = fields.removeValue(forKey: "value")
        if let threshold = fields.removeValue(forKey: "threshold"), threshold != .null {
            guard let value = threshold.doubleValue, (0...1).contains(value) else {
                return .failure(ScorerConfigurationError("'threshold' must be a number between 0 and 1, found \(threshold.compactJSON)"))
            }
            spec.threshold = value
        }
        if let weight = fields.removeValue(forKey: "weight"), weight != .null {
            guard let value = weight.doubleValue, value >= 0, value.isFinite else {
                return .failure(ScorerConfigurationError("'weight' must be a number of at least 0, found \(weight.compactJSON)"))
            }
            spec.weight = value
        }
        if let metric = fields.removeValue(forKey: "metric"), metric != .null {
            guard let name = metric.stringValue, !name.isEmpty else {
                return .failure(ScorerConfigurationError("'metric' must be a name, found \(metric.compactJSON)"))
            }
            spec.metric = name
        }
        if let scope = fields.removeValue(forKey: "on"), scope != .null {
            guard let text = scope.stringValue, let parsed = TurnScope(rawValue: text) else {
                return .failure(
                    ScorerConfigurationError(
                        "'on' must be any-turn, last-turn or every-turn, found \(scope.compactJSON.prefix(40))",
                        hint: "on: every-turn checks each agent turn of a conversation"))
            }
            if let kind = spec.kind, kind.isModelGraded || kind.readsConversation {
                return .failure(
                    ScorerConfigurationError("'on' does not apply to \(kind.rawValue), which already reads the whole conversation or asks a judge"))
            }
            spec.on = parsed
        }
        spec.options = fields
        return .success(spec)
    }
}
