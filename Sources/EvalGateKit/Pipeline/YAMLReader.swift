import Foundation
import Yams

/// Typed reading of a Yams node tree for one file, collecting diagnostics with file:line:column
/// instead of stopping at the first problem. Every string passes through `${VAR}` interpolation.
final class YAMLReader {
    let file: String
    let interpolation: Interpolation?
    var diagnostics = DiagnosticsEngine()
    /// Values that must never be printed: interpolated secrets.
    var secrets: Set<String> = []

    init(file: String, interpolation: Interpolation?) {
        self.file = file
        self.interpolation = interpolation
    }

    func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ node: Node?, _ message: String, hint: String? = nil) {
        diagnostics.error(location(node), message, hint: hint)
    }

    func warning(_ node: Node?, _ message: String, hint: String? = nil) {
        diagnostics.warning(location(node), message, hint: hint)
    }

    static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    // MARK: Mappings

    /// A mapping's entries by key, after checking keys against the allowed set (with suggestions).
    func mapping(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> Entries? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping, found \(Self.describe(node))")
            return nil
        }
        var entries = Entries(node: node)
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error(keyNode, "keys of \(what) must be plain strings")
                continue
            }
            let key = scalar.string
            if !allowed.contains(key) {
                if let suggestion = Suggestions.closest(to: key, in: allowed) {
                    error(keyNode, "unknown key '\(key)' in \(what) (did you mean '\(suggestion)'?)")
                } else {
                    error(keyNode, "unknown key '\(key)' in \(what)", hint: "allowed keys: \(allowed.joined(separator: ", "))")
                }
                continue
            }
            entries.values[key] = value
            entries.keyNodes[key] = keyNode
        }
        for key in required where entries.values[key] == nil {
            error(node, "\(what) is missing required key '\(key)'")
        }
        return entries
    }

    struct Entries {
        var node: Node
        var values: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]

        subscript(key: String) -> Node? { values[key] }
    }

    // MARK: Scalars

    /// The scalar's text after interpolation, or `nil` (with an error) when it is not a scalar.
    func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be a string, found \(Self.describe(node))")
            return nil
        }
        if scalar.style == .plain && Self.isNull(scalar.string) {
            error(node, "\(what) must not be empty")
            return nil
        }
        return interpolate(scalar.string, node)
    }

    func interpolate(_ text: String, _ node: Node) -> String? {
        guard let interpolation else { return text }
        do {
            let result = try interpolation.apply(text)
            secrets.formUnion(result.secrets)
            return result.text
        } catch {
            switch error {
            case .missingVariable(let name):
                self.error(node, "environment variable '\(name)' is not set", hint: "set it, or give a default: ${\(name):-value}")
            case .unterminated:
                self.error(node, "unterminated '${' in '\(text)'", hint: "write '$${' for a literal '${'")
            case .invalidName(let name):
                self.error(node, "'\(name)' is not a valid environment variable name")
            }
            return nil
        }
    }

    func int(_ node: Node?, _ what: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let node, let text = string(node, what) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            error(node, "\(what) must be a whole number, found '\(text)'")
            return nil
        }
        if let range, !range.contains(value) {
            error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
            return nil
        }
        return value
    }

    func double(_ node: Node?, _ what: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let node, let text = string(node, what) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var value: Double?
        if trimmed.hasSuffix("%"), let percent = Double(trimmed.dropLast()) { value = percent / 100 } else { value = Double(trimmed) }
        guard let value, value.isFinite else {
            error(node, "\(what) must be a number, found '\(text)'")
            return nil
        }
        if let range, !range.contains(value) {
            error(
                node,
                "\(what) must be between \(JSONValue.format(number: range.lowerBound)) and \(JSONValue.format(number: range.upperBound)), found \(JSONValue.format(number: value))"
            )
            return nil
        }
        return value
    }

    /// A fraction written as 0.95 or 95%.
    func fraction(_ node: Node?, _ what: String) -> Double? {
        double(node, what, range: 0...1)
    }

    /// A rate threshold written as 0.95 or 95%, kept as the exact decimal written (not via `Double`,
    /// which would put 99.9% above 999 of 1000).
    func rate(_ node: Node?, _ what: String) -> Rate? {
        guard let node, let text = string(node, what) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let rate = Rate(exactly: trimmed) else {
            if Double(trimmed.hasSuffix("%") ? String(trimmed.dropLast()) : trimmed)?.isFinite == true {
                error(node, "\(what) has more decimal places than evalgate holds exactly (12), found '\(text)'")
            } else {
                error(node, "\(what) must be a number, found '\(text)'")
            }
            return nil
        }
        guard rate >= 0, rate <= 1 else {
            error(node, "\(what) must be between 0 and 1, found \(rate)")
            return nil
        }
        return rate
    }

    /// An amount of money, kept as the exact decimal written (`0.05`, `1.5e-7`).
    func money(_ node: Node?, _ what: String, range: ClosedRange<Money>) -> Money? {
        guard let node, let text = string(node, what) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch FixedPoint.parse(trimmed) {
        case .success(let units):
            let amount = Money(clamping: units)
            guard range.contains(amount) else {
                error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(amount)")
                return nil
            }
            return amount
        case .failure(.tooPrecise):
            error(node, "\(what) has more decimal places than evalgate holds exactly (12), found '\(text)'")
        case .failure(.outOfRange):
            error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found '\(text)'")
        case .failure(.notANumber):
            error(node, "\(what) must be a number, found '\(text)'")
        }
        return nil
    }

    func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node, let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "\(what) must be true or false, found '\(text)'")
            return nil
        }
    }

    /// A duration in seconds, written `500ms`, `30s`, `2m`, `1h` or as a plain number of seconds.
    func duration(_ node: Node?, _ what: String) -> Double? {
        guard let node, let text = string(node, what) else { return nil }
        guard let seconds = Self.parseDuration(text) else {
            error(node, "\(what) must be a duration like 500ms, 30s or 2m, found '\(text)'")
            return nil
        }
        return seconds
    }

    static func parseDuration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value >= 0, value.isFinite { return value * factor }
        }
        if let value = Double(trimmed), value >= 0, value.isFinite { return value }
        return nil
    }

    /// A list of strings; a single string is accepted as a list of one.
    func stringList(_ node: Node?, _ what: String) -> [String]? {
        guard let node else { return nil }
        if case .scalar = node { return string(node, what).map { [$0] } }
        guard case .sequence(let sequence) = node else {
            error(node, "\(what) must be a list of strings, found \(Self.describe(node))")
            return nil
        }
        return sequence.compactMap { string($0, "each entry of \(what)") }
    }

    func stringMap(_ node: Node?, _ what: String) -> [String: String]? {
        guard let node else { return nil }
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping of names to strings, found \(Self.describe(node))")
            return nil
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = string(key, "a key of \(what)") else { continue }
            if case .scalar = value, let text = string(value, "'\(name)' in \(what)") {
                result[name] = text
            } else if case .scalar = value {
            } else {
                error(value, "'\(name)' in \(what) must be a string, found \(Self.describe(value))")
            }
        }
        return result
    }

    /// Converts any node to JSON, resolving plain scalars to numbers, booleans and null as YAML does.
    func json(_ node: Node, depth: Int = 0) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let text = interpolate(scalar.string, node) ?? scalar.string
            guard scalar.style == .plain else { return .string(text) }
            if scalar.string != text { return .string(text) }
            if Self.isNull(text) { return .null }
            if let value = node.bool { return .bool(value) }
            if let value = node.int { return .number(Double(value)) }
            if let value = node.float, value.isFinite { return .number(value) }
            return .string(text)
        case .sequence(let sequence):
            return .array(sequence.map { json($0, depth: depth + 1) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                object[key.string ?? ""] = json(value, depth: depth + 1)
            }
            return .object(object)
        case .alias:
            return .null
        }
    }

    func jsonObject(_ node: Node?, _ what: String) -> [String: JSONValue]? {
        guard let node else { return nil }
        guard case .mapping = node else {
            error(node, "\(what) must be a mapping, found \(Self.describe(node))")
            return nil
        }
        return json(node).objectValue
    }
}
