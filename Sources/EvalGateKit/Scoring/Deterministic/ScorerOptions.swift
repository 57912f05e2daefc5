/// Reads a scorer spec's `options` for one scorer type, rejecting unknown keys and ill-typed values
/// with messages that name the scorer and the key, so `evalgate validate` can point at the mistake.
struct ScorerOptions {
    /// Spec fields that are sometimes misplaced under `options`.
    static let specFields = ["value", "threshold", "weight", "metric"]

    let options: [String: JSONValue]

    init(_ spec: ScorerSpec, allowed: [String]) throws {
        options = spec.options
        for key in spec.options.keys.sorted() where !allowed.contains(key) {
            let suggestion = Suggestions.closest(to: key, in: allowed + Self.specFields)
            let hint: String
            if let suggestion {
                hint = "did you mean '\(suggestion)'?"
            } else if allowed.isEmpty {
                hint = "\(spec.type) takes no options; remove '\(key)'"
            } else {
                hint = "\(spec.type) takes the options \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
            }
            throw ScorerConfigurationError("unknown option '\(key)'", hint: hint)
        }
    }

    func has(_ key: String) -> Bool { options[key] != nil }

    func raw(_ key: String) -> JSONValue? { options[key] }

    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let value = options[key] else { return defaultValue }
        guard let bool = value.boolValue else {
            throw ScorerConfigurationError("option '\(key)' must be true or false, not \(describe(value))")
        }
        return bool
    }

    /// A finite number; numeric strings such as `"0.5"` are accepted.
    func number(_ key: String) throws -> Double? {
        guard let value = options[key] else { return nil }
        guard let number = value.doubleValue, number.isFinite else {
            throw ScorerConfigurationError("option '\(key)' must be a number, not \(describe(value))")
        }
        return number
    }

    func nonNegativeNumber(_ key: String) throws -> Double? {
        guard let number = try number(key) else { return nil }
        guard number >= 0 else {
            throw ScorerConfigurationError("option '\(key)' must not be negative, got \(ReasonText.number(number))")
        }
        return number
    }

    /// A whole number ≥ 0 (a count of calls, of steps).
    func count(_ key: String) throws -> Int? {
        guard let number = try number(key) else { return nil }
        guard number >= 0, number.rounded() == number, number < Double(Int32.max) else {
            throw ScorerConfigurationError("option '\(key)' must be a whole number ≥ 0, got \(ReasonText.number(number))")
        }
        return Int(number)
    }

    func string(_ key: String) throws -> String? {
        guard let value = options[key] else { return nil }
        guard let string = value.stringValue else {
            throw ScorerConfigurationError("option '\(key)' must be a string, not \(describe(value))")
        }
        guard !string.isEmpty else {
            throw ScorerConfigurationError("option '\(key)' is empty")
        }
        return string
    }

    /// A non-empty list.
    func list(_ key: String) throws -> [JSONValue]? {
        guard let value = options[key] else { return nil }
        guard let list = value.arrayValue else {
            throw ScorerConfigurationError(
                "option '\(key)' must be a list, not \(describe(value))", hint: "write \(key): [first, second]")
        }
        guard !list.isEmpty else { throw ScorerConfigurationError("option '\(key)' is an empty list") }
        return list
    }

    /// `a string 'abc'`, `a number 3`: how a wrong value is named in a message.
    func describe(_ value: JSONValue) -> String {
        Self.describe(value)
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return "the boolean \(bool)"
        case .number(let number): return "the number \(ReasonText.number(number))"
        case .string(let string): return "the string \(ReasonText.quote(string, limit: 40))"
        case .array(let items): return "a list of \(ReasonText.count(items.count, "item"))"
        case .object: return "an object"
        }
    }
}
